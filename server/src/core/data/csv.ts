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
import { type ColumnBuilder, createBuilder } from './builders.js';
import { dataCode } from './codes.js';
import type { FieldSpec } from './field-spec.js';
import { fitInt32, growInt32 } from './grow.js';
import { DeferredTextColumn } from './infer.js';
import { ProblemLog, type ReadColumn, type ReadResult, columnOf, locate } from './read-result.js';
import { type MissingTokens, NO_MISSING_TOKENS } from './missing-tokens.js';

export type Delimiter = typeof COMMA | typeof TAB;

const BLOCK_ROWS = 4096;

/**
 * Number of rows to allocate for, from the line length of the first 64 KiB
 * with a small margin. A count of every line break would be exact but costs
 * a pass over the file; a wrong guess only costs a copy (columns grow or are
 * trimmed at the end).
 */
function estimateRows(bytes: Uint8Array, from: number): number {
  const sampleEnd = Math.min(bytes.length, from + 65536);
  let breaks = 0;
  for (let i = from; i < sampleEnd; i++) {
    const b = bytes[i];
    if (b === LF || (b === CR && bytes[i + 1] !== LF)) breaks++;
  }
  if (sampleEnd === bytes.length) return breaks + 1;
  const bytesPerRow = (sampleEnd - from) / Math.max(1, breaks);
  return Math.ceil(((bytes.length - from) / bytesPerRow) * 1.04) + 16;
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
  lineStart: number;
}

export function readDelimited(
  bytes: Uint8Array,
  delimiter: Delimiter,
  specs: readonly FieldSpec[],
  missing: MissingTokens = NO_MISSING_TOKENS,
): ReadResult {
  const log = new ProblemLog();
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const header = readHeader(bytes, start, delimiter, log);
  if (!header) {
    log.add(dataCode.noHeader, 1, 1, 'the file is empty: a header row with the column names is expected');
    return { columns: undefined, rowCount: 0, rowLines: new Int32Array(0), problems: log.problems() };
  }
  const capacity = estimateRows(bytes, header.end);
  const specByName = new Map(specs.map((s) => [s.name, s]));
  const plans: ColumnPlan[] = header.names.map((name) => {
    if (name === '') return { typed: undefined, deferred: undefined };
    const type = specByName.get(name)?.type;
    return type
      ? { typed: createBuilder(name, type, capacity), deferred: undefined }
      : { typed: undefined, deferred: new DeferredTextColumn(name, capacity) };
  });
  const { rowCount, rowLines } = readRows(bytes, delimiter, header, plans, capacity, log, missing);
  const columns: ReadColumn[] = [];
  for (const plan of plans) {
    if (plan.typed) columns.push({ built: plan.typed.finish(rowCount) });
    else if (plan.deferred) columns.push(plan.deferred.finish(rowCount, bytes));
    // Let the cell slices and builder state go before the next column is built.
    plan.typed = undefined;
    plan.deferred = undefined;
  }
  return { columns, rowCount, rowLines, problems: log.problems() };
}

function readRows(
  bytes: Uint8Array,
  delimiter: Delimiter,
  header: Header,
  plans: ColumnPlan[],
  capacity: number,
  log: ProblemLog,
  missing: MissingTokens,
): { rowCount: number; rowLines: Int32Array } {
  const hasMissingTokens = !missing.isEmpty;
  const n = bytes.length;
  const width = plans.length;
  const stride = width + 1; // one spare slot takes the cells of a row that is too long
  const spans: CellSpans = {
    starts: new Int32Array(BLOCK_ROWS * stride),
    ends: new Int32Array(BLOCK_ROWS * stride),
    stride,
    count: 0,
  };
  const { starts, ends } = spans;
  let rowLines = new Int32Array(capacity);
  let rowCount = 0;
  let i = header.end;
  let line = header.line;
  let lineStart = header.lineStart;

  const flush = (): void => {
    if (spans.count === 0) return;
    const rowBase = rowCount - spans.count;
    for (let c = 0; c < width; c++) {
      const plan = plans[c];
      if (plan.typed) plan.typed.addSpans(bytes, spans, c, rowBase);
      else if (plan.deferred) plan.deferred.addSpans(spans, c, rowBase);
    }
    spans.count = 0;
  };

  while (i < n) {
    const first = bytes[i];
    if (first === LF || first === CR) {
      i += first === CR && i + 1 < n && bytes[i + 1] === LF ? 2 : 1;
      line++;
      lineStart = i;
      continue;
    }
    const rowLine = line;
    const rowLineStart = lineStart;
    const base = spans.count * stride;
    let cells = 0;
    let extraStart = -1;
    let lastEnd = i;
    let broken = false;
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
        let j = i;
        while (j < n) {
          const b = bytes[j];
          if (b === delimiter || b === LF || b === CR) break;
          j++;
        }
        cellStart = i;
        cellEnd = j;
        i = j;
      }
      // A cell holding a `missing` token is read as an empty cell.
      if (hasMissingTokens && cellEnd >= 0 && missing.matches(bytes, cellStart, cellEnd)) cellEnd = cellStart;
      if (cells < width) {
        starts[base + cells] = cellStart;
        ends[base + cells] = cellEnd;
        lastEnd = cellEnd < 0 ? -cellEnd - 1 : cellEnd;
      } else if (cells === width) {
        extraStart = cellStart;
      }
      cells++;
      if (i < n && bytes[i] === delimiter) {
        i++;
        continue;
      }
      if (i < n) {
        i += bytes[i] === CR && i + 1 < n && bytes[i + 1] === LF ? 2 : 1;
        line++;
        lineStart = i;
      }
      break;
    }
    if (broken) continue;
    if (cells !== width) {
      const where = locate(bytes, rowLine, rowLineStart, cells > width ? extraStart : lastEnd);
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
    if (++spans.count === BLOCK_ROWS) flush();
  }
  flush();
  return { rowCount, rowLines: fitInt32(rowLines, rowCount) };
}

/** The first non-blank row, as column names. */
function readHeader(bytes: Uint8Array, from: number, delimiter: Delimiter, log: ProblemLog): Header | undefined {
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
      log.add(dataCode.emptyColumnName, where.line, where.column, `header cell ${position} is empty; the column is called \`${name}\``);
    }
    if (seen.has(name)) {
      log.add(dataCode.duplicateColumn, where.line, where.column, `column \`${name}\` appears twice in the header; only the first one is used`);
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
  if (i < n) {
    i += bytes[i] === CR && i + 1 < n && bytes[i + 1] === LF ? 2 : 1;
    line++;
  }
  return { names, end: i, line, lineStart: i };
}
