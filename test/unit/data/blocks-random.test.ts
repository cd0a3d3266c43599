/**
 * A CSV file parsed as blocks (on other threads, in the product) gives what
 * one read of the whole file gives — rows, values, missing values, problems
 * and their lines, and each column's dictionary in the same order — on
 * random files with quoted line breaks, CRLF, broken rows, blank lines and
 * stray quotes, and on key columns large enough that block dictionaries
 * are merged whole.
 */
import { describe, expect, it } from 'vitest';
import {
  BlockParser,
  fieldSpecsFromDecls,
  loadDataset,
  parseBlock,
  parseDataBytes,
  readDelimitedBlocks,
  type FieldSpec,
  type LoadRequest,
  type ParseBlock,
  type ParsedData,
} from '../../../server/src/core/data/index.js';
import { parseDataBytesInBlocks, parsedFromRead } from '../../../server/src/core/data/load.js';
import type { Table } from '../../../server/src/core/data/table.js';
import { bytesOf, fields, rangeOn, visible } from './fixtures.js';
import { MemoryHost } from './memory-host.js';
import { Rng } from '../../fuzz/random.js';

/**
 * Parses each block as a worker would get it: the bytes moved away from the
 * caller (its view is left empty), and their buffer handed back with the
 * rows for the next piece — scribbled over with quotes first, so anything
 * still reading it would read something else.
 */
function transferring(): { parse: ParseBlock; blocks: () => number } {
  let blocks = 0;
  const parse: ParseBlock = (task) => {
    blocks++;
    const moved = structuredClone(task, { transfer: [task.bytes.buffer as ArrayBuffer] });
    return new Promise((resolve) =>
      setTimeout(() => {
        const block = parseBlock(moved);
        const spare = structuredClone(moved.bytes.buffer as ArrayBuffer, { transfer: [moved.bytes.buffer as ArrayBuffer] });
        new Uint8Array(spare).fill(0x22);
        resolve({ ...block, spare });
      }, blocks % 3),
    );
  };
  return { parse, blocks: () => blocks };
}

/**
 * Parses as a block worker does: one BlockParser, its builders used again
 * for every block, each block copied out before the next is parsed.
 */
function reusing(): { parse: ParseBlock; blocks: () => number } {
  const parser = new BlockParser();
  let blocks = 0;
  const parse: ParseBlock = (task) => {
    blocks++;
    const block = structuredClone(parser.parse(task));
    return new Promise((resolve) => setTimeout(() => resolve(block), blocks % 3));
  };
  return { parse, blocks: () => blocks };
}

let readsIntoSpares = 0;

/** Reads pieces of `bytes` as the file-system host does: into the buffer given, when one is. */
function piecesOf(bytes: Uint8Array) {
  return async (position: number, length: number, into?: Uint8Array) => {
    const piece = bytes.subarray(position, position + length);
    if (!into) return piece.slice();
    readsIntoSpares++;
    into.set(piece);
    return into.subarray(0, piece.length);
  };
}

type Parser = typeof transferring;

async function inBlocks(bytes: Uint8Array, specs: readonly FieldSpec[], pieceBytes: number, missing: string[] = [], keyField?: string, parser: Parser = transferring): Promise<{ parsed: ParsedData; blocks: number }> {
  const { parse, blocks } = parser();
  const read = await readDelimitedBlocks(piecesOf(bytes), bytes.length, 'csv', specs, missing, { parse, pieceBytes, inFlight: 3 });
  return { parsed: parsedFromRead(read, specs, keyField), blocks: blocks() };
}

/** What the columns store, missing rows included (a builder used again must not leave an earlier block's values there). */
function storedValues(parsed: ParsedData): unknown {
  return parsed.table?.columns.map((c) => {
    switch (c.kind) {
      case 'numeric':
      case 'boolean':
        return Array.from(c.values);
      case 'dictionary':
        return Array.from(c.codes);
      case 'stringList':
        return [Array.from(c.offsets), Array.from(c.itemCodes)];
      case 'integerList':
        return [Array.from(c.offsets), Array.from(c.itemValues)];
    }
  });
}

const CELLS = ['', 'N/A', 'plain', 'x"y', '"quoted, comma"', '"two\nlines"', '"crlf\r\ninside"', '"say ""hi"""', '12', '-3.5', 'true', '2024-02-29', 'a;b;c', 'Zoë', '"unclosed'];

/** A random CSV: header, rows of random cells (some the wrong count), blank lines, LF or CRLF line ends. */
function randomCsv(rng: Rng, rows: number): Uint8Array {
  const next = (): number => rng.next();
  const pick = <T,>(xs: readonly T[]): T => rng.pick(xs);
  const eol = next() < 0.5 ? '\n' : '\r\n';
  const lines = ['id,n,note,flag,day'];
  for (let row = 0; row < rows; row++) {
    const r = next();
    if (r < 0.05) {
      lines.push('');
      continue;
    }
    const count = r < 0.1 ? 4 : r < 0.13 ? 6 : 5;
    const cells = [`k${Math.floor(next() * rows * 2)}`];
    for (let c = 1; c < count; c++) {
      // The unclosed quote is rare: it swallows the rest of the file.
      let cell = pick(CELLS);
      if (cell === '"unclosed' && next() < 0.9) cell = 'plain';
      cells.push(cell);
    }
    lines.push(cells.join(','));
  }
  return bytesOf(lines.join(eol) + (next() < 0.8 ? eol : ''));
}

describe('parsing a CSV file as blocks', () => {
  for (const [name, parser] of [
    ['a new parser per block', transferring],
    ['one parser used again for every block', reusing],
  ] as const) {
    it(`gives what a whole read gives on random files, for any block size: ${name}`, async () => {
      // `note` undeclared (its cells kept until its type is known), or a list; `day` inferred, or a date.
      const specChoices = [
        fieldSpecsFromDecls(fields('id: string\nn: number?\nflag: boolean?')),
        fieldSpecsFromDecls(fields('id: string\nn: number?\nflag: boolean?\nnote: list<string>?\nday: date?')),
      ];
      let blocksSeen = 0;
      readsIntoSpares = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const rng = new Rng(seed);
        const bytes = randomCsv(rng, 20 + rng.int(120));
        const missing = seed % 2 === 0 ? ['N/A'] : [];
        const specs = specChoices[seed % 3 === 0 ? 1 : 0];
        const read = parseDataBytes(bytes, 'csv', specs, 'id', missing);
        const whole = { seen: visible(read), stored: storedValues(read) };
        for (const pieceBytes of [7, 64, 300, bytes.length + 1]) {
          const { parsed, blocks } = await inBlocks(bytes, specs, pieceBytes, missing, 'id', parser);
          blocksSeen += blocks;
          expect({ seen: visible(parsed), stored: storedValues(parsed) }, `seed ${seed}, pieces of ${pieceBytes} bytes`).toEqual(whole);
        }
      }
      // The files were really split: many blocks, not one per file; most pieces were read into buffers handed back.
      expect(blocksSeen).toBeGreaterThan(40 * 4 * 3);
      if (parser === transferring) expect(readsIntoSpares).toBeGreaterThan(blocksSeen / 2);
    });
  }

  const keyFile = (ids: string[]): Uint8Array => bytesOf(`id,plan\n${ids.map((id, i) => `${id},${['free', 'pro', 'team', 'enterprise'][i % 4]}`).join('\n')}\n`);
  const keySpecs = fieldSpecsFromDecls(fields('id: string\nplan: string'));

  const ROWS = 90_000;
  const padded = (n: number): string => `u${String(n).padStart(7, '0')}`;
  const KEY_CASES: Array<[string, string[]]> = [
    ['sequential ids (each block appended whole)', Array.from({ length: ROWS }, (_, i) => padded(i))],
    ['ids that grow longer (shorter sorts first)', Array.from({ length: ROWS }, (_, i) => `u${i}`)],
    ['ids starting over halfway (repeats across blocks)', Array.from({ length: ROWS }, (_, i) => padded(i % 50_000))],
    ['ids in no order', Array.from({ length: ROWS }, (_, i) => `u${(i * 7919) % ROWS}`)],
    ['ascending, then one out of order, then ascending again', Array.from({ length: ROWS }, (_, i) => (i === 50_000 ? padded(5) : padded(i)))],
    // Blocks then start in the middle of an id's rows: ascending, but not after the block before.
    ['each id on three rows in a row', Array.from({ length: ROWS }, (_, i) => padded(Math.floor(i / 3)))],
  ];
  for (const [name, ids] of KEY_CASES) {
    it(`merges a key column's dictionaries into the one a whole read builds: ${name}`, async () => {
      const bytes = keyFile(ids);
      const whole = parseDataBytes(bytes, 'csv', keySpecs, 'id');
      // Blocks of more than 4,096 distinct ids each, so their dictionaries travel packed.
      const { parsed, blocks } = await inBlocks(bytes, keySpecs, 192 << 10, [], 'id', name.startsWith('ids in no order') ? reusing : transferring);
      expect(blocks).toBeGreaterThan(4);
      const table = parsed.table as Table;
      const id = table.byName.get('id');
      const wholeId = whole.table?.byName.get('id');
      if (id?.kind !== 'dictionary' || wholeId?.kind !== 'dictionary') throw new Error('id is not a dictionary column');
      expect(id.dictionary).toEqual(wholeId.dictionary);
      expect(Array.from(id.codes)).toEqual(Array.from(wholeId.codes));
      expect(parsed.issues.map((i) => i.message)).toEqual(whole.issues.map((i) => i.message));
      expect(new Set(id.dictionary).size).toBe(id.dictionary.length);
    });
  }
});

/** A MemoryHost that reads parts of files too (as the file-system host does). */
class RangeHost extends MemoryHost {
  private readonly contents: Map<string, Uint8Array>;
  constructor(files: Record<string, Uint8Array>) {
    super(Object.fromEntries(Object.entries(files).map(([path, bytes]) => [path, new TextDecoder().decode(bytes)])));
    this.contents = new Map(Object.entries(files));
  }
  async readRange(path: string, position: number, maxBytes: number): Promise<Uint8Array> {
    return this.contents.get(path)!.slice(position, position + maxBytes);
  }
}

function request(host: MemoryHost, parse: ParseBlock, minBytes: number): LoadRequest {
  return {
    host,
    blocks: { parse, minBytes, pieceBytes: 4096 },
    specFile: '/ws/spec.segspec',
    workspaceRoot: '/ws',
    source: 'users.csv',
    sourceRange: rangeOn(1, 9, 20),
    declaredFields: fields('id: string\nage: integer'),
    keyField: 'id',
  };
}

describe('loading a dataset in blocks', () => {
  const text = `id,age\n${Array.from({ length: 5000 }, (_, i) => `u${i},${i % 90}`).join('\n')}\nu7,x\n`;
  const bytes = bytesOf(text);
  const host = () => new RangeHost({ '/ws/users.csv': bytes });

  it('loads a large file in blocks, with the findings of a whole read', async () => {
    const { parse, blocks } = transferring();
    const loaded = await loadDataset(request(host(), parse, 1024));
    const whole = await loadDataset({ ...request(new MemoryHost({ '/ws/users.csv': text }), parse, 1024), blocks: undefined });
    expect(blocks()).toBeGreaterThan(5);
    expect(loaded.findings).toEqual(whole.findings);
    expect(loaded.findings.map((f) => f.message).join('\n')).toMatch(/"u7"/);
    expect(loaded.table?.rowCount).toBe(5001);
  });

  it('reads a file smaller than the threshold on this thread', async () => {
    const { parse, blocks } = transferring();
    const loaded = await loadDataset(request(host(), parse, bytes.length + 1));
    expect(blocks()).toBe(0);
    expect(loaded.table?.rowCount).toBe(5001);
  });

  it('reads the file on this thread when the block parser fails (workers that cannot start)', async () => {
    const failing: ParseBlock = () => Promise.reject(new Error('a data worker stopped (exit code 1)'));
    const loaded = await loadDataset(request(host(), failing, 1024));
    const whole = await loadDataset({ ...request(new MemoryHost({ '/ws/users.csv': text }), failing, 1024), blocks: undefined });
    expect(loaded.findings).toEqual(whole.findings);
    expect(loaded.table?.rowCount).toBe(5001);
  });

  it('parses bytes already read in blocks (the language server’s data worker) with the same result', async () => {
    const specs = fieldSpecsFromDecls(fields('id: string\nage: integer'));
    const { parse, blocks } = transferring();
    const parsed = await parseDataBytesInBlocks(bytes, 'csv', specs, 'id', [], { parse, minBytes: 1024, pieceBytes: 4096 });
    expect(blocks()).toBeGreaterThan(5);
    expect(visible(parsed)).toEqual(visible(parseDataBytes(bytes, 'csv', specs, 'id')));
  });
});
