import type { Position, Range } from './ast.js';

/** Converts offsets into line/character positions (UTF-16, zero-based). */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  get length(): number {
    return this.text.length;
  }

  /** The source text between two offsets. */
  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }

  /** The line found last: lookups mostly move forward through the text. */
  private lastLine = 0;

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    const near = this.lastLine;
    if (starts[near] <= clamped && (near + 1 >= starts.length || clamped < starts[near + 1])) {
      return { line: near, character: clamped - starts[near], offset: clamped };
    }
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    this.lastLine = low;
    return { line: low, character: clamped - this.lineStarts[low], offset: clamped };
  }

  /** Range from a start offset to an end offset (exclusive). */
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** The offset of a line/character position, clamped to the line's end. */
  offset(line: number, character: number): number {
    if (line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[Math.max(0, line)];
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length + 1;
    let lineEnd = next - 1;
    if (lineEnd > start && this.text.charCodeAt(lineEnd - 1) === 13 && this.text.charCodeAt(lineEnd) === 10) lineEnd--;
    return Math.min(start + Math.max(0, character), Math.min(lineEnd, this.text.length));
  }
}

export function spanRanges(first: Range, last: Range): Range {
  return { start: first.start, end: last.end };
}
