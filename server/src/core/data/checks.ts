/**
 * The data checked against the declared fields (SPEC §4.1): a declared field
 * with no column, values that do not fit the type, missing values in a
 * required field, enum values outside the declared list, and a `key` that
 * repeats or is missing.
 */
import { columnValueAsString } from './accessors.js';
import type { ColumnStats } from './builders.js';
import { dataCode } from './codes.js';
import type { FieldSpec } from './field-spec.js';
import { type DataIssue, issue } from './issues.js';
import type { Table } from './table.js';
import { dictionaryEntry, dictionarySize } from './packed-strings.js';

const LISTED = 5;

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

function quoted(value: string): string {
  return JSON.stringify(value);
}

/** Names within a small edit distance, or equal ignoring case. */
export function similarNames(name: string, candidates: Iterable<string>): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  const scored: Array<{ candidate: string; distance: number }> = [];
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit) scored.push({ candidate, distance });
  }
  return scored.sort((a, b) => a.distance - b.distance).slice(0, 3).map((s) => s.candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function didYouMean(suggestions: string[]): string {
  return suggestions.length === 0 ? '' : ` — did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?`;
}

export interface CheckInput {
  table: Table;
  specs: readonly FieldSpec[];
  /** Names of the columns that came from the file (not added for absent declared fields). */
  fileColumns: ReadonlySet<string>;
  stats: ReadonlyMap<string, ColumnStats>;
  keyField?: string;
}

export function checkAgainstFields(input: CheckInput): DataIssue[] {
  const issues: DataIssue[] = [];
  const { table, specs, fileColumns, stats, keyField } = input;
  const lineOf = (row: number): number => table.rowLines[row];
  for (const spec of specs) {
    const target = { kind: 'field', field: spec.name, part: 'type' } as const;
    if (!fileColumns.has(spec.name)) {
      const suggestions = similarNames(spec.name, fileColumns);
      issues.push(
        issue(
          dataCode.missingColumn,
          `field \`${spec.name}\` is declared but the data has no column \`${spec.name}\`${didYouMean(suggestions)}`,
          { kind: 'field', field: spec.name, part: 'name' },
          { field: spec.name, suggestions },
        ),
      );
      continue;
    }
    const columnStats = stats.get(spec.name);
    if (!spec.type || !columnStats) continue;
    if (columnStats.badCount > 0) {
      const line = lineOf(columnStats.firstBadRow);
      issues.push(
        issue(
          dataCode.badValues,
          tooLargeForInteger(spec.type, columnStats.firstBadValue)
            ? `${plural(columnStats.badCount, 'row')} of \`${spec.name}\` ${columnStats.badCount === 1 ? 'has a value' : 'have values'} too large for an integer (beyond ±9,007,199,254,740,991, the range every engine reads exactly; declare the field \`string\` for ids); first on line ${line}: ${quoted(columnStats.firstBadValue)}`
            : `${plural(columnStats.badCount, 'row')} of \`${spec.name}\` ${columnStats.badCount === 1 ? 'has a value that is' : 'have values that are'} not ${article(spec.type)} ${spec.type}; first on line ${line}: ${quoted(columnStats.firstBadValue)}`,
          target,
          { field: spec.name, type: spec.type, count: columnStats.badCount, firstLine: line, firstValue: columnStats.firstBadValue },
        ),
      );
    }
    if (!spec.optional && columnStats.missingCount > 0 && spec.name !== keyField) {
      const line = lineOf(columnStats.firstMissingRow);
      issues.push(
        issue(
          dataCode.missingValues,
          `\`${spec.name}\` is required but ${plural(columnStats.missingCount, 'row')} ${columnStats.missingCount === 1 ? 'has' : 'have'} no value (first on line ${line}); write \`${spec.type}?\` if it may be missing`,
          target,
          { field: spec.name, count: columnStats.missingCount, firstLine: line },
        ),
      );
    }
    if (spec.type === 'enum' && spec.enumValues) {
      const outside = enumValuesOutside(table, spec.name, spec.enumValues);
      if (outside.length > 0) {
        const listed = outside
          .slice(0, LISTED)
          .map((o) => `${quoted(o.value)} (${plural(o.count, 'row')}, first on line ${o.firstLine})`)
          .join(', ');
        const more = outside.length > LISTED ? ` and ${plural(outside.length - LISTED, 'other value')}` : '';
        issues.push(
          issue(
            dataCode.enumOutside,
            `\`${spec.name}\` has ${outside.length === 1 ? 'a value' : 'values'} outside the declared enum: ${listed}${more}`,
            target,
            { field: spec.name, values: outside },
          ),
        );
      }
    }
  }
  if (keyField !== undefined) issues.push(...checkKey(table, keyField, fileColumns));
  return issues;
}

/** A bad `integer` cell that is an integer all the same: beyond the safe range (see `isIntegerBeyondSafeRange`). */
function tooLargeForInteger(type: string, value: string): boolean {
  return type === 'integer' && /^[+-]?\d{16,}$/.test(value.trim()) && !Number.isSafeInteger(Number(value));
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? 'an' : 'a';
}

interface OutsideValue {
  value: string;
  count: number;
  firstLine: number;
}

function enumValuesOutside(table: Table, field: string, allowed: readonly string[]): OutsideValue[] {
  const column = table.byName.get(field);
  if (!column || column.kind !== 'dictionary') return [];
  const allowedSet = new Set(allowed);
  const counts = new Int32Array(column.dictionary.length);
  const firstRow = new Int32Array(column.dictionary.length).fill(-1);
  for (let row = 0; row < table.rowCount; row++) {
    const code = column.codes[row];
    if (code < 0) continue;
    if (counts[code]++ === 0) firstRow[code] = row;
  }
  const outside: OutsideValue[] = [];
  column.dictionary.forEach((value, code) => {
    if (counts[code] > 0 && !allowedSet.has(value)) {
      outside.push({ value, count: counts[code], firstLine: table.rowLines[firstRow[code]] });
    }
  });
  return outside.sort((a, b) => b.count - a.count || a.firstLine - b.firstLine);
}

function checkKey(table: Table, keyField: string, fileColumns: ReadonlySet<string>): DataIssue[] {
  const column = table.byName.get(keyField);
  if (!column || !fileColumns.has(keyField)) {
    const suggestions = similarNames(keyField, fileColumns);
    return [
      issue(
        dataCode.keyNotAField,
        `key \`${keyField}\` is not a column of the data${didYouMean(suggestions)}`,
        { kind: 'key' },
        { field: keyField, suggestions },
      ),
    ];
  }
  const issues: DataIssue[] = [];
  // Each key value gets a small integer id (the dictionary code when there is one).
  const ids = new Int32Array(table.rowCount).fill(-1);
  const names: string[] = [];
  let nameCount = 0;
  let nameOf = (id: number): string => names[id];
  if (column.kind === 'dictionary') {
    ids.set(column.codes.subarray(0, table.rowCount));
    // A million keys are read as codes: only the duplicated ones are decoded.
    nameCount = dictionarySize(column);
    nameOf = (id) => dictionaryEntry(column, id);
  } else {
    const idOf = new Map<string, number>();
    for (let row = 0; row < table.rowCount; row++) {
      const key = columnValueAsString(column, row);
      if (key === undefined) continue;
      let id = idOf.get(key);
      if (id === undefined) {
        id = names.length;
        names.push(key);
        idOf.set(key, id);
      }
      ids[row] = id;
    }
    nameCount = names.length;
  }
  const counts = new Int32Array(nameCount);
  let missing = 0;
  let firstMissingRow = -1;
  const duplicated: number[] = [];
  for (let row = 0; row < table.rowCount; row++) {
    const id = ids[row];
    if (id < 0) {
      if (missing++ === 0) firstMissingRow = row;
    } else if (++counts[id] === 2) {
      duplicated.push(id);
    }
  }
  if (duplicated.length > 0) {
    const listedIds = duplicated.slice(0, LISTED);
    const lines = new Map<number, number[]>(listedIds.map((id) => [id, []]));
    for (let row = 0; row < table.rowCount; row++) {
      const rows = lines.get(ids[row]);
      if (rows && rows.length < LISTED) rows.push(table.rowLines[row]);
    }
    const first = listedIds.map((id) => ({ key: nameOf(id), count: counts[id], lines: lines.get(id) ?? [] }));
    const listed = first.map((d) => `${quoted(d.key)} (lines ${d.lines.join(', ')}${d.count > d.lines.length ? ', …' : ''})`).join(', ');
    issues.push(
      issue(
        dataCode.duplicateKey,
        `key \`${keyField}\` is not unique: ${plural(duplicated.length, 'value')} ${duplicated.length === 1 ? 'appears' : 'appear'} in more than one row: ${listed}${duplicated.length > LISTED ? ', …' : ''}`,
        { kind: 'key' },
        { field: keyField, count: duplicated.length, duplicates: first },
      ),
    );
  }
  if (missing > 0) {
    const line = table.rowLines[firstMissingRow];
    issues.push(
      issue(
        dataCode.missingKey,
        `key \`${keyField}\` is missing in ${plural(missing, 'row')} (first on line ${line})`,
        { kind: 'key' },
        { field: keyField, count: missing, firstLine: line },
      ),
    );
  }
  return issues;
}
