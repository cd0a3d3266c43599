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
 */
import { COMMA, CR, LF, QUOTE, TAB, decodeSlice } from './bytes.js';
import { type ColumnBuilder, createBuilder } from './builders.js';
import type { FieldSpec } from './field-spec.js';
import { fitInt32, growInt32, growUint8 } from './grow.js';
import { DeferredTextColumn } from './infer.js';
import { ProblemLog, type ReadColumn, type ReadResult, columnOf, locate } from './read-result.js';
import { dataCode } from './codes.js';

export type Delimiter = typeof COMMA | typeof TAB;

let scratch: Uint8Array<ArrayBuffer> = new Uint8Array(256);

/** A quoted cell's content with doubled quotes made single (in a shared scratch buffer). */
export function unescapeQuotes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  scratch = growUint8(scratch, end - start);
  let length = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    scratch[length++] = b;
    if (b === QUOTE && i + 1 < end && bytes[i + 1] === QUOTE) i++;
  }
  return scratch.subarray(0, length);
}

/** Rough row count from the first 64 KiB, so that columns rarely need to grow. */
function estimateRows(bytes: Uint8Array, from: number): number {
  const sampleEnd = Math.min(bytes.length, from + 65536);
  let lines = 0;
  for (let i = from; i < sampleEnd; i++) if (bytes[i] === LF) lines++;
  if (lines === 0) return 16;
  const perLine = (sampleEnd - from) / lines;
  return Math.ceil(((bytes.length - from) / perLine) * 1.02) + 16;
}

interface ColumnPlan {
  typed: ColumnBuilder | undefined;
  deferred: DeferredTextColumn | undefined;
}

export function readDelimited(bytes: Uint8Array, delimiter: Delimiter, specs: readonly FieldSpec[]): ReadResult {
  const n = bytes.length;
  const log = new ProblemLog();
  const specByName = new Map(specs.map((s) => [s.name, s]));
  let i = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let line = 1;
  let lineStart = i;

  let cellStarts = new Int32Array(64);
  let cellEnds = new Int32Array(64);
  let cellEscaped = new Uint8Array(64);

  let plans: ColumnPlan[] | undefined;
  let header: string[] = [];
  let rowCount = 0;
  let rowLines = new Int32Array(0);

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
    let cells = 0;
    let broken = false;
    for (;;) {
      if (cells === cellStarts.length) {
        cellStarts = growInt32(cellStarts, cells + 1);
        cellEnds = growInt32(cellEnds, cells + 1);
        cellEscaped = growUint8(cellEscaped, cells + 1);
      }
      if (i < n && bytes[i] === QUOTE) {
        const quoteLine = line;
        const quoteLineStart = lineStart;
        const quotePos = i;
        let j = i + 1;
        let escaped = 0;
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
            escaped = 1;
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
        let cellEnd = j;
        j++;
        if (j < n && bytes[j] !== delimiter && bytes[j] !== LF && bytes[j] !== CR) {
          while (j < n && bytes[j] !== delimiter && bytes[j] !== LF && bytes[j] !== CR) j++;
          cellEnd = j;
          escaped = 1;
        }
        cellStarts[cells] = quotePos + 1;
        cellEnds[cells] = cellEnd;
        cellEscaped[cells] = escaped;
        i = j;
      } else {
        let j = i;
        while (j < n) {
          const b = bytes[j];
          if (b === delimiter || b === LF || b === CR) break;
          j++;
        }
        cellStarts[cells] = i;
        cellEnds[cells] = j;
        cellEscaped[cells] = 0;
        i = j;
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

    if (!plans) {
      header = readHeader(bytes, cells, cellStarts, cellEnds, cellEscaped, rowLine, rowLineStart, log);
      const capacity = estimateRows(bytes, i);
      plans = planColumns(header, specByName, capacity);
      rowLines = new Int32Array(capacity);
      continue;
    }
    if (cells !== plans.length) {
      const where =
        cells > plans.length
          ? locate(bytes, rowLine, rowLineStart, cellStarts[plans.length])
          : locate(bytes, rowLine, rowLineStart, cellEnds[cells - 1]);
      log.add(
        dataCode.wrongCellCount,
        where.line,
        where.column,
        `row has ${cells} cell${cells === 1 ? '' : 's'}, the header has ${plans.length}; the row is skipped`,
      );
      continue;
    }
    const row = rowCount++;
    if (row >= rowLines.length) rowLines = growInt32(rowLines, row + 1);
    rowLines[row] = rowLine;
    for (let c = 0; c < cells; c++) {
      const plan = plans[c];
      const start = cellStarts[c];
      const end = cellEnds[c];
      if (plan.typed) {
        if (start === end) continue;
        if (cellEscaped[c] === 0) {
          plan.typed.addText(row, bytes, start, end);
        } else {
          const clean = unescapeQuotes(bytes, start, end);
          plan.typed.addText(row, clean, 0, clean.length);
        }
      } else if (plan.deferred) {
        plan.deferred.add(row, start, end, cellEscaped[c] === 1);
      }
    }
  }

  if (!plans) {
    log.add(dataCode.noHeader, 1, 1, 'the file is empty: a header row with the column names is expected');
    return { columns: undefined, rowCount: 0, rowLines: new Int32Array(0), problems: log.problems() };
  }
  const columns: ReadColumn[] = [];
  for (const plan of plans) {
    if (plan.typed) columns.push({ built: plan.typed.finish(rowCount) });
    else if (plan.deferred) columns.push(plan.deferred.finish(rowCount, bytes, unescapeQuotes));
  }
  return { columns, rowCount, rowLines: fitInt32(rowLines, rowCount), problems: log.problems() };
}

function readHeader(
  bytes: Uint8Array,
  cells: number,
  starts: Int32Array,
  ends: Int32Array,
  escaped: Uint8Array,
  line: number,
  lineStart: number,
  log: ProblemLog,
): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let c = 0; c < cells; c++) {
    const clean = escaped[c] === 1 ? unescapeQuotes(bytes, starts[c], ends[c]) : bytes.subarray(starts[c], ends[c]);
    const raw = decodeSlice(clean, 0, clean.length);
    let name = raw.trim();
    const where = locate(bytes, line, lineStart, starts[c]);
    if (name === '') {
      name = `column_${c + 1}`;
      log.add(dataCode.emptyColumnName, where.line, where.column, `header cell ${c + 1} is empty; the column is called \`${name}\``);
    }
    if (seen.has(name)) {
      log.add(
        dataCode.duplicateColumn,
        where.line,
        where.column,
        `column \`${name}\` appears twice in the header; only the first one is used`,
      );
      names.push('');
      continue;
    }
    seen.add(name);
    names.push(name);
  }
  return names;
}

function planColumns(header: string[], specs: Map<string, FieldSpec>, capacity: number): ColumnPlan[] {
  return header.map((name) => {
    if (name === '') return { typed: undefined, deferred: undefined };
    const type = specs.get(name)?.type;
    return type
      ? { typed: createBuilder(name, type, capacity), deferred: undefined }
      : { typed: undefined, deferred: new DeferredTextColumn(name) };
  });
}
