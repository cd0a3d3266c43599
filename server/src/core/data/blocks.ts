/**
 * A CSV/TSV file read as blocks of rows that can be parsed at the same time
 * (the host decides where: the CLI and the language server use worker
 * threads) and merged in order into one table.
 *
 * A block ends after the last line break of the piece it was read in. That
 * is a guess — the line break may be inside a quoted cell — so every block
 * is checked: it must end exactly where its last row does. When one does
 * not, the blocks after it are read again with ends found by pairing quotes;
 * when that guess fails too (a stray quote in a cell is text, not a quote),
 * the rest of the file is read as one block, which is what reading it whole
 * gives.
 */
import { LF, QUOTE, COMMA, TAB } from './bytes.js';
import { ArrayArena, arenaBytes } from './array-arena.js';
import { ColumnConcat } from './column-concat.js';
import { type BlockRead, DelimitedReader, estimateRows, readHeaderRow } from './csv.js';
import type { FieldSpec } from './field-spec.js';
import { DeferredTextColumn } from './infer.js';
import { MissingTokens } from './missing-tokens.js';
import { ProblemLog, type ReadColumn, type ReadResult } from './read-result.js';
import { fitInt32, growInt32 } from './grow.js';
import type { ReadPiece } from './load.js';
import { dataCode } from './codes.js';

export interface BlockTask {
  /** Starts where a row starts; ends after a line break, or with the file when `last`. */
  bytes: Uint8Array;
  last: boolean;
  format: 'csv' | 'tsv';
  /** The header's column names ('' for a repeated name, whose cells are ignored). */
  names: string[];
  specs: readonly FieldSpec[];
  missing: readonly string[];
}

/** The rows of a block, and how many of its bytes they took. */
export interface BlockResult extends BlockRead {
  used: number;
  /**
   * The buffer the block's bytes were in, handed back by a parser that took
   * it (another thread) once it is done with it: the next piece is read into
   * it instead of a new buffer.
   */
  spare?: ArrayBufferLike;
  /**
   * Called once the block is merged (or dropped) and none of its arrays is
   * read again: a parser on another thread takes their memory back for later
   * blocks.
   */
  release?(): void;
}

/** Parses a block (on this thread, or elsewhere: the bytes are the callee's, it may transfer them). */
export type ParseBlock = (task: BlockTask) => Promise<BlockResult>;

export function parseBlock(task: BlockTask): BlockResult {
  const delimiter = task.format === 'csv' ? COMMA : TAB;
  const reader = DelimitedReader.forBlock(task.names, delimiter, task.specs, new MissingTokens(task.missing), task.bytes);
  const used = reader.push(task.bytes, task.last);
  return { ...reader.finishBlock(), used };
}

/**
 * Parses blocks one after another with the same builders, so that a thread
 * parsing every other block of a file allocates nothing per block. What
 * `parse` returns is overwritten by the next call: copy it out first.
 */
export class BlockParser {
  private reader: DelimitedReader | undefined;
  /** What the reader was made for: the file's columns and missing tokens, and the size of block its arrays fit. */
  private made = { key: '', bytes: 0 };

  parse(task: BlockTask): BlockResult {
    const key = JSON.stringify([task.format, task.names, task.specs, task.missing]);
    if (this.reader && key === this.made.key) {
      // A block far larger than the others (the rest of a file read as one) is read apart, so the builders stay the size of the others.
      if (task.bytes.length > this.made.bytes * 2) return parseBlock(task);
      this.reader.nextBlock();
    } else {
      const delimiter = task.format === 'csv' ? COMMA : TAB;
      this.reader = DelimitedReader.forBlock(task.names, delimiter, task.specs, new MissingTokens(task.missing), task.bytes);
      this.made = { key, bytes: task.bytes.length };
    }
    const reader = this.reader;
    const used = reader.push(task.bytes, task.last);
    return { ...reader.finishBlock(), used };
  }
}

/**
 * Where a block of `bytes[from…]` can end: just after the last line break
 * with an even number of quotes before it; -1 when there is none.
 */
export function blockEnd(bytes: Uint8Array, from: number): number {
  let end = -1;
  let inQuotes = false;
  for (let i = from; ; ) {
    const quote = bytes.indexOf(QUOTE, i);
    const stretch = quote < 0 ? bytes.length : quote;
    if (!inQuotes && stretch > i) {
      const lf = bytes.lastIndexOf(LF, stretch - 1);
      if (lf >= i) end = lf + 1;
    }
    if (quote < 0) return end;
    inQuotes = !inQuotes;
    i = quote + 1;
  }
}

/** Files smaller than this are read on the calling thread: starting and feeding workers would cost more than it saves. */
export const BLOCKS_MIN_BYTES = 8 << 20;

export interface BlockOptions {
  parse: ParseBlock;
  /** Files smaller than this are read in pieces on the calling thread instead (default BLOCKS_MIN_BYTES). */
  minBytes?: number;
  /** Blocks being parsed at once (default 4). */
  inFlight?: number;
  /** Bytes read at a time (default 2 MiB). */
  pieceBytes?: number;
  /**
   * A new buffer to read a piece into (default: the host's). Parsers on other
   * threads give shared memory: handing them a piece then detaches nothing
   * on this thread (see node/block-workers.ts).
   */
  pieceBuffer?(bytes: number): Uint8Array;
}

interface Dispatched {
  /** Offset of the block in the file. */
  offset: number;
  length: number;
  last: boolean;
  result: Promise<BlockResult>;
}

/**
 * The rows of a CSV/TSV file read in pieces, parsed as blocks by
 * `options.parse` and merged in order: what `readDelimited` gives for the
 * whole file.
 */
export async function readDelimitedBlocks(
  readPiece: ReadPiece,
  size: number,
  format: 'csv' | 'tsv',
  specs: readonly FieldSpec[],
  missing: readonly string[],
  options: BlockOptions,
): Promise<ReadResult> {
  const pieceBytes = options.pieceBytes ?? 2 << 20;
  const inFlight = Math.max(1, options.inFlight ?? 4);
  const delimiter = format === 'csv' ? COMMA : TAB;
  const log = new ProblemLog();

  /** Buffers of parsed blocks, handed back for the next pieces (a new 4 MiB buffer per block was garbage on two threads). */
  const spares: ArrayBufferLike[] = [];
  const readInto = (at: number, length: number): Promise<Uint8Array> => {
    const spare = spares.pop();
    return readPiece(at, length, spare && spare.byteLength >= length ? new Uint8Array(spare, 0, length) : options.pieceBuffer?.(length));
  };

  let position = 0;
  let atEnd = false;
  const readMore = async (): Promise<Uint8Array> => {
    const piece = await readPiece(position, pieceBytes, options.pieceBuffer?.(pieceBytes));
    position += piece.length;
    if (piece.length < pieceBytes) atEnd = true;
    return piece;
  };

  // The header, from as many pieces as it takes.
  let buffer: Uint8Array = new Uint8Array(0);
  let header: ReturnType<typeof readHeaderRow>;
  for (;;) {
    buffer = concat(buffer, await readMore());
    header = readHeaderRow(buffer, atEnd, delimiter);
    if (header !== undefined || atEnd) break;
  }
  if (header === undefined || header === 'empty') {
    log.add(dataCode.noHeader, 1, 1, 'the file is empty: a header row with the column names is expected');
    return { columns: undefined, rowCount: 0, rowLines: new Int32Array(0), problems: log.problems() };
  }
  for (const p of header.problems) log.add(p.code, p.line, p.column, p.message);
  const names = header.names;
  const merged = new MergedBlocks(names, specs, estimateRows(buffer, header.end, Math.max(size, buffer.length)), header.line, log);

  const task = (bytes: Uint8Array, last: boolean): BlockTask => ({ bytes, last, format, names, specs, missing });
  const queue: Dispatched[] = [];
  /** Where the next block starts in the file. */
  let offset = header.end;

  // A block is a view of the piece it was read in (no copy): the piece is the
  // parser's from then on. The row cut at the end of a piece is read again
  // from the file with the next piece.
  const dispatch = (bytes: Uint8Array, last: boolean): void => {
    // The length first: a parser on another thread takes the bytes away (a transfer leaves them empty here).
    const length = bytes.length;
    const result = options.parse(task(bytes, last));
    // A failure surfaces when the block is merged; blocks after a failed one are never awaited.
    result.catch(() => undefined);
    queue.push({ offset, length, last, result });
    offset += length;
  };

  /**
   * Blocks end at the last line break of their piece, which is a row's end
   * unless it is inside a quoted cell. When a block turns out not to end
   * where its rows do, the blocks after it started in the wrong place: they
   * are dropped, and from that block on, block ends are found by pairing
   * quotes (`blockEnd`). If that guess fails too (a stray quote in a cell),
   * the rest of the file is read as one block.
   */
  let pairQuotes = false;

  /** Merges the oldest block: 'merged', 'restart' (read again from `offset`), or 'done' (the rest was read as one block). */
  const mergeOldest = async (): Promise<'merged' | 'restart' | 'done'> => {
    const block = queue.shift()!;
    const result = await block.result;
    if (result.spare) spares.push(result.spare);
    if (block.last || result.used === block.length) {
      merged.add(result);
      result.release?.();
      return 'merged';
    }
    result.release?.();
    for (const settled of await Promise.allSettled(queue.map((q) => q.result))) if (settled.status === 'fulfilled') settled.value.release?.();
    queue.length = 0;
    if (!pairQuotes) {
      pairQuotes = true;
      offset = block.offset;
      return 'restart';
    }
    const remainder = await readRemainder(readPiece, block.offset, pieceBytes);
    const rest = await options.parse(task(remainder, true));
    merged.add(rest);
    rest.release?.();
    return 'done';
  };

  /** Merges blocks until at most `keep` are in flight. */
  const mergeDownTo = async (keep: number): Promise<'merged' | 'restart' | 'done'> => {
    while (queue.length > keep) {
      const outcome = await mergeOldest();
      if (outcome !== 'merged') return outcome;
    }
    return 'merged';
  };

  let piece = buffer.subarray(header.end);
  let last = atEnd;
  let wanted = pieceBytes;
  for (;;) {
    if (last) {
      if (piece.length > 0) dispatch(piece, true);
    } else {
      const end = pairQuotes ? blockEnd(piece, 0) : piece.lastIndexOf(LF) + 1;
      if (end > 0) {
        dispatch(piece.subarray(0, end), false);
        wanted = pieceBytes;
      } else if (piece.length >= wanted) {
        // No row ends in the piece (a long row, or a quoted cell with line breaks): read more at once.
        wanted *= 2;
      }
    }
    const outcome = await mergeDownTo(last ? 0 : inFlight - 1);
    if (outcome === 'done' || (last && outcome === 'merged')) return merged.finish();
    if (outcome === 'restart') wanted = pieceBytes;
    piece = await readInto(offset, wanted);
    last = piece.length < wanted;
  }
}

async function readRemainder(readPiece: ReadPiece, from: number, pieceBytes: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (let position = from; ; ) {
    const piece = await readPiece(position, pieceBytes);
    parts.push(piece);
    position += piece.length;
    if (piece.length < pieceBytes) break;
  }
  return parts.reduce((all, part) => concat(all, part), new Uint8Array(0));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const both = new Uint8Array(a.length + b.length);
  both.set(a, 0);
  both.set(b, a.length);
  return both;
}

/** The table so far: blocks appended in file order. */
class MergedBlocks {
  private readonly typed: Array<ColumnConcat | undefined>;
  private readonly deferred: Array<DeferredTextColumn | undefined>;
  private rowLines: Int32Array<ArrayBuffer>;
  private rowCount = 0;
  /** Line number of the next block's first line. */
  private line: number;

  constructor(
    names: string[],
    specs: readonly FieldSpec[],
    capacity: number,
    firstLine: number,
    private readonly log: ProblemLog,
  ) {
    const specByName = new Map(specs.map((s) => [s.name, s]));
    const types = names.map((name) => (name === '' ? undefined : specByName.get(name)?.type));
    // The table's arrays of known size in one allocation (see array-arena.ts).
    const arena = new ArrayArena(types.reduce((sum, type) => sum + (type ? ColumnConcat.arenaBytesFor(type, capacity) : 0), arenaBytes(capacity * 4)));
    this.typed = names.map((name, c) => {
      const type = types[c];
      return type ? new ColumnConcat(name, type, capacity, arena) : undefined;
    });
    this.deferred = names.map((name, c) => (name !== '' && !types[c] ? new DeferredTextColumn(name, capacity) : undefined));
    this.rowLines = arena.int32(capacity);
    this.line = firstLine;
  }

  add(block: BlockResult): void {
    const rowBase = this.rowCount;
    const lineOffset = this.line - 1;
    block.columns.forEach((column, c) => {
      if (!column) return;
      if ('built' in column) this.typed[c]?.append(column.built, rowBase);
      else this.deferred[c]?.appendCells(column.raw, rowBase);
    });
    this.rowLines = growInt32(this.rowLines, rowBase + block.rowCount);
    for (let k = 0; k < block.rowCount; k++) this.rowLines[rowBase + k] = block.rowLines[k] + lineOffset;
    this.log.absorb(block.problems, lineOffset);
    this.rowCount += block.rowCount;
    this.line += block.lines;
  }

  finish(): ReadResult {
    const rowCount = this.rowCount;
    const columns: ReadColumn[] = [];
    for (let c = 0; c < this.typed.length; c++) {
      const typed = this.typed[c];
      const deferred = this.deferred[c];
      if (typed) columns.push({ built: typed.finish(rowCount) });
      else if (deferred) columns.push(deferred.finish(rowCount));
      this.typed[c] = undefined;
      this.deferred[c] = undefined;
    }
    return { columns, rowCount, rowLines: fitInt32(this.rowLines, rowCount), problems: this.log.problems() };
  }
}
