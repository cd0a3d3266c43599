/**
 * A line printer that puts every comment of the source back at its place.
 *
 * Everything printed carries the source offset it came from; before printing
 * something, the comments that came before it in the source are printed
 * first: on their own line if they stood on their own line, otherwise at the
 * end of the current line. Nothing is reordered, so no comment can be lost.
 */
import type { Comment } from '../syntax/ast.js';

/** A piece of text with the source offset it stands for. */
export interface Piece {
  text: string;
  /** Source offset of the piece, for placing comments before it. */
  at: number;
  /** A space separates it from the previous piece on the same line. */
  space: boolean;
  /** A top-level `and` / `or`: where a long condition is broken. */
  connector?: boolean;
}

export class Printer {
  private readonly lines: string[] = [];
  private line = '';
  private nextComment = 0;
  /** Source offset up to which everything has been printed. */
  private printedTo = 0;
  private mustBreak = false;
  /** The next line that starts an item gets an empty line before it. */
  private pendingBlank = false;
  /** Indentation of new lines that continue the current construct. */
  continuation = 0;

  constructor(
    private readonly source: string,
    private readonly comments: readonly Comment[],
  ) {}

  /** Column where the next text goes (a multi-line block comment may sit in the line). */
  get column(): number {
    return this.line.length - (this.line.lastIndexOf('\n') + 1);
  }

  /** Starts a new line at `indent` (no-op on an empty line, except for its indent). */
  newLine(indent: number): void {
    if (this.line.trim().length > 0) this.lines.push(this.line.trimEnd());
    this.line = ' '.repeat(indent);
    this.mustBreak = false;
  }

  /** Puts an empty line before the next comment or item that starts a line. */
  requestBlankLine(): void {
    this.pendingBlank = true;
  }

  private emitPendingBlank(): void {
    if (!this.pendingBlank) return;
    this.pendingBlank = false;
    if (this.line.trim().length > 0) {
      this.lines.push(this.line.trimEnd());
      this.line = '';
    }
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '' && !this.lastLineOpensBlock()) {
      this.lines.push('');
    }
  }

  /**
   * Starts an item (a declaration, a property, a field) on a new line at
   * `indent`, after the comments before it; keeps one empty line where the
   * source had at least one.
   */
  startItem(offset: number, indent: number): void {
    this.continuation = indent;
    this.flushComments(offset);
    if (this.blankLineBefore(offset)) this.pendingBlank = true;
    this.emitPendingBlank();
    this.newLine(indent);
  }

  /** True when the source has an empty line between what was printed last and `offset`. */
  blankLineBefore(offset: number): boolean {
    return /\n[ \t]*\r?\n/.test(this.gapText(offset));
  }

  private gapText(offset: number): string {
    // Only whitespace between printed text and `offset` matters; comments
    // in between are printed on their own.
    let from = this.printedTo;
    const pending = this.comments[this.nextComment];
    const to = pending && pending.range.start.offset < offset ? pending.range.start.offset : offset;
    if (from > to) from = to;
    return this.source.slice(from, to);
  }

  print(piece: Piece): void {
    this.flushComments(piece.at);
    if (this.mustBreak) this.newLine(this.continuation);
    if (piece.space && this.line.trim().length > 0 && !this.line.endsWith(' ')) this.line += ' ';
    this.line += piece.text;
    this.printedTo = Math.max(this.printedTo, piece.at + (this.source.startsWith(piece.text, piece.at) ? piece.text.length : 0));
  }

  text(text: string, at: number, space = true): void {
    this.print({ text, at, space });
  }

  /** Prints the comments that start before `offset`. */
  flushComments(offset: number): void {
    while (this.nextComment < this.comments.length && this.comments[this.nextComment].range.start.offset < offset) {
      this.printComment(this.comments[this.nextComment]);
      this.nextComment++;
    }
  }

  private printComment(comment: Comment): void {
    const start = comment.range.start.offset;
    // A comment that will start its line in the output (a line comment or a
    // comment on its own line came just before) is printed as one on its own
    // line, as it will read the next time: formatting twice changes nothing.
    if (this.onOwnLine(start) || this.mustBreak || this.line.trim().length === 0) {
      if (this.blankLineBefore(start)) this.pendingBlank = true;
      this.emitPendingBlank();
      this.newLine(this.continuation);
      this.line = ' '.repeat(this.continuation) + comment.text;
      this.newLine(this.continuation);
    } else {
      if (this.line.trim().length > 0) {
        this.line = this.line.trimEnd();
        // Trailing comments the author aligned (more than one space before
        // them) keep their column when the code leaves room for it.
        const column = comment.range.start.character;
        const aligned = /[ \t]{2,}$/.test(this.source.slice(Math.max(0, start - 2), start));
        this.line += aligned && column > this.column ? ' '.repeat(column - this.column) : ' ';
      }
      this.line += comment.text;
      if (!comment.block) this.mustBreak = true;
    }
    this.printedTo = Math.max(this.printedTo, comment.range.end.offset);
  }

  private lastLineOpensBlock(): boolean {
    const last = this.lines[this.lines.length - 1];
    return last === undefined || /[{[(]$/.test(last);
  }

  /** Only whitespace precedes the comment on its source line. */
  private onOwnLine(start: number): boolean {
    for (let i = start - 1; i >= 0; i--) {
      const c = this.source[i];
      if (c === '\n' || c === '\r') return true;
      if (c !== ' ' && c !== '\t') return false;
    }
    return true;
  }

  /** The finished text: all remaining comments, one final newline. */
  finish(): string {
    this.flushComments(Number.POSITIVE_INFINITY);
    if (this.line.trim().length > 0) this.lines.push(this.line.trimEnd());
    while (this.lines.length > 0 && this.lines[this.lines.length - 1] === '') this.lines.pop();
    return this.lines.length > 0 ? `${this.lines.join('\n')}\n` : '';
  }
}
