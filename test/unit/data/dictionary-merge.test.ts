/**
 * Merging the dictionaries of a column's blocks (data/dictionary-merge.ts):
 * ascending blocks are appended into one pool sized from the file's
 * estimated rows; the merged entries and codes are what one interner gives,
 * whether the estimate was right, short or far too large, and when a block
 * out of order switches the merge to interning.
 */
import { describe, expect, it } from 'vitest';
import { DictionaryMerge, type CodeShift } from '../../../server/src/core/data/dictionary-merge.js';
import { ByteInterner } from '../../../server/src/core/data/interner.js';
import { packedDictionary, withDictionary } from '../../../server/src/core/data/packed-strings.js';

const id = (n: number): string => `u${String(n).padStart(7, '0')}`;

/** A block's column as a reader finishes it: entries first seen first, packed when large. */
function blockColumn(entries: string[]): { dictionary: string[] } {
  const interner = new ByteInterner();
  for (const entry of entries) interner.internString(entry);
  return withDictionary({}, interner.packed());
}

function merged(blocks: string[][], estimatedRows: number): { entries: string[]; codes: number[] } {
  const merge = new DictionaryMerge(estimatedRows);
  const codes: number[] = [];
  for (const block of blocks) {
    const column = blockColumn(block);
    const shift: CodeShift = merge.add(column, block.length);
    const local = new Map(column.dictionary.map((entry, code) => [entry, code]));
    for (const entry of block) {
      const code = local.get(entry)!;
      codes.push('base' in shift ? code + shift.base : shift.map[code]);
    }
  }
  return { entries: merge.packed().all(), codes };
}

function whole(blocks: string[][]): { entries: string[]; codes: number[] } {
  const interner = new ByteInterner();
  const codes = blocks.flat().map((entry) => interner.internString(entry));
  return { entries: interner.strings(), codes };
}

const blocksOf = (ids: number[], size: number): string[][] => {
  const blocks: string[][] = [];
  for (let i = 0; i < ids.length; i += size) blocks.push(ids.slice(i, i + size).map(id));
  return blocks;
};

describe('merging the dictionaries of blocks', () => {
  const ROWS = 30_000;
  const sequential = Array.from({ length: ROWS }, (_, i) => i);
  const cases: Array<[string, number[]]> = [
    ['sequential ids', sequential],
    ['sequential, one out of order in the middle (switches to interning)', sequential.map((n, i) => (i === 17_000 ? 3 : n))],
    ['sequential ids, each twice in a row', sequential.map((n) => n >> 1)],
  ];
  for (const [name, ids] of cases) {
    for (const estimate of [ROWS, 5_000, 1_000_000]) {
      it(`gives the entries and codes of one interner: ${name}, ${estimate.toLocaleString('en-US')} rows estimated`, () => {
        const blocks = blocksOf(ids, 9_000);
        // Blocks this large travel packed (what the appending needs).
        expect(packedDictionary(blockColumn(blocks[0]))?.ascending).toBe(true);
        expect(merged(blocks, estimate)).toEqual(whole(blocks));
      });
    }
  }
});
