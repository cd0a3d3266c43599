/** What a format reader hands to the loader: finished columns and located problems. */
import type { BuiltColumn } from './builders.js';
import type { InferredType } from './infer.js';

export interface ReadColumn {
  built: BuiltColumn;
  /** Set for columns whose type was inferred. */
  inferred?: InferredType;
}

/** A problem in the file itself, at a 1-based line and column of the data file. */
export interface ReadProblem {
  code: string;
  line: number;
  column: number;
  message: string;
  /** Further occurrences of the same problem that are not listed one by one. */
  moreCount?: number;
}

export interface ReadResult {
  /** Undefined when the file could not be read at all (e.g. JSON that does not parse). */
  columns: ReadColumn[] | undefined;
  rowCount: number;
  rowLines: Int32Array;
  problems: ReadProblem[];
}

const LISTED_PER_CODE = 5;

/** A log's content, to be merged into another log (a block of a file read elsewhere). */
export interface LoggedProblems {
  listed: ReadProblem[];
  counts: Array<[string, number]>;
}

/** Keeps the first few problems of each kind and counts the rest. */
export class ProblemLog {
  private readonly listed: ReadProblem[] = [];
  private readonly counts = new Map<string, number>();
  private readonly listedCounts = new Map<string, number>();

  add(code: string, line: number, column: number, message: string): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
    this.list({ code, line, column, message });
  }

  private list(problem: ReadProblem): void {
    const listed = this.listedCounts.get(problem.code) ?? 0;
    if (listed >= LISTED_PER_CODE) return;
    this.listedCounts.set(problem.code, listed + 1);
    this.listed.push(problem);
  }

  export(): LoggedProblems {
    return { listed: this.listed.map((p) => ({ ...p })), counts: [...this.counts] };
  }

  /** The problems of a later part of the file, whose line 1 is line `lineOffset + 1` here. */
  absorb(logged: LoggedProblems, lineOffset: number): void {
    for (const [code, count] of logged.counts) this.counts.set(code, (this.counts.get(code) ?? 0) + count);
    for (const p of logged.listed) this.list({ ...p, line: p.line + lineOffset });
  }

  problems(): ReadProblem[] {
    const result = this.listed.map((p) => ({ ...p }));
    for (const [code, count] of this.counts) {
      const listed = this.listedCounts.get(code) ?? 0;
      if (count <= listed) continue;
      const last = [...result].reverse().find((p) => p.code === code);
      if (last) last.moreCount = count - listed;
    }
    return result;
  }
}

/** 1-based column of byte `pos` on the line starting at `lineStart`, counting characters. */
export function columnOf(bytes: Uint8Array, lineStart: number, pos: number): number {
  let column = 1;
  for (let i = lineStart; i < pos && i < bytes.length; i++) {
    if ((bytes[i] & 0xc0) !== 0x80) column++;
  }
  return column;
}

/** Line and column of byte `pos`, counting from a known line start. */
export function locate(
  bytes: Uint8Array,
  fromLine: number,
  fromLineStart: number,
  pos: number,
): { line: number; column: number } {
  let line = fromLine;
  let lineStart = fromLineStart;
  for (let i = fromLineStart; i < pos; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: columnOf(bytes, lineStart, pos) };
}
