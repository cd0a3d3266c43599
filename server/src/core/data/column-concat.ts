/**
 * One column from the same column of consecutive blocks of a file (read
 * separately, perhaps on other threads): values and missing marks are
 * copied in order, dictionary codes are mapped onto one dictionary, and the
 * statistics add up as if the column had been read in one go.
 *
 * The outputs are allocated once for the estimated row count (merging is
 * then copies with `.set`, nothing grows unless the estimate was short).
 */
import type { BuiltColumn, ColumnStats } from './builders.js';
import { fitFloat64, fitInt32, fitUint8, growFloat64, growInt32, growUint8 } from './grow.js';
import { type CodeShift, DictionaryMerge } from './dictionary-merge.js';
import { withDictionary } from './packed-strings.js';
import { ArrayArena, arenaBytes } from './array-arena.js';
import type { Column, ColumnType } from './table.js';
import { unreachable } from '../util/unreachable.js';

export class ColumnConcat {
  private rows = 0;
  private missing: Uint8Array<ArrayBuffer>;
  private floats = new Float64Array(0);
  private bytes = new Uint8Array(0);
  private codes = new Int32Array(0);
  private offsets = new Int32Array(1);
  private items = 0;
  private readonly dictionary: DictionaryMerge;
  private readonly stats: ColumnStats = { badCount: 0, firstBadRow: -1, firstBadValue: '', missingCount: 0, firstMissingRow: -1 };

  /** `arena`: where the arrays sized by `capacity` come from (`arenaBytesFor` bytes of it). */
  constructor(
    readonly name: string,
    readonly type: ColumnType,
    capacity: number,
    arena = new ArrayArena(ColumnConcat.arenaBytesFor(type, capacity)),
  ) {
    this.missing = arena.uint8(capacity);
    this.dictionary = new DictionaryMerge(capacity);
    switch (type) {
      case 'integer':
      case 'number':
      case 'date':
      case 'datetime':
        this.floats = arena.float64(capacity);
        break;
      case 'boolean':
        this.bytes = arena.uint8(capacity);
        break;
      case 'string':
      case 'enum':
      case 'semver':
        this.codes = arena.int32(capacity);
        break;
      case 'list<string>':
      case 'list<integer>':
        this.offsets = arena.int32(capacity + 1);
        break;
      default:
        return unreachable(type);
    }
  }

  /** Bytes of the arrays a column of `type` takes from its arena for `capacity` rows. */
  static arenaBytesFor(type: ColumnType, capacity: number): number {
    const missing = arenaBytes(capacity);
    switch (type) {
      case 'integer':
      case 'number':
      case 'date':
      case 'datetime':
        return missing + arenaBytes(capacity * 8);
      case 'boolean':
        return missing + arenaBytes(capacity);
      case 'string':
      case 'enum':
      case 'semver':
        return missing + arenaBytes(capacity * 4);
      case 'list<string>':
      case 'list<integer>':
        return missing + arenaBytes((capacity + 1) * 4);
      default:
        return unreachable(type);
    }
  }

  /** The column of the next block; its first row is row `rowBase` (rows before it, skipped, are missing). */
  append(block: BuiltColumn, rowBase: number): void {
    const { column, stats } = block;
    const count = column.missing.length;
    const end = rowBase + count;
    this.missing = growUint8(this.missing, end);
    if (rowBase > this.rows) this.missing.fill(1, this.rows, rowBase);
    // Marks are 0 until set: a block with a value in every row writes none, and a column with no missing value never touches its marks' memory (not resident in a large arena).
    if (stats.firstMissingRow >= 0 || stats.badCount > 0) this.missing.set(column.missing, rowBase);
    switch (column.kind) {
      case 'numeric':
        this.floats = growFloat64(this.floats, end);
        this.floats.set(column.values, rowBase);
        break;
      case 'boolean':
        this.bytes = growUint8(this.bytes, end);
        this.bytes.set(column.values, rowBase);
        break;
      case 'dictionary': {
        this.codes = growInt32(this.codes, end, -1);
        this.codes.fill(-1, this.rows, rowBase);
        shiftCodes(column.codes, 0, count, this.dictionary.add(column, count), this.codes, rowBase, -1);
        break;
      }
      case 'stringList':
      case 'integerList': {
        this.offsets = growInt32(this.offsets, end + 1);
        const offsets = this.offsets;
        for (let row = this.rows; row < rowBase; row++) offsets[row + 1] = this.items;
        const base = this.items - column.offsets[0];
        for (let k = 1; k <= count; k++) offsets[rowBase + k] = column.offsets[k] + base;
        const itemCount = column.offsets[count] - column.offsets[0];
        if (column.kind === 'stringList') {
          this.codes = growInt32(this.codes, this.items + itemCount);
          shiftCodes(column.itemCodes, column.offsets[0], itemCount, this.dictionary.add(column, count), this.codes, this.items, 0);
        } else {
          this.floats = growFloat64(this.floats, this.items + itemCount);
          this.floats.set(column.itemValues.subarray(column.offsets[0], column.offsets[count]), this.items);
        }
        this.items += itemCount;
        break;
      }
      default:
        return unreachable(column);
    }
    const totals = this.stats;
    if (totals.firstBadRow < 0 && stats.firstBadRow >= 0) {
      totals.firstBadRow = rowBase + stats.firstBadRow;
      totals.firstBadValue = stats.firstBadValue;
    }
    totals.badCount += stats.badCount;
    if (totals.firstMissingRow < 0 && stats.firstMissingRow >= 0) totals.firstMissingRow = rowBase + stats.firstMissingRow;
    totals.missingCount += stats.missingCount;
    this.rows = end;
  }

  finish(rowCount: number): BuiltColumn {
    const stats = { ...this.stats };
    if (rowCount > this.rows) {
      // Rows after the last block's: missing.
      if (stats.firstMissingRow < 0) stats.firstMissingRow = this.rows;
      stats.missingCount += rowCount - this.rows;
    }
    const missing = fitUint8(this.missing, rowCount, 1);
    if (rowCount > this.rows) missing.fill(1, this.rows, rowCount);
    const name = this.name;
    const type = this.type;
    const column = ((): Column => {
      switch (type) {
        case 'integer':
        case 'number':
        case 'date':
        case 'datetime':
          return { kind: 'numeric', type, name, missing, values: fitFloat64(this.floats, rowCount) };
        case 'boolean':
          return { kind: 'boolean', type, name, missing, values: fitUint8(this.bytes, rowCount) };
        case 'string':
        case 'enum':
        case 'semver':
          if (this.codes.length > this.rows) this.codes.fill(-1, this.rows, Math.min(rowCount, this.codes.length));
          return withDictionary({ kind: 'dictionary' as const, type, name, missing, codes: fitInt32(this.codes, rowCount, -1) }, this.dictionary.packed());
        case 'list<string>':
        case 'list<integer>': {
          const offsets = growInt32(this.offsets, rowCount + 1);
          for (let row = this.rows; row < rowCount; row++) offsets[row + 1] = this.items;
          const fitted = fitInt32(offsets, rowCount + 1);
          return type === 'list<string>'
            ? withDictionary({ kind: 'stringList' as const, type, name, missing, offsets: fitted, itemCodes: fitInt32(this.codes, this.items) }, this.dictionary.packed())
            : { kind: 'integerList', type, name, missing, offsets: fitted, itemValues: fitFloat64(this.floats, this.items) };
        }
        default:
          return unreachable(type);
      }
    })();
    return { column, stats };
  }
}

/**
 * `source[from, from + count)` mapped by `shift` into `target` from `at`;
 * a negative code (missing) becomes `missingCode`.
 */
function shiftCodes(source: Int32Array, from: number, count: number, shift: CodeShift, target: Int32Array, at: number, missingCode: number): void {
  if ('base' in shift) {
    const { base } = shift;
    for (let k = 0; k < count; k++) {
      const code = source[from + k];
      target[at + k] = code < 0 ? missingCode : code + base;
    }
  } else {
    const { map } = shift;
    for (let k = 0; k < count; k++) {
      const code = source[from + k];
      target[at + k] = code < 0 ? missingCode : map[code];
    }
  }
}
