/**
 * Canonical spelling of expressions and values as a flat list of pieces,
 * each with the source offset it stands for (so that comments can be put
 * back between them).
 */
import type { Bound, Expectation, Expr, Identifier, ListExpr, RecordLiteral, TimeUnit } from '../syntax/ast.js';
import type { Piece } from './printer.js';

export class PieceWriter {
  constructor(private readonly source: string) {}

  /** The source text of a node (literals keep their spelling and escapes). */
  raw(node: { range: { start: { offset: number }; end: { offset: number } } }): string {
    return this.source.slice(node.range.start.offset, node.range.end.offset);
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
        const chain: Array<Extract<Expr, { type: 'Logical' }>> = [];
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
      case 'In': {
        this.expr(expr.subject, out, space);
        const opAt = expr.subject.range.end.offset;
        if (expr.negated) out.push({ text: 'not', at: opAt, space: true });
        out.push({ text: 'in', at: opAt, space: true });
        this.list(expr.list, out, true);
        return;
      }
      case 'Between':
        this.expr(expr.subject, out, space);
        out.push({ text: 'between', at: expr.subject.range.end.offset, space: true });
        this.expr(expr.low, out, true);
        out.push({ text: 'and', at: expr.low.range.end.offset, space: true });
        this.expr(expr.high, out, true);
        return;
      case 'Contains':
        this.expr(expr.subject, out, space);
        out.push({ text: 'contains', at: expr.subject.range.end.offset, space: true });
        if (expr.mode !== 'one') out.push({ text: expr.mode, at: expr.subject.range.end.offset, space: true });
        this.expr(expr.value, out, true);
        return;
      case 'Affix':
        this.expr(expr.subject, out, space);
        out.push({ text: expr.op, at: expr.subject.range.end.offset, space: true });
        out.push({ text: 'with', at: expr.subject.range.end.offset, space: true });
        this.expr(expr.value, out, true);
        return;
      case 'Matches':
        this.expr(expr.subject, out, space);
        out.push({ text: 'matches', at: expr.subject.range.end.offset, space: true });
        out.push({ text: this.raw(expr.pattern), at: expr.pattern.range.start.offset, space: true });
        return;
      case 'Missing':
        this.expr(expr.subject, out, space);
        out.push({ text: expr.negated ? 'is not missing' : 'is missing', at: expr.subject.range.end.offset, space: true });
        return;
      case 'WithinLast':
        this.expr(expr.subject, out, space);
        out.push({ text: 'within last', at: expr.subject.range.end.offset, space: true });
        out.push({ text: expr.amount.raw, at: expr.amount.range.start.offset, space: true });
        out.push({ text: unitWord(expr.unit, expr.amount.value), at: expr.amount.range.end.offset, space: true });
        return;
      case 'Temporal':
        this.expr(expr.subject, out, space);
        out.push({ text: expr.op, at: expr.subject.range.end.offset, space: true });
        this.expr(expr.value, out, true);
        return;
      case 'Call':
        out.push({ text: expr.callee.name, at, space });
        out.push({ text: '(', at: expr.callee.range.end.offset, space: false });
        this.expr(expr.arg, out, false);
        out.push({ text: ')', at: end - 1, space: false });
        return;
      case 'Ago':
        out.push({ text: expr.amount.raw, at, space });
        out.push({ text: `${unitWord(expr.unit, expr.amount.value)} ago`, at: expr.amount.range.end.offset, space: true });
        return;
      case 'Error':
        // The formatter refuses files with errors; keep the text if it ever gets here.
        out.push({ text: this.raw(expr), at, space });
        return;
    }
  }

  list(list: ListExpr, out: Piece[], space: boolean): void {
    out.push({ text: '[', at: list.range.start.offset, space });
    list.items.forEach((item, i) => {
      this.expr(item, out, i > 0);
      if (i < list.items.length - 1) out.push({ text: ',', at: item.range.end.offset, space: false });
    });
    out.push({ text: ']', at: list.range.end.offset - 1, space: false });
  }

  names(names: Identifier[], open: number, close: number, out: Piece[], space: boolean): void {
    out.push({ text: '[', at: open, space });
    names.forEach((name, i) => {
      out.push({ text: name.name, at: name.range.start.offset, space: i > 0 });
      if (i < names.length - 1) out.push({ text: ',', at: name.range.end.offset, space: false });
    });
    out.push({ text: ']', at: close, space: false });
  }

  record(record: RecordLiteral, out: Piece[], space: boolean): void {
    out.push({ text: '{', at: record.range.start.offset, space });
    record.entries.forEach((entry, i) => {
      out.push({ text: `${entry.key.name}:`, at: entry.key.range.start.offset, space: true });
      this.expr(entry.value, out, true);
      if (i < record.entries.length - 1) out.push({ text: ',', at: entry.value.range.end.offset, space: false });
    });
    out.push({ text: '}', at: record.range.end.offset - 1, space: record.entries.length > 0 });
  }

  bound(bound: Bound | undefined, out: Piece[]): void {
    if (!bound) return;
    if (bound.kind === 'compare') {
      out.push({ text: bound.op, at: bound.range.start.offset, space: true });
      out.push({ text: bound.value.raw, at: bound.value.range.start.offset, space: true });
    } else {
      out.push({ text: 'between', at: bound.range.start.offset, space: true });
      out.push({ text: bound.low.raw, at: bound.low.range.start.offset, space: true });
      out.push({ text: 'and', at: bound.low.range.end.offset, space: true });
      out.push({ text: bound.high.raw, at: bound.high.range.start.offset, space: true });
    }
  }

  expectation(expectation: Expectation, out: Piece[]): void {
    const at = expectation.range.start.offset;
    switch (expectation.type) {
      case 'ExpectSize':
        out.push({ text: 'size', at, space: true });
        this.bound(expectation.bound, out);
        break;
      case 'ExpectShare':
        out.push({ text: 'share(', at, space: true });
        this.expr(expectation.expr, out, false);
        out.push({ text: ')', at: expectation.expr.range.end.offset, space: false });
        this.bound(expectation.bound, out);
        break;
      case 'ExpectAggregate':
        out.push({ text: `${expectation.fn.name}(`, at, space: true });
        this.expr(expectation.arg, out, false);
        out.push({ text: ')', at: expectation.arg.range.end.offset, space: false });
        this.bound(expectation.bound, out);
        break;
      case 'ExpectDisjoint':
        out.push({ text: 'disjoint', at, space: true });
        if (expectation.segment) out.push({ text: expectation.segment.name, at: expectation.segment.range.start.offset, space: true });
        break;
      case 'ExpectOverlap':
        out.push({ text: 'overlap(', at, space: true });
        if (expectation.segment) {
          out.push({ text: expectation.segment.name, at: expectation.segment.range.start.offset, space: false });
          out.push({ text: ')', at: expectation.segment.range.end.offset, space: false });
        }
        this.bound(expectation.bound, out);
        break;
      case 'ExpectSubset':
        out.push({ text: 'subset of', at, space: true });
        if (expectation.segment) out.push({ text: expectation.segment.name, at: expectation.segment.range.start.offset, space: true });
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
    if (piece.text === '') return;
    width += (i > 0 && piece.space ? 1 : 0) + piece.text.length;
  });
  return width;
}
