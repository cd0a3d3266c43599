/**
 * CSV and TSV reader (RFC 4180 quoting) working directly on the file's bytes:
 * cells are located as byte slices and handed to column builders, so no
 * string of the file and no per-row object is ever built.
 *
 * - The first non-blank row is the header. A UTF-8 BOM is skipped.
 * - Rows end with LF, CRLF or CR; quoted cells may contain delimiters,
 *   doubled quotes and line breaks. Blank lines are skipped.
 * - Lenient where it is safe: text after a closing quote joins the cell.
 * - A row with the wrong number of cells is reported and skipped; an
 *   unterminated quote is reported and reading resumes on the next line.
 *
 * Rows are tokenized into a block of cell slices, then each column's builder
 * reads its cells of the block in one loop: column-at-a-time keeps every
 * builder's loop monomorphic, which is where the speed comes from.
 */
import { COMMA, CR, type CellSpans, LF, QUOTE, TAB, decodeSlice, unescapeQuotes } from './bytes.js';
import { type BuiltColumn, type ColumnBuilder, createBuilder } from './builders.js';
import { dataCode } from './codes.js';
import type { FieldSpec } from './field-spec.js';
import { fitInt32, growInt32 } from './grow.js';
import { DeferredTextColumn, type RawCells } from './infer.js';
import { type LoggedProblems, ProblemLog, type ReadColumn, type ReadProblem, type ReadResult, columnOf, locate } from './read-result.js';
import { type MissingTokens, NO_MISSING_TOKENS } from './missing-tokens.js';

export type Delimiter = typeof COMMA | typeof TAB;

const BLOCK_ROWS = 4096;

/** 1 for the bytes that end an unquoted cell: the delimiter and line breaks (one load per byte instead of three compares). */
function stopTable(delimiter: Delimiter): Uint8Array {
  const table = new Uint8Array(256);
  table[delimiter] = 1;
  table[LF] = 1;
  table[CR] = 1;
  return table;
}
const COMMA_STOPS = stopTable(COMMA);
const TAB_STOPS = stopTable(TAB);

/**
 * The end of an unquoted cell starting at `j`: the first stop byte, or `n`.
 * Four bytes are tested at a time (SWAR): a word flags its bytes below 0x0E
 * (line breaks, tabs and a few other control bytes) and its bytes equal to
 * the delimiter; the lowest flagged byte is exact (borrows only run upwards),
 * and a flagged byte that is not a stop (a control byte) is stepped over.
 * Fewer branches per cell than a byte loop: each mispredicted loop exit costs
 * more than the bytes themselves on short cells.
 */
function unquotedEnd(bytes: Uint8Array, words: DataView, j: number, n: number, stops: Uint8Array, delimiterWord: number): number {
  while (j + 4 <= n) {
    const word = words.getInt32(j, true);
    const delimiterBytes = word ^ delimiterWord;
    const flags = ((((word - 0x0e0e0e0e) | 0) & ~word) | (((delimiterBytes - 0x01010101) | 0) & ~delimiterBytes)) & 0x80808080;
    if (flags === 0) {
      j += 4;
      continue;
    }
    j += (31 - Math.clz32(flags & (-flags | 0))) >> 3;
    if (stops[bytes[j]] !== 0) return j;
    j++;
  }
  while (j < n && stops[bytes[j]] === 0) j++;
  return j;
}

/**
 * Number of rows to allocate for, from the line length of the first 64 KiB
 * of `sample` (which starts at `from`) and the size of the whole file, with a
 * small margin. A count of every line break would be exact but costs a pass
 * over the file; a wrong guess only costs a copy (columns grow or are
 * trimmed at the end).
 */
export function estimateRows(sample: Uint8Array, from: number, totalBytes: number): number {
  const sampleEnd = Math.min(sample.length, from + 65536);
  let breaks = 0;
  for (let i = from; i < sampleEnd; i++) {
    const b = sample[i];
    if (b === LF || (b === CR && sample[i + 1] !== LF)) breaks++;
  }
  if (sampleEnd === sample.length && sample.length >= totalBytes) return breaks + 1;
  const remaining = Math.max(0, totalBytes - from);
  // Too little after the header to judge: a guess (a row takes at least 2 bytes).
  const bytesPerRow = sampleEnd - from < 256 ? 64 : (sampleEnd - from) / Math.max(1, breaks);
  return Math.min(Math.ceil((remaining / bytesPerRow) * 1.04), Math.ceil(remaining / 2)) + 16;
}

interface ColumnPlan {
  typed: ColumnBuilder | undefined;
  deferred: DeferredTextColumn | undefined;
}

interface Header {
  names: string[];
  /** Offset just after the header row. */
  end: number;
  line: number;
  /** Whether the header row ended with a line break that no later byte can change (not a CR at the very end). */
  complete: boolean;
}

/** A whole CSV/TSV file in memory. */
export function readDelimited(
  bytes: Uint8Array,
  delimiter: Delimiter,
  specs: readonly FieldSpec[],
  missing: MissingTokens = NO_MISSING_TOKENS,
): ReadResult {
  const reader = new DelimitedReader(delimiter, specs, missing, bytes.length);
  reader.push(bytes, true);
  return reader.finish();
}

/**
 * Reads a CSV/TSV file given in consecutive pieces, so the file's bytes need
 * not all be held at once: `push` reads the complete rows of a piece and says
 * how many bytes it used; the rest (the start of a row that continues in the
 * next piece) is given again in front of the next piece. Line numbers,
 * quoted line breaks and CRLF across the edges of pieces come out as if the
 * file had been read whole.
 */
export class DelimitedReader {
  private log = new ProblemLog();
  private header: Header | undefined;
  private plans: ColumnPlan[] = [];
  private rowLines = new Int32Array(0);
  private rowCount = 0;
  /** Line number of the next byte to read. */
  private line = 1;
  private spans: CellSpans | undefined;

  constructor(
    private readonly delimiter: Delimiter,
    private readonly specs: readonly FieldSpec[],
    private readonly missing: MissingTokens,
    /** Size of the whole file (for the first allocation; a wrong size only costs a copy). */
    private readonly totalBytes: number,
  ) {}

  /**
   * Reads the complete rows of `bytes`; returns the number of bytes used. When
   * `last`, the piece ends the file and everything is used.
   */
  push(bytes: Uint8Array, last: boolean): number {
    let from = 0;
    if (!this.header) {
      const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
      if (!last && bytes.length < 3) return 0;
      const problems: HeaderProblem[] = [];
      const header = readHeader(bytes, start, this.delimiter, problems);
      if (!last && (!header || !header.complete)) return 0;
      for (const p of problems) this.log.add(p.code, p.line, p.column, p.message);
      if (!header) return bytes.length;
      this.start(header, bytes);
      from = header.end;
      this.line = header.line;
    }
    return this.readRows(bytes, from, last);
  }

  /** For a block of a file whose header was read elsewhere: rows start at its first byte, on line 1. */
  static forBlock(names: string[], delimiter: Delimiter, specs: readonly FieldSpec[], missing: MissingTokens, bytes: Uint8Array): DelimitedReader {
    const reader = new DelimitedReader(delimiter, specs, missing, bytes.length);
    reader.start({ names, end: 0, line: 1, complete: true }, bytes);
    return reader;
  }

  /**
   * Ready for another block of the same file (`forBlock`), keeping the
   * builders' arrays: what `finishBlock` gave is overwritten.
   */
  nextBlock(): void {
    this.log = new ProblemLog();
    this.rowCount = 0;
    this.line = 1;
    if (this.spans) this.spans.count = 0;
    for (const plan of this.plans) {
      plan.typed?.reset();
      plan.deferred?.reset();
    }
  }

  /**
   * The rows read so far as a block of the file: typed columns finished,
   * undeclared ones as their cells (their type needs every block), lines
   * counted from the block's first line.
   */
  finishBlock(): BlockRead {
    const rowCount = this.rowCount;
    const columns = this.plans.map((plan): BlockColumn | undefined => {
      if (plan.typed) return { built: plan.typed.finish(rowCount) };
      if (plan.deferred) return { raw: plan.deferred.cells() };
      return undefined;
    });
    return { lines: this.line - 1, rowCount, rowLines: fitInt32(this.rowLines, rowCount), columns, problems: this.log.export() };
  }

  finish(): ReadResult {
    if (!this.header) {
      this.log.add(dataCode.noHeader, 1, 1, 'the file is empty: a header row with the column names is expected');
      return { columns: undefined, rowCount: 0, rowLines: new Int32Array(0), problems: this.log.problems() };
    }
    const rowCount = this.rowCount;
    const columns: ReadColumn[] = [];
    for (const plan of this.plans) {
      if (plan.typed) columns.push({ built: plan.typed.finish(rowCount) });
      else if (plan.deferred) columns.push(plan.deferred.finish(rowCount));
      // Let the builder state go before the next column is built.
      plan.typed = undefined;
      plan.deferred = undefined;
    }
    this.spans = undefined;
    return { columns, rowCount, rowLines: fitInt32(this.rowLines, rowCount), problems: this.log.problems() };
  }

  private start(header: Header, bytes: Uint8Array): void {
    this.header = header;
    const capacity = estimateRows(bytes, header.end, Math.max(this.totalBytes, bytes.length));
    const specByName = new Map(this.specs.map((s) => [s.name, s]));
    this.plans = header.names.map((name) => {
      if (name === '') return { typed: undefined, deferred: undefined };
      const type = specByName.get(name)?.type;
      return type
        ? { typed: createBuilder(name, type, capacity), deferred: undefined }
        : { typed: undefined, deferred: new DeferredTextColumn(name, capacity) };
    });
    this.rowLines = new Int32Array(capacity);
    const stride = header.names.length + 1; // one spare slot takes the cells of a row that is too long
    this.spans = { starts: new Int32Array(BLOCK_ROWS * stride), ends: new Int32Array(BLOCK_ROWS * stride), stride, count: 0 };
  }

  /**
   * Hands the block of cells to the builders, column by column; `rowCount`
   * counts its rows. (A method, not a closure in `readRows`: a closure over
   * its counters would keep them in memory instead of registers.)
   */
  private flush(bytes: Uint8Array, rowCount: number): void {
    const spans = this.spans as CellSpans;
    if (spans.count === 0) return;
    const rowBase = rowCount - spans.count;
    const plans = this.plans;
    for (let c = 0; c < plans.length; c++) {
      const plan = plans[c];
      if (plan.typed) plan.typed.addSpans(bytes, spans, c, rowBase);
      else if (plan.deferred) plan.deferred.addSpans(bytes, spans, c, rowBase);
    }
    spans.count = 0;
  }

  /** Reads rows from `from`; returns where the first incomplete row starts (the end when `last`). */
  private readRows(bytes: Uint8Array, from: number, last: boolean): number {
    const { delimiter, missing, log, plans } = this;
    const spans = this.spans as CellSpans;
    const hasMissingTokens = !missing.isEmpty;
    const n = bytes.length;
    const width = plans.length;
    const { starts, ends, stride } = spans;
    const stops = delimiter === COMMA ? COMMA_STOPS : TAB_STOPS;
    const words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const delimiterWord = delimiter * 0x01010101;
    let rowLines = this.rowLines;
    let rowCount = this.rowCount;
    let i = from;
    let line = this.line;
    let lineStart = from;

    while (i < n) {
      const first = bytes[i];
      if (first === LF || first === CR) {
        // A CR at the end of a piece may be the first half of a CRLF.
        if (first === CR && i + 1 === n && !last) break;
        i += first === CR && i + 1 < n && bytes[i + 1] === LF ? 2 : 1;
        line++;
        lineStart = i;
        continue;
      }
      const rowStart = i;
      const rowLine = line;
      const rowLineStart = lineStart;
      const base = spans.count * stride;
      let cells = 0;
      let extraStart = -1;
      let broken = false;
      let ended = false;
      for (;;) {
        let cellStart: number;
        let cellEnd: number;
        if (i < n && bytes[i] === QUOTE) {
          const quoteLine = line;
          const quoteLineStart = lineStart;
          const quotePos = i;
          let j = i + 1;
          let escaped = false;
          let terminated = false;
          for (;;) {
            while (j < n && bytes[j] !== QUOTE) {
              if (bytes[j] === LF) {
                line++;
                lineStart = j + 1;
              }
              j++;
            }
            if (j >= n) break;
            if (j + 1 < n && bytes[j + 1] === QUOTE) {
              escaped = true;
              j += 2;
              continue;
            }
            terminated = true;
            break;
          }
          if (!terminated) {
            if (!last) break; // the cell may close in the next piece
            log.add(
              dataCode.unterminatedQuote,
              quoteLine,
              columnOf(bytes, quoteLineStart, quotePos),
              'a quoted cell is never closed; the row is skipped and reading resumes on the next line',
            );
            let k = quotePos;
            while (k < n && bytes[k] !== LF && bytes[k] !== CR) k++;
            if (k < n) k += bytes[k] === CR && k + 1 < n && bytes[k + 1] === LF ? 2 : 1;
            i = k;
            line = quoteLine + 1;
            lineStart = k;
            broken = true;
            ended = true;
            break;
          }
          cellEnd = j;
          j++;
          if (j < n && bytes[j] !== delimiter && bytes[j] !== LF && bytes[j] !== CR) {
            while (j < n && bytes[j] !== delimiter && bytes[j] !== LF && bytes[j] !== CR) j++;
            cellEnd = j;
            escaped = true;
          }
          cellStart = quotePos + 1;
          if (escaped) cellEnd = -(cellEnd + 1);
          i = j;
        } else {
          const j = unquotedEnd(bytes, words, i, n, stops, delimiterWord);
          cellStart = i;
          cellEnd = j;
          i = j;
        }
        // A cell holding a `missing` token is read as an empty cell.
        if (hasMissingTokens && cellEnd >= 0 && missing.matches(bytes, cellStart, cellEnd)) cellEnd = cellStart;
        if (cells < width) {
          starts[base + cells] = cellStart;
          ends[base + cells] = cellEnd;
        } else if (cells === width) {
          extraStart = cellStart;
        }
        cells++;
        if (i < n && bytes[i] === delimiter) {
          i++;
          continue;
        }
        // A CR at the end of a piece may be the first half of a CRLF.
        if (i < n && !(bytes[i] === CR && i + 1 === n && !last)) {
          i += bytes[i] === CR && i + 1 < n && bytes[i + 1] === LF ? 2 : 1;
          line++;
          lineStart = i;
          ended = true;
        }
        break;
      }
      if (!ended && !last) {
        // The row continues in the next piece: read it again from its start then.
        i = rowStart;
        line = rowLine;
        break;
      }
      if (broken) continue;
      if (cells !== width) {
        const lastEnd = ends[base + cells - 1];
        const where = locate(bytes, rowLine, rowLineStart, cells > width ? extraStart : lastEnd < 0 ? -lastEnd - 1 : lastEnd);
        log.add(
          dataCode.wrongCellCount,
          where.line,
          where.column,
          `row has ${cells} cell${cells === 1 ? '' : 's'}, the header has ${width}; the row is skipped`,
        );
        continue;
      }
      if (rowCount === rowLines.length) rowLines = growInt32(rowLines, rowCount + 1);
      rowLines[rowCount++] = rowLine;
      if (++spans.count === BLOCK_ROWS) this.flush(bytes, rowCount);
    }
    // The cells refer to this piece's bytes: hand them to the builders before it goes.
    this.flush(bytes, rowCount);
    this.rowLines = rowLines;
    this.rowCount = rowCount;
    this.line = line;
    return last ? n : i;
  }
}

/** A block's column: finished when its type is known, else its cells. */
export type BlockColumn = { built: BuiltColumn } | { raw: RawCells };

export interface BlockRead {
  /** Line breaks read: the next block starts this many lines further on. */
  lines: number;
  rowCount: number;
  /** Line of each row, counting the block's first line as 1. */
  rowLines: Int32Array;
  /** One per header cell (undefined for a repeated column name). */
  columns: Array<BlockColumn | undefined>;
  problems: LoggedProblems;
}

/** The header row of a file, from its first bytes; undefined while more bytes are needed. */
export function readHeaderRow(
  bytes: Uint8Array,
  last: boolean,
  delimiter: Delimiter,
): { names: string[]; end: number; line: number; problems: ReadProblem[] } | 'empty' | undefined {
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (!last && bytes.length < 3) return undefined;
  const problems: HeaderProblem[] = [];
  const header = readHeader(bytes, start, delimiter, problems);
  if (!last && (!header || !header.complete)) return undefined;
  if (!header) return 'empty';
  return { names: header.names, end: header.end, line: header.line, problems };
}

interface HeaderProblem {
  code: string;
  line: number;
  column: number;
  message: string;
}

/** The first non-blank row, as column names. */
function readHeader(bytes: Uint8Array, from: number, delimiter: Delimiter, problems: HeaderProblem[]): Header | undefined {
  const n = bytes.length;
  let i = from;
  let line = 1;
  let lineStart = from;
  while (i < n && (bytes[i] === LF || bytes[i] === CR)) {
    i += bytes[i] === CR && i + 1 < n && bytes[i + 1] === LF ? 2 : 1;
    line++;
    lineStart = i;
  }
  if (i >= n) return undefined;
  const headerLine = line;
  const headerLineStart = lineStart;
  const names: string[] = [];
  const seen = new Set<string>();
  for (;;) {
    const cellPos = i;
    let raw: string;
    if (bytes[i] === QUOTE) {
      let j = i + 1;
      while (j < n && !(bytes[j] === QUOTE && bytes[j + 1] !== QUOTE)) j += bytes[j] === QUOTE ? 2 : 1;
      const clean = unescapeQuotes(bytes, i + 1, Math.min(j, n));
      raw = decodeSlice(clean, 0, clean.length);
      i = j + 1;
      while (i < n && bytes[i] !== delimiter && bytes[i] !== LF && bytes[i] !== CR) i++;
    } else {
      let j = i;
      while (j < n && bytes[j] !== delimiter && bytes[j] !== LF && bytes[j] !== CR) j++;
      raw = decodeSlice(bytes, i, j);
      i = j;
    }
    const position = names.length + 1;
    const where = locate(bytes, headerLine, headerLineStart, cellPos);
    let name = raw.trim();
    if (name === '') {
      name = `column_${position}`;
      problems.push({ code: dataCode.emptyColumnName, ...where, message: `header cell ${position} is empty; the column is called \`${name}\`` });
    }
    if (seen.has(name)) {
      problems.push({ code: dataCode.duplicateColumn, ...where, message: `column \`${name}\` appears twice in the header; only the first one is used` });
      names.push('');
    } else {
      seen.add(name);
      names.push(name);
    }
    if (i < n && bytes[i] === delimiter) {
      i++;
      continue;
    }
    break;
  }
  let newlines = 0;
  for (let k = headerLineStart; k < i; k++) if (bytes[k] === LF) newlines++;
  line = headerLine + newlines;
  let complete = false;
  if (i < n) {
    complete = !(bytes[i] === CR && i + 1 === n);
    i += bytes[i] === CR && i + 1 < n && bytes[i + 1] === LF ? 2 : 1;
    line++;
  }
  return { names, end: i, line, complete };
}
