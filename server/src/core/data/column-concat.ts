/**
 * One column from the same column of consecutive blocks of a file (read
 * separately, perhaps on other threads): values and missing marks are
 * copied in order, dictionary codes are mapped onto one dictionary, and the
 * statistics add up as if the column had been read in one go.
 */
import type { BuiltColumn, ColumnStats } from './builders.js';
import { fitFloat64, fitInt32, fitUint8, growFloat64, growInt32, growUint8 } from './grow.js';
import { ByteInterner } from './interner.js';
import { packedDictionary, withDictionary } from './packed-strings.js';
import type { Column, ColumnType } from './table.js';
import { unreachable } from '../util/unreachable.js';

/** The codes of a block's dictionary in the merged dictionary. */
function mapDictionary(interner: ByteInterner, column: { dictionary: string[] }): Int32Array {
  const packed = packedDictionary(column);
  if (packed) {
    const map = new Int32Array(packed.count);
    const { pool, offsets } = packed;
    for (let code = 0; code < packed.count; code++) map[code] = interner.intern(pool, offsets[code], offsets[code + 1]);
    return map;
  }
  return Int32Array.from(column.dictionary, (text) => interner.internString(text));
}

export class ColumnConcat {
  private rows = 0;
  private missing: Uint8Array<ArrayBuffer>;
  private floats = new Float64Array(0);
  private bytes = new Uint8Array(0);
  private codes = new Int32Array(0);
  private offsets = new Int32Array(1);
  private items = 0;
  private readonly interner = new ByteInterner();
  private readonly stats: ColumnStats = { badCount: 0, firstBadRow: -1, firstBadValue: '', missingCount: 0, firstMissingRow: -1 };

  constructor(
    readonly name: string,
    readonly type: ColumnType,
    capacity: number,
  ) {
    this.missing = new Uint8Array(capacity);
  }

  /** The column of the next block; its first row is row `rowBase` (rows before it, skipped, are missing). */
  append(block: BuiltColumn, rowBase: number): void {
    const { column, stats } = block;
    const count = column.missing.length;
    const end = rowBase + count;
    this.missing = growUint8(this.missing, end);
    this.missing.fill(1, this.rows, rowBase);
    this.missing.set(column.missing, rowBase);
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
        const map = mapDictionary(this.interner, column);
        const { codes } = column;
        const target = this.codes;
        for (let k = 0; k < count; k++) target[rowBase + k] = codes[k] < 0 ? -1 : map[codes[k]];
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
          const map = mapDictionary(this.interner, column);
          this.codes = growInt32(this.codes, this.items + itemCount);
          for (let k = 0; k < itemCount; k++) this.codes[this.items + k] = map[column.itemCodes[column.offsets[0] + k]];
        } else {
          this.floats = growFloat64(this.floats, this.items + itemCount);
          this.floats.set(column.itemValues.subarray(column.offsets[0], column.offsets[count]), this.items);
        }
        this.items += itemCount;
        break;
      }
      default:
        unreachable(column);
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
          return withDictionary({ kind: 'dictionary' as const, type, name, missing, codes: fitInt32(this.codes, rowCount, -1) }, this.interner.packed());
        case 'list<string>':
        case 'list<integer>': {
          const offsets = growInt32(this.offsets, rowCount + 1);
          for (let row = this.rows; row < rowCount; row++) offsets[row + 1] = this.items;
          const fitted = fitInt32(offsets, rowCount + 1);
          return type === 'list<string>'
            ? withDictionary({ kind: 'stringList' as const, type, name, missing, offsets: fitted, itemCodes: fitInt32(this.codes, this.items) }, this.interner.packed())
            : { kind: 'integerList', type, name, missing, offsets: fitted, itemValues: fitFloat64(this.floats, this.items) };
        }
        default:
          return unreachable(type);
      }
    })();
    return { column, stats };
  }
}
