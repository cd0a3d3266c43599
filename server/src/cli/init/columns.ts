import type { Table } from '../../core/data/table.js';
import type { FieldTypeInfo } from '../../core/semantics/model.js';
import { keyIndex, loadTableFromBytes, type DataFormat, type LoadedTable } from '../../core/data/index.js';
import { aggregateNumbers } from '../../core/engine/aggregates.js';
import type { ColumnInfo } from './scaffold.js';

/** What `init` needs to know about each column of a loaded table. */
export function describeColumns(table: Table, fieldTypes: Map<string, FieldTypeInfo>): ColumnInfo[] {
  return table.columns.map((column) => {
    const info = fieldTypes.get(column.name);
    const type = info?.type ?? column.type;
    const optional = info?.optional ?? false;
    let values: string[] = [];
    let median: number | undefined;
    if (column.kind === 'dictionary') {
      // Most frequent value first, so that the example rule matches many rows.
      const counts = new Map<number, number>();
      for (let row = 0; row < table.rowCount; row++) {
        const code = column.codes[row];
        if (code >= 0) counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      values = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([code]) => column.dictionary[code]);
    } else if (column.kind === 'numeric' && (column.type === 'integer' || column.type === 'number')) {
      const present: number[] = [];
      for (let row = 0; row < table.rowCount; row++) if (column.missing[row] === 0) present.push(column.values[row]);
      median = aggregateNumbers('median', Float64Array.from(present));
    }
    // Too many distinct values for an example rule or an enum list.
    return { name: column.name, type, optional, values: values.length > 24 ? [] : values, median };
  });
}

/** The first column, by preference one named like an id, whose values are present and unique. */
export function guessKey(table: Table): string | undefined {
  const candidates = [...table.columns].sort((a, b) => Number(isIdName(b.name)) - Number(isIdName(a.name)));
  for (const column of candidates) {
    if (column.kind !== 'dictionary' && !(column.kind === 'numeric' && column.type === 'integer')) continue;
    if (column.missing.some((m) => m === 1)) continue;
    if (keyIndex(table, column.name).size === table.rowCount) return column.name;
  }
  return undefined;
}

export function isIdName(name: string): boolean {
  return /(^id$|_id$|Id$|^key$)/.test(name);
}

/** Words real files use for a missing value (UCI data writes `?`, R writes `NA`, exports write `null`). */
const MISSING_WORDS = ['?', 'NA', 'N/A', 'n/a', 'na', 'null', 'NULL', 'None', 'NaN', '-'];

/**
 * The missing-value words to declare (`missing [...]`): those found in a text
 * column whose other values are all of another type (numbers, dates,
 * booleans), with the table read again with them. Words that make no column
 * typed are not proposed.
 */
export function withMissingWords(bytes: Uint8Array, format: DataFormat, loaded: LoadedTable): { loaded: LoadedTable; missing: string[] } {
  const found = new Map<string, Set<string>>();
  for (const column of loaded.table?.columns ?? []) {
    if (column.kind !== 'dictionary' || (column.type !== 'string' && column.type !== 'enum')) continue;
    for (const value of column.dictionary) {
      if (!MISSING_WORDS.includes(value)) continue;
      const columns = found.get(value) ?? new Set<string>();
      found.set(value, columns.add(column.name));
    }
  }
  if (found.size === 0) return { loaded, missing: [] };
  const retyped = loadTableFromBytes(bytes, format, [], { missing: [...found.keys()] });
  const isText = (name: string) => {
    const type = retyped.table?.byName.get(name)?.type;
    return type === undefined || type === 'string' || type === 'enum';
  };
  const missing = [...found]
    .sort(([a], [b]) => MISSING_WORDS.indexOf(a) - MISSING_WORDS.indexOf(b))
    .filter(([, columns]) => [...columns].some((name) => !isText(name))).map(([word]) => word);
  if (missing.length === 0) return { loaded, missing };
  return { loaded: missing.length === found.size ? retyped : loadTableFromBytes(bytes, format, [], { missing }), missing };
}
