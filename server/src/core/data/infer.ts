/**
 * Type inference for columns that `fields { }` does not declare. The values
 * are kept (as byte slices of the file, or JSON values) until the whole
 * column has been seen, then the narrowest type that fits every value is
 * chosen and the column is built as if it had been declared with that type.
 *
 * Order of preference: boolean (only when a word such as `yes` or `false`
 * appears: a 0/1 column stays an integer), integer, number, date, datetime,
 * semver, list (conservative: several values with `;`, short items), enum (few
 * distinct short values, repeated), else string.
 */
import {
  type CellSpans,
  SEMICOLON,
  isBooleanWord,
  isIntegerBeyondSafeRange,
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
import { type BuiltColumn, type JsonValue, createBuilder } from './builders.js';
import { growInt32, growUint8 } from './grow.js';
import { ByteInterner } from './interner.js';
import type { ColumnType } from './table.js';

const BOOLEAN = 1;
const INTEGER = 2;
const NUMBER = 4;
const DATE = 8;
const DATETIME = 16;
const SEMVER = 32;
const ALL = BOOLEAN | INTEGER | NUMBER | DATE | DATETIME | SEMVER;

export const ENUM_MAX_DISTINCT = 20;
const ENUM_MAX_LENGTH = 40;
const LIST_MAX_ITEM_LENGTH = 32;

export interface InferredType {
  type: ColumnType;
  optional: boolean;
}

/** What the text values of a column look like. */
export class TextProfile {
  nonMissing = 0;
  private candidates = ALL;
  private sawBooleanWord = false;
  private readonly distinct = new ByteInterner();
  private tooManyDistinct = false;
  private maxLength = 0;
  private withSemicolon = 0;
  private listItemsPlausible = true;
  private listItemsIntegers = true;

  add(bytes: Uint8Array, start: number, end: number): void {
    const s = trimStart(bytes, start, end);
    const e = trimEnd(bytes, s, end);
    if (s === e) return;
    this.nonMissing++;
    if (this.candidates !== 0) this.narrow(bytes, s, e);
    if (e - s > this.maxLength) this.maxLength = e - s;
    if (!this.tooManyDistinct) {
      this.distinct.intern(bytes, s, e);
      if (this.distinct.size > ENUM_MAX_DISTINCT) this.tooManyDistinct = true;
    }
    if (this.listItemsPlausible) {
      if (this.candidates === 0) {
        this.profileList(bytes, s, e);
      } else {
        // A value of a scalar type has no `;`: it would be a one-item list.
        if (e - s > LIST_MAX_ITEM_LENGTH) this.listItemsPlausible = false;
        if (!(this.candidates & INTEGER)) this.listItemsIntegers = false;
      }
    }
  }

  private narrow(bytes: Uint8Array, s: number, e: number): void {
    let c = this.candidates;
    if (c & BOOLEAN) {
      if (readBoolean(bytes, s, e) < 0) c &= ~BOOLEAN;
      else if (isBooleanWord(bytes, s, e)) this.sawBooleanWord = true;
    }
    if (c & INTEGER && Number.isNaN(readInteger(bytes, s, e))) c &= ~INTEGER;
    // A 20-digit id is not a number: as a double it would be rounded, and ids would collide (16+ digits).
    if (c & NUMBER && e - s > 15 && isIntegerBeyondSafeRange(bytes, s, e)) c &= ~NUMBER;
    if (c & NUMBER && Number.isNaN(readNumber(bytes, s, e))) c &= ~NUMBER;
    if (c & DATE && Number.isNaN(readDate(bytes, s, e))) c &= ~DATE;
    if (c & DATETIME && Number.isNaN(readDateTime(bytes, s, e))) c &= ~DATETIME;
    if (c & SEMVER && !isSemver(bytes, s, e)) c &= ~SEMVER;
    this.candidates = c;
  }

  private profileList(bytes: Uint8Array, s: number, e: number): void {
    if (e - s === 2 && bytes[s] === 0x5b && bytes[s + 1] === 0x5d) return;
    let hasSemicolon = false;
    let itemStart = s;
    for (let i = s; i <= e; i++) {
      if (i < e && bytes[i] !== SEMICOLON) continue;
      if (i < e) hasSemicolon = true;
      const is = trimStart(bytes, itemStart, i);
      const ie = trimEnd(bytes, is, i);
      if (is === ie || ie - is > LIST_MAX_ITEM_LENGTH) {
        this.listItemsPlausible = false;
        return;
      }
      if (this.listItemsIntegers && Number.isNaN(readInteger(bytes, is, ie))) this.listItemsIntegers = false;
      itemStart = i + 1;
    }
    if (hasSemicolon) this.withSemicolon++;
  }

  /** The inferred type of the text values; undefined when there were none. */
  type(): ColumnType | undefined {
    if (this.nonMissing === 0) return undefined;
    const c = this.candidates;
    if (c & BOOLEAN && this.sawBooleanWord) return 'boolean';
    if (c & INTEGER) return 'integer';
    if (c & NUMBER) return 'number';
    if (c & DATE) return 'date';
    if (c & DATETIME) return 'datetime';
    if (c & SEMVER) return 'semver';
    const listLike =
      this.listItemsPlausible && this.withSemicolon >= 2 && this.withSemicolon * 10 >= this.nonMissing;
    if (listLike) return this.listItemsIntegers ? 'list<integer>' : 'list<string>';
    const enumLike =
      !this.tooManyDistinct &&
      this.distinct.size * 3 <= this.nonMissing &&
      this.maxLength <= ENUM_MAX_LENGTH;
    return enumLike ? 'enum' : 'string';
  }
}

/** What the values of a JSON column look like. */
class JsonProfile {
  private readonly text = new TextProfile();
  private strings = 0;
  private numbers = 0;
  private fractional = false;
  private booleans = 0;
  private arrays = 0;
  private arraysOfIntegers = true;
  private others = 0;

  addString(bytes: Uint8Array, start: number, end: number): void {
    this.strings++;
    this.text.add(bytes, start, end);
  }

  addValue(value: JsonValue): void {
    if (value === null) return;
    if (typeof value === 'number') {
      this.numbers++;
      if (!Number.isSafeInteger(value)) this.fractional = true;
    } else if (typeof value === 'boolean') {
      this.booleans++;
    } else if (Array.isArray(value)) {
      this.arrays++;
      if (!value.every((item) => item === null || Number.isSafeInteger(item))) this.arraysOfIntegers = false;
    } else {
      this.others++;
    }
  }

  type(): ColumnType | undefined {
    const total = this.strings + this.numbers + this.booleans + this.arrays + this.others;
    if (total === 0) return undefined;
    if (this.others > 0) return 'string';
    if (this.arrays === total) return this.arraysOfIntegers ? 'list<integer>' : 'list<string>';
    if (this.arrays > 0) return 'list<string>';
    if (this.booleans === total) return 'boolean';
    if (this.numbers === total) return this.fractional ? 'number' : 'integer';
    // Strings mixed with numbers or booleans: the strings decide, if the others fit.
    const textType = this.text.type();
    if (this.numbers > 0 && this.booleans === 0) {
      if (textType === 'integer') return this.fractional ? 'number' : 'integer';
      if (textType === 'number') return 'number';
    }
    if (this.booleans > 0 && this.numbers === 0 && textType === 'boolean') return 'boolean';
    return this.numbers + this.booleans > 0 ? 'string' : textType;
  }
}

function inferredType(type: ColumnType | undefined, column: BuiltColumn): InferredType {
  return { type: type ?? 'string', optional: column.stats.missingCount > 0 };
}

/** Cells of a text column: cell `k` is `pool[offsets[k], offsets[k + 1])`, empty when missing. */
export interface RawCells {
  pool: Uint8Array;
  offsets: Int32Array;
  rows: number;
}

/**
 * An undeclared CSV/TSV column: its cells' bytes, kept until the column is
 * complete (the file itself may be read in pieces and not be kept).
 */
export class DeferredTextColumn {
  private pool: Uint8Array<ArrayBuffer>;
  /** Cell `row` is `pool[offsets[row], offsets[row + 1])`; an empty cell is a missing value. */
  private offsets: Int32Array<ArrayBuffer>;
  private rows = 0;

  constructor(
    readonly name: string,
    /** Rows expected (an estimate). */
    private readonly capacity: number,
  ) {
    this.pool = new Uint8Array(Math.max(1024, capacity * 4));
    this.offsets = new Int32Array(capacity + 1);
  }

  /** Column `column` of a block of cells of `bytes` (rows `rowBase`… follow the rows added so far). */
  addSpans(bytes: Uint8Array, spans: CellSpans, column: number, rowBase: number): void {
    const { starts, ends, stride, count } = spans;
    this.offsets = growInt32(this.offsets, rowBase + count + 1);
    const offsets = this.offsets;
    let used = offsets[this.rows];
    for (let row = this.rows; row < rowBase; row++) offsets[row + 1] = used;
    for (let k = 0, at = column; k < count; k++, at += stride) {
      const start = starts[at];
      const end = ends[at];
      const source = end >= 0 ? bytes : unescapeQuotes(bytes, start, -end - 1);
      const from = end >= 0 ? start : 0;
      const to = end >= 0 ? end : source.length;
      if (used + (to - from) > this.pool.length) this.growPool(used, used + (to - from), rowBase + k);
      const pool = this.pool;
      for (let b = from; b < to; b++) pool[used++] = source[b];
      offsets[rowBase + k + 1] = used;
    }
    this.rows = rowBase + count;
  }

  /**
   * Room for `needed` bytes, `rows` rows being in: enough for all the
   * expected rows at the length of the cells so far (and a margin), so a long
   * column grows once instead of doubling from a guess of four bytes a cell,
   * with a copy each time; never less than half again as much.
   */
  private growPool(used: number, needed: number, rows: number): void {
    const expected = rows < 64 ? 0 : Math.ceil((used / rows) * Math.max(this.capacity, rows) * 1.1);
    const grown = new Uint8Array(Math.max(needed, expected, Math.ceil(this.pool.length * 1.5)));
    grown.set(this.pool.subarray(0, used));
    this.pool = grown;
  }

  /** No cells, keeping the arrays (see ColumnBuilder.reset). */
  reset(): void {
    this.rows = 0;
  }

  /** The cells so far (to be appended to the same column of an earlier block). */
  cells(): RawCells {
    return { pool: this.pool.subarray(0, this.offsets[this.rows]), offsets: this.offsets.subarray(0, this.rows + 1), rows: this.rows };
  }

  /** The cells of a later block, its first row being row `rowBase`. */
  appendCells(cells: RawCells, rowBase: number): void {
    this.offsets = growInt32(this.offsets, rowBase + cells.rows + 1);
    const offsets = this.offsets;
    const used = offsets[this.rows];
    for (let row = this.rows; row < rowBase; row++) offsets[row + 1] = used;
    const size = cells.offsets[cells.rows] - cells.offsets[0];
    this.pool = growUint8(this.pool, used + size);
    this.pool.set(cells.pool.subarray(cells.offsets[0], cells.offsets[cells.rows]), used);
    const shift = used - cells.offsets[0];
    for (let k = 1; k <= cells.rows; k++) offsets[rowBase + k] = cells.offsets[k] + shift;
    this.rows = rowBase + cells.rows;
  }

  finish(rowCount: number): { built: BuiltColumn; inferred: InferredType } {
    const { pool, offsets } = this;
    const profile = new TextProfile();
    for (let row = 0; row < this.rows; row++) profile.add(pool, offsets[row], offsets[row + 1]);
    const type = profile.type();
    const builder = createBuilder(this.name, type ?? 'string', rowCount);
    // The cells as one block of spans (cell `row` ends where the next begins): the builder's block loop, no copy.
    const spans: CellSpans = { starts: offsets.subarray(0, this.rows), ends: offsets.subarray(1, this.rows + 1), stride: 1, count: this.rows };
    builder.addSpans(pool, spans, 0, 0);
    const built = builder.finish(rowCount);
    return { built, inferred: inferredType(type, built) };
  }
}

/**
 * An undeclared JSON column, kept until the column is complete: strings
 * without escapes as slices of the file, other values as they are.
 */
export class DeferredJsonColumn {
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  /** Per row: 0 no value, 1 a string slice of the file, 2 a value in `others`. */
  private kinds = new Uint8Array(1024);
  private readonly others = new Map<number, JsonValue | Uint8Array>();

  constructor(
    readonly name: string,
    private readonly file: Uint8Array,
  ) {}

  private reserve(row: number): void {
    if (row < this.kinds.length) return;
    this.starts = growInt32(this.starts, row + 1);
    this.ends = growInt32(this.ends, row + 1);
    this.kinds = growUint8(this.kinds, row + 1);
  }

  addText(row: number, bytes: Uint8Array, start: number, end: number): void {
    this.reserve(row);
    if (bytes === this.file) {
      this.starts[row] = start;
      this.ends[row] = end;
      this.kinds[row] = 1;
    } else {
      this.others.set(row, bytes.slice(start, end));
      this.kinds[row] = 2;
    }
  }

  addValue(row: number, value: JsonValue): void {
    this.reserve(row);
    this.others.set(row, value);
    this.kinds[row] = 2;
  }

  clearRow(row: number): void {
    if (row >= this.kinds.length) return;
    this.kinds[row] = 0;
    this.others.delete(row);
  }

  private visit(rowCount: number, text: (row: number, bytes: Uint8Array, start: number, end: number) => void, value: (row: number, value: JsonValue) => void): void {
    const rows = Math.min(rowCount, this.kinds.length);
    for (let row = 0; row < rows; row++) {
      const kind = this.kinds[row];
      if (kind === 1) {
        text(row, this.file, this.starts[row], this.ends[row]);
      } else if (kind === 2) {
        const other = this.others.get(row);
        if (other instanceof Uint8Array) text(row, other, 0, other.length);
        else if (other !== undefined) value(row, other);
      }
    }
  }

  finish(rowCount: number): { built: BuiltColumn; inferred: InferredType } {
    const profile = new JsonProfile();
    this.visit(
      rowCount,
      (_row, bytes, start, end) => profile.addString(bytes, start, end),
      (_row, value) => profile.addValue(value),
    );
    const type = profile.type();
    const builder = createBuilder(this.name, type ?? 'string', rowCount);
    this.visit(
      rowCount,
      (row, bytes, start, end) => builder.addText(row, bytes, start, end),
      (row, value) => builder.addValue(row, value),
    );
    const built = builder.finish(rowCount);
    return { built, inferred: inferredType(type, built) };
  }
}
