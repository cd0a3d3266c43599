/**
 * Where the cursor is, for completion: which declaration, which property,
 * and what kind of word fits there (a keyword, a field, a value of a field,
 * a segment name, …). Works on the raw text before the cursor.
 */
import { scan, type Token } from './scan.js';

export type DeclKind = 'dataset' | 'segment' | 'persona' | 'partition';

export type Situation =
  | { kind: 'none' }
  | { kind: 'topLevel' }
  | { kind: 'property'; decl: DeclKind; continuesExpression: boolean }
  | { kind: 'segmentKind' }
  | { kind: 'datasetName' }
  | { kind: 'segmentName' }
  | { kind: 'expectation' }
  | { kind: 'operand' }
  | { kind: 'operator' }
  | { kind: 'words'; words: string[] }
  | { kind: 'value'; field: string }
  /** `declaring`: inside `fields { }`, where undeclared columns are offered with their type. */
  | { kind: 'fieldName'; declaring: boolean }
  | { kind: 'fieldType' }
  | { kind: 'recordKey' }
  | { kind: 'exampleKind' }
  /** After `R.`: a field of the dataset `R` (SPEC §11). */
  | { kind: 'relatedField'; dataset: string }
  /**
   * The first argument of an aggregate: a related dataset (`count(plays`), and for
   * `sum`/`mean`/… also a field of the segment's own dataset (a dataset-wide `p90(x)`).
   */
  | { kind: 'relatedDataset'; fn: string; alsoFields: boolean };

export interface DeclInfo {
  kind: DeclKind;
  name: string | undefined;
  /** `from X` in a segment. */
  from: string | undefined;
  /** `segment X` in a persona. */
  segment: string | undefined;
}

export interface CompletionContext {
  situation: Situation;
  decl: DeclInfo | undefined;
  /** The word (or string content) being typed, before the cursor. */
  prefix: string;
  /** Offsets of the text a completion replaces. */
  replaceStart: number;
  replaceEnd: number;
  /** True when the cursor is inside a string literal: values go in without quotes. */
  inString: boolean;
  /**
   * Inside the `where` of an aggregate (`count(plays where |`): bare names are
   * fields of this related dataset, not of the segment's (SPEC §11).
   */
  related?: string;
}

const DECL_KEYWORDS: Record<string, DeclKind> = {
  dataset: 'dataset',
  segment: 'segment',
  persona: 'persona',
  partition: 'partition',
};

export const PROPERTY_KEYWORDS: Record<DeclKind, string[]> = {
  dataset: ['source', 'table', 'key', 'as', 'unit', 'missing', 'description', 'fields'],
  segment: ['kind', 'description', 'from', 'where', 'expect', 'example', 'owner', 'tags'],
  persona: ['segment', 'quote', 'description', 'profile', 'goals', 'pains', 'jobs', 'channels'],
  partition: ['segments', 'exclusive', 'exhaustive', 'description'],
};

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const OPERAND_STARTERS = new Set(['where', 'and', 'or', 'not', 'between']);

type Item = Token | { kind: 'group'; text: string; start: number; end: number; lineStart: boolean };

interface Frame {
  type: 'decl' | 'fields' | 'record' | 'list' | 'paren';
  /** Tokens directly inside the frame; nested frames appear as one 'group' item. */
  items: Item[];
  /** The items of the parent frame before the opening bracket. */
  owner: Item[];
  decl?: DeclInfo;
  open: Token;
}

export function completionContext(text: string, offset: number): CompletionContext {
  const before = text.slice(0, offset);
  const scanned = scan(before);
  let prefix = '';
  let replaceStart = offset;
  let replaceEnd = offset;
  let inString = false;
  const tokens = scanned.tokens;
  if (scanned.openString !== undefined) {
    inString = true;
    replaceStart = scanned.openString + 1;
    prefix = before.slice(replaceStart);
    const rest = /^[^"\n]*/.exec(text.slice(offset))?.[0] ?? '';
    replaceEnd = offset + rest.length;
  } else {
    const last = tokens.at(-1);
    if (last && last.kind === 'ident' && last.end === offset) {
      tokens.pop();
      prefix = last.text;
      replaceStart = last.start;
    }
    replaceEnd = offset + (/^[A-Za-z0-9_]*/.exec(text.slice(offset))?.[0].length ?? 0);
  }
  const base = { prefix, replaceStart, replaceEnd, inString };
  if (scanned.inComment) return { ...base, situation: { kind: 'none' }, decl: undefined };

  const atLineStart = /(^|\n)[ \t]*$/.test(before.slice(0, replaceStart));
  const { stack, topLevel } = buildFrames(tokens);
  const frame = stack.at(-1);
  const decl = stack.find((f) => f.type === 'decl')?.decl;
  if (!frame) {
    const situation: Situation = topLevel.length === 0 ? { kind: 'topLevel' } : { kind: 'none' };
    return { ...base, situation, decl: undefined };
  }
  const related = relatedScope(stack);
  return { ...base, situation: inFrame(frame, decl, atLineStart, inString), decl, ...(related ? { related } : {}) };
}

/** Functions whose first argument may be a related dataset (SPEC §11). */
const AGGREGATES = new Set(['count', 'exists', 'sum', 'mean', 'median', 'min', 'max']);

function isAggregateCallee(item: Item | undefined): boolean {
  return item?.kind === 'ident' && (AGGREGATES.has(item.text) || /^p([1-9]|[1-9][0-9])$/.test(item.text));
}

/** The related dataset of the innermost aggregate whose `where` the cursor is in. */
function relatedScope(stack: Frame[]): string | undefined {
  for (let i = stack.length - 1; i >= 0; i--) {
    const frame = stack[i];
    if (frame.type !== 'paren' || !isAggregateCallee(frame.owner.at(-1))) continue;
    const whereAt = frame.items.findIndex((item) => item.kind === 'ident' && item.text === 'where');
    if (whereAt < 0) continue;
    const head = frame.items.slice(0, whereAt).filter((item) => !(item.kind === 'ident' && item.text === 'distinct'));
    if (head[0]?.kind === 'ident') return head[0].text;
  }
  return undefined;
}

function buildFrames(tokens: Token[]): { stack: Frame[]; topLevel: Item[] } {
  const stack: Frame[] = [];
  let topLevel: Item[] = [];
  const itemsOf = (): Item[] => stack.at(-1)?.items ?? topLevel;
  for (const token of tokens) {
    const items = itemsOf();
    if (token.kind === 'punct' && (token.text === '{' || token.text === '[' || token.text === '(')) {
      const owner = [...items];
      let type: Frame['type'];
      let decl: DeclInfo | undefined;
      if (token.text === '[') type = 'list';
      else if (token.text === '(') type = 'paren';
      else if (stack.length === 0) {
        type = 'decl';
        const kind = owner[0] && owner[0].kind === 'ident' ? DECL_KEYWORDS[owner[0].text] : undefined;
        decl = { kind: kind ?? 'segment', name: owner[1]?.kind === 'ident' ? owner[1].text : undefined, from: undefined, segment: undefined };
      } else if (lastIs(owner, 'fields')) type = 'fields';
      else type = 'record';
      stack.push({ type, items: [], owner, decl, open: token });
      continue;
    }
    if (token.kind === 'punct' && (token.text === '}' || token.text === ']' || token.text === ')')) {
      const closing = token.text === '}' ? ['decl', 'fields', 'record'] : token.text === ']' ? ['list'] : ['paren'];
      while (stack.length && !closing.includes(stack.at(-1)!.type)) stack.pop();
      const closed = stack.pop();
      if (closed) {
        if (closed.type === 'decl') {
          topLevel = [];
          continue;
        }
        itemsOf().push({ kind: 'group', text: closed.open.text + token.text, start: closed.open.start, end: token.end, lineStart: closed.open.lineStart });
      }
      continue;
    }
    items.push(token);
    const frame = stack.at(-1);
    if (frame?.type === 'decl' && frame.decl) {
      const prev = items.at(-2);
      if (prev?.kind === 'ident' && prev.text === 'from' && token.kind === 'ident') frame.decl.from = token.text;
      if (prev?.kind === 'ident' && prev.text === 'segment' && token.kind === 'ident' && frame.decl.kind === 'persona') frame.decl.segment = token.text;
    }
  }
  return { stack, topLevel };
}

function lastIs(items: Item[], ...words: string[]): boolean {
  if (items.length < words.length) return false;
  return words.every((w, i) => items[items.length - words.length + i].text === w);
}

/** Properties that take exactly one word or string: the next keyword after it starts a new property. */
const SINGLE_VALUE = new Set(['kind', 'from', 'owner', 'description', 'key', 'source', 'table', 'unit', 'segment', 'quote']);

/** Index of the keyword of the property the last item belongs to (-1: none yet). */
function currentProperty(items: Item[], decl: DeclKind): number {
  let current = -1;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.kind !== 'ident' || !PROPERTY_KEYWORDS[decl].includes(item.text)) continue;
    const prev = items[i - 1];
    const previousDone = current >= 0 && SINGLE_VALUE.has(items[current].text) && i - current > 1;
    if (item.lineStart || i === 0 || prev.kind === 'string' || prev.kind === 'group' || previousDone) current = i;
  }
  return current;
}

function inFrame(frame: Frame, decl: DeclInfo | undefined, atLineStart: boolean, inString: boolean): Situation {
  const items = frame.items;
  const prev = items.at(-1);
  switch (frame.type) {
    case 'decl': {
      if (!decl) return { kind: 'none' };
      const propertyIndex = currentProperty(items, decl.kind);
      const property = propertyIndex >= 0 ? items[propertyIndex].text : undefined;
      const tail = items.slice(propertyIndex + 1);
      if (!inString && (propertyIndex < 0 || atLineStart)) {
        const continuesExpression = (property === 'where' || property === 'expect') && tail.length > 0;
        return { kind: 'property', decl: decl.kind, continuesExpression };
      }
      return propertySituation(decl.kind, property, tail, inString);
    }
    case 'fields':
      if (inString) return { kind: 'none' };
      if (!prev || prev.text === '{' || atLineStart) return { kind: 'fieldName', declaring: true };
      if (prev.text === ':') return { kind: 'fieldType' };
      if (prev.text === '<') return { kind: 'words', words: ['string', 'integer'] };
      return { kind: 'none' };
    case 'record':
      if (!prev || prev.text === ',') return inString ? { kind: 'none' } : { kind: 'recordKey' };
      if (prev.text === ':' && items.at(-2)?.kind === 'ident') return { kind: 'value', field: items.at(-2)!.text };
      return { kind: 'none' };
    case 'list': {
      if (prev && prev.text !== ',') return { kind: 'none' };
      const owner = frame.owner;
      if (lastIs(owner, 'segments')) return inString ? { kind: 'none' } : { kind: 'segmentName' };
      if (lastIs(owner, 'in') || lastIs(owner, 'any') || lastIs(owner, 'all')) {
        const subject = subjectBefore(owner, ['in', 'not', 'contains', 'any', 'all']);
        return subject ? { kind: 'value', field: subject } : { kind: 'none' };
      }
      if (lastIs(owner, ':') && owner.at(-2)?.kind === 'ident') return { kind: 'value', field: owner.at(-2)!.text };
      return { kind: 'none' };
    }
    case 'paren': {
      const callee = frame.owner.at(-1);
      if (callee?.text === 'overlap') return inString ? { kind: 'none' } : { kind: 'segmentName' };
      if (!inString && isAggregateCallee(callee) && callee) {
        const first = items.length === 0 || (items.length === 1 && callee.text === 'count' && items[0].text === 'distinct');
        if (first) {
          return { kind: 'relatedDataset', fn: callee.text, alsoFields: callee.text !== 'count' && callee.text !== 'exists' };
        }
        // `count(plays |`, `sum(plays.ms_played |`: a filter may follow.
        if (items.length === 1 || (items.length >= 3 && items.at(-2)?.text === '.' && !items.some((item) => item.text === 'where'))) {
          if (items.at(-1)?.kind === 'ident') return { kind: 'words', words: ['where'] };
        }
      }
      return expressionSituation(items, inString);
    }
  }
}

function propertySituation(decl: DeclKind, property: string | undefined, tail: Item[], inString: boolean): Situation {
  const empty = tail.length === 0;
  if (decl === 'segment') {
    if (property === 'kind') return empty && !inString ? { kind: 'segmentKind' } : { kind: 'none' };
    if (property === 'from') return empty && !inString ? { kind: 'datasetName' } : { kind: 'none' };
    if (property === 'where') return expressionSituation(tail, inString);
    if (property === 'expect') return expectSituation(tail, inString);
    if (property === 'example') return empty && !inString ? { kind: 'exampleKind' } : { kind: 'none' };
    return { kind: 'none' };
  }
  if (decl === 'persona') {
    if (property === 'segment') return empty && !inString ? { kind: 'segmentName' } : { kind: 'none' };
    return { kind: 'none' };
  }
  if (decl === 'dataset') {
    if (property === 'key') return empty && !inString ? { kind: 'fieldName', declaring: false } : { kind: 'none' };
    if (property === 'as') return empty ? { kind: 'words', words: ['of'] } : { kind: 'none' };
    return { kind: 'none' };
  }
  return { kind: 'none' };
}

function expectSituation(tail: Item[], inString: boolean): Situation {
  if (inString) return { kind: 'none' };
  if (tail.length === 0) return { kind: 'expectation' };
  if (lastIs(tail, 'disjoint') || lastIs(tail, 'subset', 'of')) return { kind: 'segmentName' };
  if (lastIs(tail, 'subset')) return { kind: 'words', words: ['of'] };
  const last = tail.at(-1)!;
  if (last.kind === 'number' || last.text.endsWith('%')) return { kind: 'words', words: ['warn', 'and'] };
  if (last.kind === 'group' || lastIs(tail, 'size')) return { kind: 'words', words: ['between', '>=', '<=', '>', '<', '=='] };
  return { kind: 'none' };
}

function subjectBefore(items: Item[], skip: string[]): string | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (skip.includes(item.text)) continue;
    return item.kind === 'ident' ? item.text : undefined;
  }
  return undefined;
}

function expressionSituation(tail: Item[], inString: boolean): Situation {
  const last = tail.at(-1);
  const beforeDot = tail.at(-2);
  if (!inString && last?.kind === 'punct' && last.text === '.' && beforeDot?.kind === 'ident') {
    return { kind: 'relatedField', dataset: beforeDot.text };
  }
  if (last && last.kind === 'op' && COMPARISONS.has(last.text)) {
    const subject = tail.at(-2);
    if (subject?.kind !== 'ident') return { kind: 'none' };
    // `survey.attitude == |`: the values of the related dataset's field.
    const owner = tail.at(-3)?.text === '.' ? tail.at(-4) : undefined;
    return { kind: 'value', field: owner?.kind === 'ident' ? `${owner.text}.${subject.text}` : subject.text };
  }
  if (last && last.kind === 'ident' && ['contains', 'with', 'before', 'after'].includes(last.text)) {
    const subject = subjectBefore(tail, ['contains', 'starts', 'ends', 'with', 'before', 'after']);
    return subject ? { kind: 'value', field: subject } : { kind: 'none' };
  }
  if (inString) return { kind: 'none' };
  if (!last || (last.kind === 'ident' && OPERAND_STARTERS.has(last.text)) || (last.kind === 'op' && '+-*/'.includes(last.text))) {
    return { kind: 'operand' };
  }
  if (last.kind === 'ident' && last.text === 'is') return { kind: 'words', words: ['missing', 'not missing'] };
  if (last.kind === 'ident' && last.text === 'within') return { kind: 'words', words: ['last'] };
  if (last.kind === 'ident' && (last.text === 'starts' || last.text === 'ends')) return { kind: 'words', words: ['with'] };
  if (last.kind === 'ident' && last.text === 'contains') return { kind: 'words', words: ['any', 'all'] };
  if (last.kind === 'ident' && last.text === 'in') return { kind: 'none' };
  if (last.kind === 'number' && tail.at(-2)?.text === 'last') return { kind: 'words', words: ['days', 'weeks', 'months', 'years'] };
  return { kind: 'operator' };
}
