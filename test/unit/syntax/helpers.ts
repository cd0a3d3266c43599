import { expect } from 'vitest';
import { parse } from '../../../server/src/core/syntax/index.js';
import type { Declaration, Expr, Range, SegmentDecl, SegspecFile } from '../../../server/src/core/syntax/index.js';

/** Parses and fails the test with the messages when the file has syntax errors. */
export function parseClean(text: string): SegspecFile {
  const file = parse(text);
  expect(file.errors.map((e) => e.message)).toEqual([]);
  return file;
}

/** The `where` expression of a one-segment file. */
export function whereOf(condition: string): Expr {
  const file = parseClean(`segment s { where ${condition} }`);
  const segment = file.declarations[0] as SegmentDecl;
  const where = segment.properties.find((p) => p.key === 'where');
  if (!where || where.key !== 'where' || !where.value) throw new Error('no where');
  return where.value;
}

/** A compact S-expression of an expression tree, for shape assertions. */
export function show(expr: Expr): string {
  switch (expr.type) {
    case 'Name':
      return expr.name;
    case 'String':
      return JSON.stringify(expr.value);
    case 'Number':
    case 'Percent':
      return expr.raw;
    case 'Boolean':
      return String(expr.value);
    case 'Date':
    case 'DateTime':
      return expr.value;
    case 'Today':
      return 'today';
    case 'Now':
      return 'now';
    case 'List':
      return `[${expr.items.map(show).join(' ')}]`;
    case 'Paren':
      return `(paren ${show(expr.expr)})`;
    case 'Not':
      return `(not ${show(expr.operand)})`;
    case 'Negate':
      return `(neg ${show(expr.operand)})`;
    case 'Logical':
    case 'Arith':
    case 'Compare':
      return `(${expr.op} ${show(expr.left)} ${show(expr.right)})`;
    case 'In':
      return `(${expr.negated ? 'not-in' : 'in'} ${show(expr.subject)} ${show(expr.list)})`;
    case 'Between':
      return `(between ${show(expr.subject)} ${show(expr.low)} ${show(expr.high)})`;
    case 'Contains':
      return `(contains-${expr.mode} ${show(expr.subject)} ${show(expr.value)})`;
    case 'Affix':
      return `(${expr.op}-with ${show(expr.subject)} ${show(expr.value)})`;
    case 'Matches':
      return `(matches ${show(expr.subject)} ${JSON.stringify(expr.pattern.value)})`;
    case 'Missing':
      return `(${expr.negated ? 'is-not-missing' : 'is-missing'} ${show(expr.subject)})`;
    case 'WithinLast':
      return `(within-last ${show(expr.subject)} ${expr.amount.raw} ${expr.unit})`;
    case 'Temporal':
      return `(${expr.op} ${show(expr.subject)} ${show(expr.value)})`;
    case 'Call':
      return `(call ${expr.callee.name} ${show(expr.arg)})`;
    case 'Ago':
      return `(ago ${expr.amount.raw} ${expr.unit})`;
    case 'RelatedField':
      return `${expr.dataset.name}.${expr.field.name}`;
    case 'Aggregate': {
      const arg = expr.field ? `${expr.dataset.name}.${expr.field.name}` : expr.dataset.name;
      const fn = expr.fn === 'percentile' ? `p${expr.percentile}` : expr.fn;
      return `(${fn} ${arg}${expr.filter ? ` where ${show(expr.filter)}` : ''})`;
    }
    case 'Error':
      return '<error>';
  }
}

export function names(file: SegspecFile): string[] {
  return file.declarations.map((d: Declaration) => `${d.type.toLowerCase()} ${d.name?.name ?? '?'}`);
}

/** Every range-like object in a tree (range, opRange, keywordRange, …). */
export function allRanges(node: unknown, out: Array<{ key: string; range: Range }> = []): Array<{ key: string; range: Range }> {
  if (Array.isArray(node)) {
    for (const item of node) allRanges(item, out);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (/range$/i.test(key) && value && typeof value === 'object' && 'start' in value) {
        out.push({ key, range: value as Range });
      } else {
        allRanges(value, out);
      }
    }
  }
  return out;
}

/** The position of an offset, computed independently of the parser. */
export function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** Problems with the ranges of a parsed file: outside the text, reversed, or inconsistent. */
export function rangeProblems(text: string, file: SegspecFile): string[] {
  const problems: string[] = [];
  const cache = new Map<number, { line: number; character: number }>();
  for (const { key, range } of allRanges(file)) {
    for (const end of [range.start, range.end]) {
      if (!(end.offset >= 0 && end.offset <= text.length)) problems.push(`${key} offset ${end.offset} outside`);
      let expected = cache.get(end.offset);
      if (!expected) {
        expected = positionOf(text, end.offset);
        cache.set(end.offset, expected);
      }
      if (expected.line !== end.line || expected.character !== end.character) {
        problems.push(`${key} at ${end.offset}: ${end.line}:${end.character} should be ${expected.line}:${expected.character}`);
      }
    }
    if (range.end.offset < range.start.offset) problems.push(`${key} reversed`);
  }
  return problems;
}
