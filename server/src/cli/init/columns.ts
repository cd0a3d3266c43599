import type { Table } from '../../core/data/table.js';
import type { FieldTypeInfo } from '../../core/semantics/model.js';
import { keyIndex } from '../../core/data/index.js';
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

function isIdName(name: string): boolean {
  return /(^id$|_id$|Id$|^key$)/.test(name);
}
