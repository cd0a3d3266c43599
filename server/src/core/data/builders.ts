/**
 * Column builders: one per column, fed cell by cell by the CSV and JSON
 * readers, each producing one column of the table plus what the schema
 * checks need to know (values that did not fit, missing values).
 *
 * Text cells arrive as byte slices (`addText`); JSON values other than
 * strings arrive as values (`addValue`). Rows may be skipped (an absent JSON
 * key): a row that is never given a value is missing.
 */
import {
  type CellSpans,
  SEMICOLON,
  decodeSlice,
  isBlank,
  isSemver,
  readBoolean,
  readDate,
  readDateTime,
  readInteger,
  readNumber,
  trimEnd,
  trimStart,
  unescapeQuotes,
} from './bytes.js';
import { fitFloat64, fitInt32, fitUint8, growFloat64, growInt32, growUint8 } from './grow.js';
import { type AcceptValue, ByteInterner } from './interner.js';
import { withDictionary } from './packed-strings.js';
import type { Column, ColumnType } from './table.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ColumnStats {
  /** Rows with a value that does not fit the column's type (they are missing in the table). */
  badCount: number;
  firstBadRow: number;
  firstBadValue: string;
  /** Rows with no value at all (not counting bad ones). */
  missingCount: number;
  firstMissingRow: number;
}

export interface BuiltColumn {
  column: Column;
  stats: ColumnStats;
}

/** `missing` marks: a row with a value that did not fit is kept apart until `finish`. */
const MISSING = 1;
const BAD = 2;
const MAX_SHOWN_VALUE = 80;

export function describeJsonValue(value: JsonValue): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE)}…` : text;
}

export abstract class ColumnBuilder {
  protected missing: Uint8Array<ArrayBuffer>;
  private badCount = 0;
  private firstBadRow = -1;
  private firstBadValue = '';

  constructor(
    readonly name: string,
    readonly type: ColumnType,
    capacity: number,
  ) {
    this.missing = new Uint8Array(capacity).fill(MISSING);
  }

  /**
   * Empty again, for the next block of a file, keeping the arrays: a
   * thread parsing block after block then allocates nothing per block. What
   * `finish` gave before is overwritten.
   */
  reset(): void {
    this.missing.fill(MISSING);
    this.badCount = 0;
    this.firstBadRow = -1;
    this.firstBadValue = '';
    this.resetValues();
  }

  protected abstract resetValues(): void;

  /** A text cell or JSON string: the value's UTF-8 bytes in `[start, end)`. */
  abstract addText(row: number, bytes: Uint8Array, start: number, end: number): void;

  /** A block of CSV cells: column `column` of `spans`, for rows `rowBase`…`rowBase + spans.count - 1`. */
  abstract addSpans(bytes: Uint8Array, spans: CellSpans, column: number, rowBase: number): void;

  /** A JSON value that is not a string. */
  abstract addValue(row: number, value: JsonValue): void;

  /** Forget a row's value (a JSON Lines line that turned out to be broken). */
  clearRow(row: number): void {
    if (row < this.missing.length) this.missing[row] = MISSING;
  }

  protected ensure(row: number): void {
    if (row >= this.missing.length) {
      this.missing = growUint8(this.missing, row + 1, MISSING);
      this.growValues(this.missing.length);
    }
  }

  protected abstract growValues(capacity: number): void;

  /** A quoted cell `[start, end)` whose doubled quotes are to be undone. */
  protected addQuoted(row: number, bytes: Uint8Array, start: number, end: number): void {
    const clean = unescapeQuotes(bytes, start, end);
    if (clean.length > 0) this.addText(row, clean, 0, clean.length);
  }

  protected present(row: number): void {
    this.missing[row] = 0;
  }

  protected badText(row: number, bytes: Uint8Array, start: number, end: number): void {
    this.bad(row, () => {
      const text = decodeSlice(bytes, start, Math.min(end, start + MAX_SHOWN_VALUE * 4));
      return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE)}…` : text;
    });
  }

  protected badValue(row: number, value: JsonValue): void {
    this.bad(row, () => describeJsonValue(value));
  }

  private bad(row: number, describe: () => string): void {
    if (this.missing[row] !== BAD) this.badCount++;
    this.missing[row] = BAD;
    if (this.firstBadRow < 0 || row < this.firstBadRow) {
      this.firstBadRow = row;
      this.firstBadValue = describe();
    }
  }

  /** The finished column for `rowCount` rows. */
  finish(rowCount: number): BuiltColumn {
    // Room for rows 0…rowCount - 1 (not one more: a builder made for exactly `rowCount` rows would double and be copied back).
    this.ensure(rowCount - 1);
    const missing = fitUint8(this.missing, rowCount, MISSING);
    // A column with a value in every row (the usual case) needs no pass in JavaScript.
    const firstMissingRow = missing.indexOf(MISSING);
    let missingCount = 0;
    if (firstMissingRow >= 0) missingCount = this.badCount === 0 ? countOnes(missing, firstMissingRow) : countMissing(missing, firstMissingRow);
    if (this.badCount > 0) for (let row = 0; row < rowCount; row++) if (missing[row] === BAD) missing[row] = MISSING;
    const stats: ColumnStats = {
      badCount: this.badCount,
      firstBadRow: this.firstBadRow,
      firstBadValue: this.firstBadValue,
      missingCount,
      firstMissingRow,
    };
    return { column: this.build(rowCount, missing), stats };
  }

  protected abstract build(rowCount: number, missing: Uint8Array): Column;
}

/** Rows marked MISSING from `from` on. */
function countMissing(marks: Uint8Array, from: number): number {
  let count = 0;
  for (let row = from; row < marks.length; row++) if (marks[row] === MISSING) count++;
  return count;
}

/**
 * Rows marked MISSING from `from` on, when every mark is 0 or 1: four marks
 * at a time (a multiply adds a word's four bytes into its top byte).
 */
function countOnes(marks: Uint8Array, from: number): number {
  let count = 0;
  let row = from;
  while (row < marks.length && (marks.byteOffset + row) % 4 !== 0) count += marks[row++];
  const wordCount = (marks.length - row) >> 2;
  if (wordCount > 0) {
    const words = new Int32Array(marks.buffer, marks.byteOffset + row, wordCount);
    for (let k = 0; k < wordCount; k++) count += Math.imul(words[k], 0x01010101) >>> 24;
    row += wordCount * 4;
  }
  for (; row < marks.length; row++) count += marks[row];
  return count;
}

type NumericType = 'integer' | 'number' | 'date' | 'datetime';

const INTEGER = 0;
const NUMBER = 1;
const DATE = 2;
const DATETIME = 3;
const numericKinds: Record<NumericType, number> = { integer: INTEGER, number: NUMBER, date: DATE, datetime: DATETIME };

export class NumericBuilder extends ColumnBuilder {
  private values: Float64Array<ArrayBuffer>;
  /** A small number rather than a function: a switch keeps each reader inlinable. */
  private readonly kind: number;

  constructor(name: string, type: NumericType, capacity: number) {
    super(name, type, capacity);
    this.values = new Float64Array(capacity);
    this.kind = numericKinds[type];
  }

  private read(bytes: Uint8Array, start: number, end: number): number {
    switch (this.kind) {
      case INTEGER:
        return readInteger(bytes, start, end);
      case NUMBER:
        return readNumber(bytes, start, end);
      case DATE:
        return readDate(bytes, start, end);
      default:
        return readDateTime(bytes, start, end);
    }
  }

  protected growValues(capacity: number): void {
    this.values = growFloat64(this.values, capacity);
  }

  protected resetValues(): void {
    this.values.fill(0);
  }

  // Each builder has its own loop on purpose: the block's rows are reserved
  // once, the arrays are locals, and the reader is inlined into the loop (the
  // hot path of CSV loading). Quoted cells with doubled quotes take `addText`.
  addSpans(bytes: Uint8Array, spans: CellSpans, column: number, rowBase: number): void {
    const { starts, ends, stride, count } = spans;
    if (count === 0) return;
    this.ensure(rowBase + count - 1);
    const { values, missing } = this;
    for (let k = 0, at = column; k < count; k++, at += stride) {
      let s = starts[at];
      let e = ends[at];
      if (e < 0) {
        this.addQuoted(rowBase + k, bytes, s, -e - 1);
        continue;
      }
      while (s < e && isBlank(bytes[s])) s++;
      while (e > s && isBlank(bytes[e - 1])) e--;
      if (s === e) continue;
      const value = this.read(bytes, s, e);
      if (value === value) {
        values[rowBase + k] = value;
        missing[rowBase + k] = 0;
      } else {
        this.badText(rowBase + k, bytes, starts[at], ends[at]);
      }
    }
  }

  addText(row: number, bytes: Uint8Array, start: number, end: number): void {
    const s = trimStart(bytes, start, end);
    const e = trimEnd(bytes, s, end);
    if (s === e) return;
    this.ensure(row);
    const value = this.read(bytes, s, e);
    if (value === value) {
      this.values[row] = value;
      this.present(row);
    } else {
      this.badText(row, bytes, start, end);
    }
  }

  addValue(row: number, value: JsonValue): void {
    if (value === null) return;
    this.ensure(row);
    const fits =
      typeof value === 'number' &&
      (this.type === 'number' || (this.type === 'integer' && Number.isSafeInteger(value)));
    if (fits) {
      this.values[row] = value;
      this.present(row);
    } else {
      this.badValue(row, value);
    }
  }

  protected build(rowCount: number, missing: Uint8Array): Column {
    return {
      kind: 'numeric',
      type: this.type as NumericType,
      name: this.name,
      missing,
      values: fitFloat64(this.values, rowCount),
    };
  }
}

export class BooleanBuilder extends ColumnBuilder {
  private values: Uint8Array<ArrayBuffer>;

  constructor(name: string, capacity: number) {
    super(name, 'boolean', capacity);
    this.values = new Uint8Array(capacity);
  }

  protected growValues(capacity: number): void {
    this.values = growUint8(this.values, capacity);
  }

  protected resetValues(): void {
    this.values.fill(0);
  }

  addSpans(bytes: Uint8Array, spans: CellSpans, column: number, rowBase: number): void {
    const { starts, ends, stride, count } = spans;
    if (count === 0) return;
    this.ensure(rowBase + count - 1);
    const { values, missing } = this;
    for (let k = 0, at = column; k < count; k++, at += stride) {
      let s = starts[at];
      let e = ends[at];
      if (e < 0) {
        this.addQuoted(rowBase + k, bytes, s, -e - 1);
        continue;
      }
      while (s < e && isBlank(bytes[s])) s++;
      while (e > s && isBlank(bytes[e - 1])) e--;
      if (s === e) continue;
      const value = readBoolean(bytes, s, e);
      if (value >= 0) {
        values[rowBase + k] = value;
        missing[rowBase + k] = 0;
      } else {
        this.badText(rowBase + k, bytes, starts[at], ends[at]);
      }
    }
  }

  addText(row: number, bytes: Uint8Array, start: number, end: number): void {
    const s = trimStart(bytes, start, end);
    const e = trimEnd(bytes, s, end);
    if (s === e) return;
    this.ensure(row);
    const value = readBoolean(bytes, s, e);
    if (value >= 0) {
      this.values[row] = value;
      this.present(row);
    } else {
      this.badText(row, bytes, start, end);
    }
  }

  addValue(row: number, value: JsonValue): void {
    if (value === null) return;
    this.ensure(row);
    if (typeof value === 'boolean' || value === 0 || value === 1) {
      this.values[row] = value === true || value === 1 ? 1 : 0;
      this.present(row);
    } else {
      this.badValue(row, value);
    }
  }

  protected build(rowCount: number, missing: Uint8Array): Column {
    return { kind: 'boolean', type: 'boolean', name: this.name, missing, values: fitUint8(this.values, rowCount) };
  }
}

type DictionaryType = 'string' | 'enum' | 'semver';

export class DictionaryBuilder extends ColumnBuilder {
  private codes: Int32Array<ArrayBuffer>;
  private readonly interner = new ByteInterner();
  /** Versions are checked once per distinct value, when first seen. */
  private readonly accept: AcceptValue | undefined;
  /** Reset at least once: its blocks are copied out before the next, so `finish` need not trim copies of the dictionary. */
  private reused = false;

  constructor(name: string, type: DictionaryType, capacity: number) {
    super(name, type, capacity);
    this.codes = new Int32Array(capacity).fill(-1);
    this.accept = type === 'semver' ? isSemver : undefined;
  }

  protected growValues(capacity: number): void {
    this.codes = growInt32(this.codes, capacity, -1);
  }

  protected resetValues(): void {
    this.codes.fill(-1);
    this.interner.reset();
    this.reused = true;
  }

  addSpans(bytes: Uint8Array, spans: CellSpans, column: number, rowBase: number): void {
    const { starts, ends, stride, count } = spans;
    if (count === 0) return;
    this.ensure(rowBase + count - 1);
    const { codes, missing, interner, accept } = this;
    // Free text keeps its spaces; labels and versions do not.
    const trim = this.type !== 'string';
    for (let k = 0, at = column; k < count; k++, at += stride) {
      let s = starts[at];
      let e = ends[at];
      if (e < 0) {
        this.addQuoted(rowBase + k, bytes, s, -e - 1);
        continue;
      }
      if (trim) {
        while (s < e && isBlank(bytes[s])) s++;
        while (e > s && isBlank(bytes[e - 1])) e--;
      }
      if (s === e) continue;
      const code = interner.intern(bytes, s, e, accept);
      codes[rowBase + k] = code;
      if (code >= 0) missing[rowBase + k] = 0;
      else this.badText(rowBase + k, bytes, starts[at], ends[at]);
    }
  }

  addText(row: number, bytes: Uint8Array, start: number, end: number): void {
    // Free text keeps its spaces; labels and versions do not.
    let s = start;
    let e = end;
    if (this.type !== 'string') {
      s = trimStart(bytes, start, end);
      e = trimEnd(bytes, s, end);
    }
    if (s === e) return;
    this.ensure(row);
    const code = this.interner.intern(bytes, s, e, this.accept);
    this.codes[row] = code;
    if (code >= 0) this.present(row);
    else this.badText(row, bytes, start, end);
  }

  addValue(row: number, value: JsonValue): void {
    if (value === null) return;
    this.ensure(row);
    if ((typeof value === 'number' || typeof value === 'boolean') && this.type !== 'semver') {
      this.codes[row] = this.interner.internString(String(value));
      this.present(row);
    } else {
      this.codes[row] = -1;
      this.badValue(row, value);
    }
  }

  override clearRow(row: number): void {
    super.clearRow(row);
    if (row < this.codes.length) this.codes[row] = -1;
  }

  protected build(rowCount: number, missing: Uint8Array): Column {
    const column = { kind: 'dictionary' as const, type: this.type as DictionaryType, name: this.name, missing, codes: fitInt32(this.codes, rowCount, -1) };
    return withDictionary(column, this.interner.packed(!this.reused));
  }
}

/**
 * `list<string>` / `list<integer>`. In text, items are separated by `;` and
 * trimmed; empty items are dropped; `[]` is an explicit empty list (an empty
 * cell is a missing value, as everywhere else).
 */
abstract class ListBuilder extends ColumnBuilder {
  protected offsets: Int32Array<ArrayBuffer>;
  protected itemCount = 0;
  /** Rows whose slice is closed; rows arrive in increasing order. */
  private closedRows = 0;

  constructor(name: string, type: 'list<string>' | 'list<integer>', capacity: number) {
    super(name, type, capacity);
    this.offsets = new Int32Array(capacity + 1);
  }

  protected growValues(capacity: number): void {
    this.offsets = growInt32(this.offsets, capacity + 1);
  }

  protected resetValues(): void {
    this.offsets.fill(0);
    this.itemCount = 0;
    this.closedRows = 0;
  }

  /** Start row `row`, closing skipped rows as empty; false when the row was already given. */
  private open(row: number): boolean {
    if (row < this.closedRows) return false;
    this.ensure(row);
    while (this.closedRows < row) this.offsets[++this.closedRows] = this.itemCount;
    return true;
  }

  private close(row: number): void {
    this.offsets[row + 1] = this.itemCount;
    this.closedRows = row + 1;
  }

  /** Undo the items of a row that turned out not to fit. */
  private rollback(row: number): void {
    this.itemCount = this.offsets[row];
  }

  protected abstract addItemText(bytes: Uint8Array, start: number, end: number): boolean;
  protected abstract addItemValue(value: JsonValue): boolean;

  addSpans(bytes: Uint8Array, spans: CellSpans, column: number, rowBase: number): void {
    const { starts, ends, stride, count } = spans;
    for (let k = 0, at = column; k < count; k++, at += stride) {
      const start = starts[at];
      const end = ends[at];
      if (end < 0) this.addQuoted(rowBase + k, bytes, start, -end - 1);
      else if (start !== end) this.addText(rowBase + k, bytes, start, end);
    }
  }

  addText(row: number, bytes: Uint8Array, start: number, end: number): void {
    const s = trimStart(bytes, start, end);
    const e = trimEnd(bytes, s, end);
    if (s === e || !this.open(row)) return;
    let ok = true;
    const emptyList = e - s === 2 && bytes[s] === 0x5b && bytes[s + 1] === 0x5d;
    if (!emptyList) {
      let itemStart = s;
      for (let i = s; i <= e && ok; i++) {
        if (i === e || bytes[i] === SEMICOLON) {
          const is = trimStart(bytes, itemStart, i);
          const ie = trimEnd(bytes, is, i);
          if (is < ie) ok = this.addItemText(bytes, is, ie);
          itemStart = i + 1;
        }
      }
    }
    if (ok) {
      this.present(row);
    } else {
      this.rollback(row);
      this.badText(row, bytes, start, end);
    }
    this.close(row);
  }

  addValue(row: number, value: JsonValue): void {
    if (value === null || !this.open(row)) return;
    let ok = Array.isArray(value);
    if (Array.isArray(value)) {
      for (const item of value) {
        if (item === null) continue;
        if (!this.addItemValue(item)) {
          ok = false;
          break;
        }
      }
    }
    if (ok) {
      this.present(row);
    } else {
      this.rollback(row);
      this.badValue(row, value);
    }
    this.close(row);
  }

  override clearRow(row: number): void {
    super.clearRow(row);
    if (row === this.closedRows - 1) {
      this.rollback(row);
      this.closedRows = row;
    }
  }

  /** After `finish` made room for `rowCount` rows: the rows not given yet are closed empty. */
  protected closeAll(rowCount: number): Int32Array {
    while (this.closedRows < rowCount) this.offsets[++this.closedRows] = this.itemCount;
    return fitInt32(this.offsets, rowCount + 1);
  }
}

export class StringListBuilder extends ListBuilder {
  private items = new Int32Array(1024);
  private readonly interner = new ByteInterner();

  constructor(name: string, capacity: number) {
    super(name, 'list<string>', capacity);
  }

  protected override resetValues(): void {
    super.resetValues();
    this.interner.reset();
  }

  protected addItemText(bytes: Uint8Array, start: number, end: number): boolean {
    if (this.itemCount === this.items.length) this.items = growInt32(this.items, this.itemCount + 1);
    this.items[this.itemCount++] = this.interner.intern(bytes, start, end);
    return true;
  }

  protected addItemValue(value: JsonValue): boolean {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
    this.items = growInt32(this.items, this.itemCount + 1);
    this.items[this.itemCount++] = this.interner.internString(String(value));
    return true;
  }

  protected build(rowCount: number, missing: Uint8Array): Column {
    const offsets = this.closeAll(rowCount);
    return {
      kind: 'stringList',
      type: 'list<string>',
      name: this.name,
      missing,
      offsets,
      itemCodes: fitInt32(this.items, offsets[rowCount]),
      dictionary: this.interner.strings(),
    };
  }
}

export class IntegerListBuilder extends ListBuilder {
  private items = new Float64Array(1024);

  constructor(name: string, capacity: number) {
    super(name, 'list<integer>', capacity);
  }

  private push(value: number): void {
    this.items = growFloat64(this.items, this.itemCount + 1);
    this.items[this.itemCount++] = value;
  }

  protected addItemText(bytes: Uint8Array, start: number, end: number): boolean {
    const value = readInteger(bytes, start, end);
    if (value !== value) return false;
    this.push(value);
    return true;
  }

  protected addItemValue(value: JsonValue): boolean {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return false;
    this.push(value);
    return true;
  }

  protected build(rowCount: number, missing: Uint8Array): Column {
    const offsets = this.closeAll(rowCount);
    return {
      kind: 'integerList',
      type: 'list<integer>',
      name: this.name,
      missing,
      offsets,
      itemValues: fitFloat64(this.items, offsets[rowCount]),
    };
  }
}

export function createBuilder(name: string, type: ColumnType, capacity: number): ColumnBuilder {
  switch (type) {
    case 'integer':
    case 'number':
    case 'date':
    case 'datetime':
      return new NumericBuilder(name, type, capacity);
    case 'boolean':
      return new BooleanBuilder(name, capacity);
    case 'string':
    case 'enum':
    case 'semver':
      return new DictionaryBuilder(name, type, capacity);
    case 'list<string>':
      return new StringListBuilder(name, capacity);
    case 'list<integer>':
      return new IntegerListBuilder(name, capacity);
  }
}
