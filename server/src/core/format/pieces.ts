/**
 * Canonical spelling of expressions and values as a flat list of pieces,
 * each with the exact source offset of the token it stands for, so that
 * comments can be put back between them (and land in the same place when
 * the output is formatted again).
 */
import type {
  Bound,
  Expectation,
  Expr,
  FlagContextEntry,
  FlagExpectation,
  Identifier,
  ListExpr,
  RecordLiteral,
  RelatedRowsLiteral,
  TimeUnit,
} from '../syntax/ast.js';
import type { Piece } from './printer.js';

type Logical = Extract<Expr, { type: 'Logical' }>;

export class PieceWriter {
  constructor(private readonly source: string) {}

  /** The source text of a node (literals keep their spelling and escapes). */
  raw(node: { range: { start: { offset: number }; end: { offset: number } } }): string {
    return this.source.slice(node.range.start.offset, node.range.end.offset);
  }

  /** Offset of the next token at or after `from`, skipping spaces and comments. */
  next(from: number): number {
    const text = this.source;
    let i = from;
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
        i++;
      } else if (c === '/' && text[i + 1] === '/') {
        while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
      } else if (c === '/' && text[i + 1] === '*') {
        const close = text.indexOf('*/', i + 2);
        i = close < 0 ? text.length : close + 2;
      } else {
        break;
      }
    }
    return i;
  }

  /** End offset of the word (or single character) that starts at `at`. */
  private wordEnd(at: number): number {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.source.slice(at, at + 64));
    return at + (match ? match[0].length : 1);
  }

  /** Pushes keyword pieces that follow each other in the source, from `from` on. */
  private words(words: string[], from: number, out: Piece[], space = true): number {
    let cursor = from;
    for (const word of words) {
      const at = this.next(cursor);
      out.push({ text: word, at, space });
      cursor = this.wordEnd(at);
    }
    return cursor;
  }

  expr(expr: Expr, out: Piece[], space: boolean, top = false): void {
    const at = expr.range.start.offset;
    const end = expr.range.end.offset;
    switch (expr.type) {
      case 'String':
      case 'Date':
      case 'DateTime':
        out.push({ text: this.raw(expr), at, space });
        return;
      case 'Number':
      case 'Percent':
        out.push({ text: expr.raw, at, space });
        return;
      case 'Boolean':
        out.push({ text: String(expr.value), at, space });
        return;
      case 'Today':
        out.push({ text: 'today', at, space });
        return;
      case 'Now':
        out.push({ text: 'now', at, space });
        return;
      case 'Name':
        out.push({ text: expr.name, at, space });
        return;
      case 'List':
        this.list(expr, out, space);
        return;
      case 'Paren':
        out.push({ text: '(', at, space });
        this.expr(expr.expr, out, false);
        out.push({ text: ')', at: end - 1, space: false });
        return;
      case 'Not':
        out.push({ text: 'not', at, space });
        this.expr(expr.operand, out, true);
        return;
      case 'Negate':
        out.push({ text: '-', at, space });
        this.expr(expr.operand, out, false);
        return;
      case 'Logical': {
        // Long `a and b and c …` chains are deep on the left: walk them in a loop.
        const chain: Logical[] = [];
        let leftmost: Expr = expr;
        while (leftmost.type === 'Logical') {
          chain.push(leftmost);
          leftmost = leftmost.left;
        }
        this.expr(leftmost, out, space, top);
        for (let i = chain.length - 1; i >= 0; i--) {
          out.push({ text: chain[i].op, at: chain[i].opRange.start.offset, space: true, connector: top });
          this.expr(chain[i].right, out, true, top);
        }
        return;
      }
      case 'Arith':
      case 'Compare':
        this.expr(expr.left, out, space);
        out.push({ text: expr.op, at: expr.opRange.start.offset, space: true });
        this.expr(expr.right, out, true);
        return;
      case 'In':
        this.expr(expr.subject, out, space);
        this.words(expr.negated ? ['not', 'in'] : ['in'], expr.subject.range.end.offset, out);
        this.list(expr.list, out, true);
        return;
      case 'Between':
        this.expr(expr.subject, out, space);
        this.words(['between'], expr.subject.range.end.offset, out);
        this.expr(expr.low, out, true);
        this.words(['and'], expr.low.range.end.offset, out);
        this.expr(expr.high, out, true);
        return;
      case 'Contains':
        this.expr(expr.subject, out, space);
        this.words(expr.mode === 'one' ? ['contains'] : ['contains', expr.mode], expr.subject.range.end.offset, out);
        this.expr(expr.value, out, true);
        return;
      case 'Affix':
        this.expr(expr.subject, out, space);
        this.words([expr.op, 'with'], expr.subject.range.end.offset, out);
        this.expr(expr.value, out, true);
        return;
      case 'Matches':
        this.expr(expr.subject, out, space);
        this.words(['matches'], expr.subject.range.end.offset, out);
        out.push({ text: this.raw(expr.pattern), at: expr.pattern.range.start.offset, space: true });
        return;
      case 'Missing':
        this.expr(expr.subject, out, space);
        this.words(expr.negated ? ['is', 'not', 'missing'] : ['is', 'missing'], expr.subject.range.end.offset, out);
        return;
      case 'WithinLast':
        this.expr(expr.subject, out, space);
        this.words(['within', 'last'], expr.subject.range.end.offset, out);
        out.push({ text: expr.amount.raw, at: expr.amount.range.start.offset, space: true });
        this.words([unitWord(expr.unit, expr.amount.value)], expr.amount.range.end.offset, out);
        return;
      case 'Temporal':
        this.expr(expr.subject, out, space);
        this.words([expr.op], expr.subject.range.end.offset, out);
        this.expr(expr.value, out, true);
        return;
      case 'Call':
        out.push({ text: expr.callee.name, at, space });
        this.words(['('], expr.callee.range.end.offset, out, false);
        this.expr(expr.arg, out, false);
        out.push({ text: ')', at: end - 1, space: false });
        return;
      case 'RelatedField':
        this.dotted(expr.dataset, expr.field, out, space);
        return;
      case 'Aggregate': {
        out.push({ text: expr.callee.name, at, space });
        let cursor = this.words(['('], expr.callee.range.end.offset, out, false);
        if (expr.fn === 'countDistinct') cursor = this.words(['distinct'], cursor, out, false);
        this.dotted(expr.dataset, expr.field, out, expr.fn === 'countDistinct');
        if (expr.filter) {
          this.words(['where'], (expr.field ?? expr.dataset).range.end.offset, out);
          this.expr(expr.filter, out, true);
        }
        void cursor;
        out.push({ text: ')', at: end - 1, space: false });
        return;
      }
      case 'Ago':
        out.push({ text: expr.amount.raw, at, space });
        this.words([unitWord(expr.unit, expr.amount.value), 'ago'], expr.amount.range.end.offset, out);
        return;
      case 'Error':
        // The formatter refuses files with errors; keep the text if it ever gets here.
        out.push({ text: this.raw(expr), at, space });
        return;
    }
  }

  /** `plays` or `plays.genre`. */
  private dotted(dataset: Identifier, field: Identifier | undefined, out: Piece[], space: boolean): void {
    out.push({ text: dataset.name, at: dataset.range.start.offset, space });
    if (!field) return;
    this.words(['.'], dataset.range.end.offset, out, false);
    out.push({ text: field.name, at: field.range.start.offset, space: false });
  }

  /** `survey: { … }` or `plays: [{ … }, { … }]`. */
  relatedRows(rows: RelatedRowsLiteral, out: Piece[], space: boolean): void {
    if (!rows.many) {
      this.record(rows.rows[0], out, space);
      return;
    }
    out.push({ text: '[', at: rows.range.start.offset, space });
    rows.rows.forEach((row, i) => {
      this.record(row, out, i > 0);
      if (i < rows.rows.length - 1) this.words([','], row.range.end.offset, out, false);
    });
    out.push({ text: ']', at: rows.range.end.offset - 1, space: false });
  }

  /** A record entry's value: an expression or nested related rows. */
  entryValue(value: Expr | RelatedRowsLiteral, out: Piece[], space: boolean): void {
    if (value.type === 'RelatedRows') this.relatedRows(value, out, space);
    else this.expr(value, out, space);
  }

  list(list: ListExpr, out: Piece[], space: boolean): void {
    out.push({ text: '[', at: list.range.start.offset, space });
    list.items.forEach((item, i) => {
      this.expr(item, out, i > 0);
      if (i < list.items.length - 1) this.words([','], item.range.end.offset, out, false);
    });
    out.push({ text: ']', at: list.range.end.offset - 1, space: false });
  }

  names(names: Identifier[], open: number, close: number, out: Piece[], space: boolean): void {
    out.push({ text: '[', at: open, space });
    names.forEach((name, i) => {
      out.push({ text: name.name, at: name.range.start.offset, space: i > 0 });
      if (i < names.length - 1) this.words([','], name.range.end.offset, out, false);
    });
    out.push({ text: ']', at: close, space: false });
  }

  record(record: RecordLiteral, out: Piece[], space: boolean): void {
    out.push({ text: '{', at: record.range.start.offset, space });
    record.entries.forEach((entry, i) => {
      out.push({ text: entry.key.name, at: entry.key.range.start.offset, space: true });
      this.words([':'], entry.key.range.end.offset, out, false);
      this.entryValue(entry.value, out, true);
      if (i < record.entries.length - 1) this.words([','], entry.value.range.end.offset, out, false);
    });
    out.push({ text: '}', at: record.range.end.offset - 1, space: record.entries.length > 0 });
  }

  /** A flag's `context { id: user_id, plan }`. */
  contextMap(entries: FlagContextEntry[], open: number, close: number, out: Piece[], space: boolean): void {
    out.push({ text: '{', at: open, space });
    entries.forEach((entry, i) => {
      this.contextEntry(entry, out);
      if (i < entries.length - 1) this.words([','], entry.range.end.offset, out, false);
    });
    out.push({ text: '}', at: close, space: entries.length > 0 });
  }

  contextEntry(entry: FlagContextEntry, out: Piece[]): void {
    if (!entry.field) {
      out.push({ text: entry.attribute.name, at: entry.attribute.range.start.offset, space: true });
      return;
    }
    out.push({ text: `${entry.attribute.name}:`, at: entry.attribute.range.start.offset, space: true });
    out.push({ text: entry.field.name, at: entry.field.range.start.offset, space: true });
  }

  /** `reach >= 95%`, `leak == 0 warn` */
  flagExpectation(expectation: FlagExpectation, out: Piece[]): void {
    out.push({ text: expectation.type === 'ExpectReach' ? 'reach' : 'leak', at: expectation.range.start.offset, space: true });
    this.bound(expectation.bound, out);
    if (expectation.warn) out.push({ text: 'warn', at: expectation.range.end.offset - 4, space: true });
  }

  bound(bound: Bound | undefined, out: Piece[]): void {
    if (!bound) return;
    if (bound.kind === 'compare') {
      out.push({ text: bound.op, at: bound.range.start.offset, space: true });
      out.push({ text: bound.value.raw, at: bound.value.range.start.offset, space: true });
    } else {
      out.push({ text: 'between', at: bound.range.start.offset, space: true });
      out.push({ text: bound.low.raw, at: bound.low.range.start.offset, space: true });
      this.words(['and'], bound.low.range.end.offset, out);
      out.push({ text: bound.high.raw, at: bound.high.range.start.offset, space: true });
    }
  }

  expectation(expectation: Expectation, out: Piece[]): void {
    const at = expectation.range.start.offset;
    const formEnd = this.wordEnd(at);
    switch (expectation.type) {
      case 'ExpectSize':
        out.push({ text: 'size', at, space: true });
        this.bound(expectation.bound, out);
        break;
      case 'ExpectShare':
        out.push({ text: 'share', at, space: true });
        this.words(['('], formEnd, out, false);
        this.expr(expectation.expr, out, false);
        this.words([')'], expectation.expr.range.end.offset, out, false);
        this.bound(expectation.bound, out);
        break;
      case 'ExpectAggregate':
        out.push({ text: expectation.fn.name, at, space: true });
        this.words(['('], formEnd, out, false);
        this.expr(expectation.arg, out, false);
        this.words([')'], expectation.arg.range.end.offset, out, false);
        this.bound(expectation.bound, out);
        break;
      case 'ExpectDisjoint':
        out.push({ text: 'disjoint', at, space: true });
        if (expectation.segment) {
          out.push({ text: expectation.segment.name, at: expectation.segment.range.start.offset, space: true });
        }
        break;
      case 'ExpectOverlap':
        out.push({ text: 'overlap', at, space: true });
        this.words(['('], formEnd, out, false);
        if (expectation.segment) {
          out.push({ text: expectation.segment.name, at: expectation.segment.range.start.offset, space: false });
          this.words([')'], expectation.segment.range.end.offset, out, false);
        }
        this.bound(expectation.bound, out);
        break;
      case 'ExpectSubset':
        out.push({ text: 'subset', at, space: true });
        this.words(['of'], formEnd, out);
        if (expectation.segment) {
          out.push({ text: expectation.segment.name, at: expectation.segment.range.start.offset, space: true });
        }
        break;
    }
    if (expectation.warn) out.push({ text: 'warn', at: expectation.range.end.offset - 4, space: true });
  }
}

function unitWord(unit: TimeUnit, amount: number): string {
  return amount === 1 ? unit : `${unit}s`;
}

/** The width of pieces printed on one line. */
export function oneLineWidth(pieces: Piece[]): number {
  let width = 0;
  pieces.forEach((piece, i) => {
    width += (i > 0 && piece.space ? 1 : 0) + piece.text.length;
  });
  return width;
}
