/**
 * Turns the chevrotain CST into the typed AST of `ast.ts`.
 *
 * The CST may be partial after error recovery: every child is looked up
 * defensively, and a missing expression becomes an `ErrorExpr` placed where
 * the expression should have been.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type {
  AggregateExpr,
  AggregateFn,
  AgoExpr,
  Bound,
  CompareOp,
  DatasetDecl,
  DatasetProperty,
  DateLiteral,
  Declaration,
  Expectation,
  Expr,
  FieldDecl,
  FlagContextEntry,
  FlagDecl,
  FlagExpectation,
  FlagProperty,
  Identifier,
  ListExpr,
  Literal,
  NumberLiteral,
  PartitionDecl,
  PartitionProperty,
  PersonaDecl,
  PersonaProperty,
  Quantity,
  Range,
  RecordEntry,
  RecordLiteral,
  RelatedRowsLiteral,
  ScalarTypeName,
  SegmentDecl,
  SegmentProperty,
  StringLiteral,
  SyntaxError,
  TimeUnit,
  TypeRef,
} from './ast.js';
import { checkDate, decodeDateTime, decodeNumber, decodeString } from './literals.js';
import { LineIndex } from './positions.js';
import { suggest as closestWords } from '../util/suggest.js';
import * as t from './tokens.js';
import { unreachable } from '../util/unreachable.js';

/** The parser's rules for a known property (`unknownProp` is handled before `property`). */
type PropertyRule =
  | 'stringProp'
  | 'nameProp'
  | 'segmentRefProp'
  | 'asOfProp'
  | 'fieldsProp'
  | 'whereProp'
  | 'expectProp'
  | 'exampleProp'
  | 'profileProp'
  | 'listProp'
  | 'flagProp'
  | 'flagKeyProp'
  | 'flagExpectProp'
  | 'flagWordProp'
  | 'belongsProp';

type DeclarationKind = 'dataset' | 'segment' | 'persona' | 'partition' | 'flag';

const scalarTypes: ScalarTypeName[] = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'datetime',
  'semver',
  'enum',
];

const compareOps = new Map<string, CompareOp>([
  ['==', '=='],
  ['!=', '!='],
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
  ['=', '=='],
  ['=>', '>='],
  ['=<', '<='],
]);

/** Property keys (AST spelling) each declaration accepts. */
const allowedKeys: Record<DeclarationKind, ReadonlySet<string>> = {
  dataset: new Set(['source', 'table', 'key', 'asOf', 'unit', 'missing', 'description', 'fields', 'belongsTo']),
  segment: new Set(['kind', 'description', 'from', 'where', 'expect', 'example', 'owner', 'tags']),
  persona: new Set(['segment', 'quote', 'description', 'profile', 'goals', 'pains', 'jobs', 'channels']),
  partition: new Set(['segments', 'exclusive', 'exhaustive', 'description']),
  flag: new Set(['system', 'source', 'key', 'for', 'context', 'expect', 'description']),
};

const article: Record<DeclarationKind, string> = {
  dataset: 'a dataset',
  segment: 'a segment',
  persona: 'a persona',
  partition: 'a partition',
  flag: 'a flag',
};

/** For a property keyword whose value could not be read at all. */
const incompleteMessages: Record<string, string> = {
  where: 'expected a condition after `where`, e.g. `where age < 25`',
  expect:
    'expected what to expect after `expect`: `size`, `share(…)`, `disjoint`, `overlap(…)`, `subset of` or an aggregate such as `mean(field)`',
  example: 'expected `member` or `nonmember` and a record after `example`, e.g. `example member { age: 30 }`',
  profile: 'expected a record after `profile`, e.g. `profile { age: 31, plan: "pro" }`',
  fields: 'expected `{` after `fields`, e.g. `fields { age: integer }`',
  as: 'expected `of` and a date after `as`, e.g. `as of 2026-06-30`',
  tags: 'expected a list after `tags`, e.g. `tags ["q3"]`',
  missing: 'expected a list of texts after `missing`, e.g. `missing ["?", "NA"]`',
  goals: 'expected a list after `goals`, e.g. `goals ["…"]`',
  pains: 'expected a list after `pains`, e.g. `pains ["…"]`',
  jobs: 'expected a list after `jobs`, e.g. `jobs ["…"]`',
  channels: 'expected a list after `channels`, e.g. `channels ["…"]`',
  segments: 'expected a list of segment names after `segments`, e.g. `segments [a, b]`',
};

function isToken(element: CstElement | undefined): element is IToken {
  return element !== undefined && 'image' in element;
}

/** A token that really is in the text (not one invented by error recovery). */
function real(token: IToken | undefined): IToken | undefined {
  if (!token || token.isInsertedInRecovery || Number.isNaN(token.startOffset)) return undefined;
  return token;
}

function tok(node: CstNode | undefined, label: string): IToken | undefined {
  const element = node?.children[label]?.[0];
  return isToken(element) ? real(element) : undefined;
}

function toks(node: CstNode | undefined, label: string): IToken[] {
  const elements = node?.children[label] ?? [];
  const result: IToken[] = [];
  for (const element of elements) {
    if (isToken(element) && real(element)) result.push(element);
  }
  return result;
}

function sub(node: CstNode | undefined, label: string): CstNode | undefined {
  const element = node?.children[label]?.[0];
  return element !== undefined && !isToken(element) ? element : undefined;
}

function subs(node: CstNode | undefined, label: string): CstNode[] {
  const elements = node?.children[label] ?? [];
  return elements.filter((element): element is CstNode => !isToken(element));
}

/** Start offset of a CST node (from chevrotain's location tracking). */
function nodeStart(node: CstNode): number | undefined {
  const start = node.location?.startOffset;
  return start !== undefined && Number.isFinite(start) ? start : undefined;
}

/** End offset (exclusive) of a CST node. */
function nodeEnd(node: CstNode): number | undefined {
  const end = node.location?.endOffset;
  return end !== undefined && Number.isFinite(end) ? end + 1 : undefined;
}

function unitOf(image: string): TimeUnit {
  return image.replace(/s$/, '') as TimeUnit;
}

export class AstBuilder {
  readonly errors: SyntaxError[] = [];

  constructor(private readonly lines: LineIndex) {}

  // ------------------------------------------------------------ ranges

  range(token: IToken): Range {
    return this.lines.range(token.startOffset, token.startOffset + token.image.length);
  }

  span(first: Range, last: Range): Range {
    return { start: first.start, end: last.end.offset >= first.start.offset ? last.end : first.end };
  }

  /** From the start of `first` to `end` (when known and not before it). */
  extend(first: Range, end: number | undefined): Range {
    if (end === undefined || end < first.end.offset) return first;
    return { start: first.start, end: this.lines.position(end) };
  }

  /** An empty range right after a token: where something is missing. */
  after(token: IToken): Range {
    const end = token.startOffset + token.image.length;
    return this.lines.range(end, end);
  }

  /** Errors that yield to a parser error at the same place (the parser knows more there). */
  readonly minorErrors: SyntaxError[] = [];

  report(message: string, range: Range, suggestions?: string[], minor = false): void {
    const error: SyntaxError = { message, range };
    if (suggestions && suggestions.length > 0) error.suggestions = suggestions;
    (minor ? this.minorErrors : this.errors).push(error);
  }

  // ------------------------------------------------------------ declarations

  declarations(file: CstNode): Declaration[] {
    const result: Declaration[] = [];
    for (const node of subs(file, 'datasetDecl')) result.push(this.dataset(node));
    for (const node of subs(file, 'segmentDecl')) result.push(this.segment(node));
    for (const node of subs(file, 'personaDecl')) result.push(this.persona(node));
    for (const node of subs(file, 'partitionDecl')) result.push(this.partition(node));
    for (const node of subs(file, 'flagDecl')) result.push(this.flag(node));
    return result.sort((a, b) => a.range.start.offset - b.range.start.offset);
  }

  private head(node: CstNode, kind: DeclarationKind) {
    const keyword = tok(node, 'keyword');
    const keywordRange = keyword ? this.range(keyword) : this.lines.range(0, 0);
    const nameToken = tok(node, 'name');
    const titleToken = tok(node, 'title');
    const name = nameToken ? this.identifier(nameToken) : undefined;
    if (!nameToken && keyword) {
      this.report(`expected a name after \`${kind}\`, e.g. \`${kind} my_${kind} { … }\``, this.range(keyword));
    }
    const title = titleToken ? this.string(titleToken) : undefined;
    const range = this.extend(keywordRange, nodeEnd(node));
    return { name, title, keywordRange, range };
  }

  /** All property nodes of a declaration body, in source order. */
  private propertyNodes(node: CstNode): CstNode[] {
    const names = [
      'stringProp',
      'nameProp',
      'segmentRefProp',
      'asOfProp',
      'fieldsProp',
      'whereProp',
      'expectProp',
      'exampleProp',
      'profileProp',
      'listProp',
      'flagProp',
      'flagKeyProp',
      'flagExpectProp',
      'flagWordProp',
      'belongsProp',
      'unknownProp',
    ];
    const nodes: Array<{ node: CstNode; offset: number }> = [];
    for (const name of names) {
      for (const child of subs(node, name)) {
        const offset = nodeStart(child);
        if (offset !== undefined) nodes.push({ node: child, offset });
      }
    }
    return nodes.sort((a, b) => a.offset - b.offset).map((entry) => entry.node);
  }

  private properties(node: CstNode, kind: DeclarationKind): AnyProperty[] {
    const result: AnyProperty[] = [];
    for (const child of this.propertyNodes(node)) {
      if (child.name === 'unknownProp') {
        this.unknownProperty(child, kind);
        continue;
      }
      const property = this.property(child);
      if (!property) continue;
      if (!allowedKeys[kind].has(property.key)) {
        const word = property.key === 'asOf' ? 'as of' : property.key;
        this.report(`\`${word}\` is not a property of ${article[kind]}`, property.keywordRange);
        continue;
      }
      result.push(property);
    }
    return result;
  }

  private unknownProperty(node: CstNode, kind: DeclarationKind): void {
    const keyword = tok(node, 'keyword');
    if (!keyword) return;
    const word = keyword.image;
    const range = this.range(keyword);
    const incomplete = allowedKeys[kind].has(word === 'as' ? 'asOf' : word) ? incompleteMessages[word] : undefined;
    if (incomplete) {
      this.report(incomplete, range, undefined, true);
      return;
    }
    const known = Object.values(t.propertyWords).some((words) => (words as readonly string[]).includes(word));
    if (known || word === 'as' || word === 'belongs') {
      const shown = word === 'as' ? 'as of' : word === 'belongs' ? 'belongs to' : word;
      this.report(`\`${shown}\` is not a property of ${article[kind]}`, range, undefined, true);
      return;
    }
    const candidates = t.propertyWords[kind];
    const suggestions = closestWords(word, candidates);
    const hint = suggestions.length > 0 ? ` — did you mean \`${suggestions[0]}\`?` : '';
    const list = candidates.map((candidate) => `\`${candidate}\``).join(', ');
    this.report(
      `unknown property \`${word}\` in ${kind}${hint}${hint ? '' : ` (properties: ${list})`}`,
      range,
      suggestions,
      true,
    );
  }

  private dataset(node: CstNode): DatasetDecl {
    const head = this.head(node, 'dataset');
    return { type: 'Dataset', ...head, properties: this.properties(node, 'dataset') as DatasetProperty[] };
  }

  private segment(node: CstNode): SegmentDecl {
    const head = this.head(node, 'segment');
    return { type: 'Segment', ...head, properties: this.properties(node, 'segment') as SegmentProperty[] };
  }

  private persona(node: CstNode): PersonaDecl {
    const head = this.head(node, 'persona');
    return { type: 'Persona', ...head, properties: this.properties(node, 'persona') as PersonaProperty[] };
  }

  private partition(node: CstNode): PartitionDecl {
    const head = this.head(node, 'partition');
    return {
      type: 'Partition',
      ...head,
      properties: this.properties(node, 'partition') as PartitionProperty[],
    };
  }

  private flag(node: CstNode): FlagDecl {
    const head = this.head(node, 'flag');
    return { type: 'Flag', ...head, properties: this.properties(node, 'flag') as FlagProperty[] };
  }

  // ------------------------------------------------------------ properties

  private property(node: CstNode): AnyProperty | undefined {
    const keyword = tok(node, 'keyword');
    if (!keyword) return undefined;
    // `as of` is one keyword in two words.
    const second = tok(node, 'keyword2');
    const keywordRange = second ? this.span(this.range(keyword), this.range(second)) : this.range(keyword);
    const range = this.extend(keywordRange, nodeEnd(node));
    const base = { range, keywordRange };
    const word = keyword.image;
    const rule = node.name as PropertyRule;
    switch (rule) {
      case 'stringProp': {
        const value = tok(node, 'value');
        if (!value) this.report(`expected a text in quotes after \`${word}\``, keywordRange);
        return { ...base, key: word as 'source', value: value ? this.string(value) : undefined };
      }
      case 'nameProp':
      case 'segmentRefProp': {
        const value = tok(node, 'value');
        if (!value) this.report(this.missingNameMessage(word), keywordRange);
        return { ...base, key: word as 'key', value: value ? this.identifier(value) : undefined };
      }
      case 'asOfProp':
        return { ...base, key: 'asOf', value: this.asOfValue(node, tok(node, 'keyword2') ?? keyword) };
      case 'fieldsProp':
        return { ...base, key: 'fields', fields: subs(node, 'fieldDecl').map((field) => this.field(field)) };
      case 'whereProp':
        return { ...base, key: 'where', value: this.expr(sub(node, 'value'), this.after(keyword)) };
      case 'expectProp':
        return { ...base, key: 'expect', value: this.expectation(node, keyword) };
      case 'exampleProp': {
        const which = tok(node, 'which');
        const record = sub(node, 'value');
        if (!which) {
          this.report('say whether the example is a `member` or a `nonmember`: `example member { … }`', keywordRange);
        } else if (which.tokenType !== t.Member && which.tokenType !== t.Nonmember) {
          const suggestions = closestWords(which.image, ['member', 'nonmember']);
          const hint = suggestions.length > 0 ? ` — did you mean \`${suggestions[0]}\`?` : '';
          this.report(`expected \`member\` or \`nonmember\` after \`example\`, found \`${which.image}\`${hint}`, this.range(which), suggestions);
        }
        return {
          ...base,
          key: 'example',
          member: which?.tokenType !== t.Nonmember,
          value: record ? this.record(record) : undefined,
        };
      }
      case 'profileProp': {
        const record = sub(node, 'value');
        return { ...base, key: 'profile', value: record ? this.record(record) : undefined };
      }
      case 'listProp': {
        const listNode = sub(node, 'value');
        const list = listNode ? this.list(listNode) : undefined;
        if (word === 'segments') return { ...base, key: 'segments', value: this.segmentNames(list) };
        if (word === 'missing') return { ...base, key: 'missing', value: list };
        return { ...base, key: word as 'tags', value: list };
      }
      case 'flagProp':
        return { ...base, key: word as 'exclusive' };
      case 'flagKeyProp': {
        const value = tok(node, 'value');
        if (!value) this.report('expected the flag\'s key in quotes after `key`, e.g. `key "smart-reschedule"`', keywordRange);
        return { ...base, key: 'key', value: value ? this.string(value) : undefined } as FlagProperty;
      }
      case 'flagExpectProp':
        return { ...base, key: 'expect', value: this.flagExpectation(node, keywordRange) } as FlagProperty;
      case 'flagWordProp':
        // The parser takes this rule only for a flag word (its gate).
        return t.isFlagWord(word) ? this.flagWordProperty(node, word, base) : undefined;
      case 'belongsProp':
        return { ...base, key: 'belongsTo', ...this.belongsTo(node, keyword) };
      default:
        return unreachable(rule);
    }
  }

  private flagExpectation(node: CstNode, keywordRange: Range): FlagExpectation | undefined {
    const form = tok(node, 'form');
    if (!form || (form.image !== 'reach' && form.image !== 'leak')) {
      const suggestions = form ? closestWords(form.image, ['reach', 'leak']) : [];
      const hint = suggestions.length > 0 ? ` — did you mean \`${suggestions[0]}\`?` : '';
      const at = form ? this.range(form) : keywordRange;
      this.report(`a flag expects its \`reach\` or its \`leak\`, e.g. \`expect reach >= 95%\` or \`expect leak == 0\`${hint}`, at, suggestions);
      return undefined;
    }
    const boundNode = sub(node, 'bound');
    const bound = boundNode ? this.bound(boundNode) : undefined;
    const range = this.extend(this.range(form), nodeEnd(node));
    if (!boundNode) this.report(`expected a bound after \`${form.image}\`, e.g. \`>= 95%\` or \`== 0\``, range);
    return { type: form.image === 'reach' ? 'ExpectReach' : 'ExpectLeak', bound, warn: tok(node, 'warn') !== undefined, range };
  }

  private flagWordProperty(node: CstNode, word: t.FlagWord, base: { range: Range; keywordRange: Range }): FlagProperty {
    const value = tok(node, 'value');
    const listNode = sub(node, 'list');
    const mapNode = sub(node, 'map');
    switch (word) {
      case 'system':
        if (!value) this.report('expected the flag system after `system`: growthbook, unleash, flagd, launchdarkly or posthog', base.keywordRange);
        return { ...base, key: 'system', value: value ? this.identifier(value) : undefined };
      case 'for': {
        const segments = value ? [this.identifier(value)] : listNode ? this.segmentNames(this.list(listNode)) : [];
        if (!value && !listNode) this.report('expected the segment the flag is for after `for`, e.g. `for students` or `for [students, teachers]`', base.keywordRange);
        return { ...base, key: 'for', value: segments };
      }
      case 'context': {
        if (!mapNode) this.report('expected `{ attribute: field, … }` after `context`, e.g. `context { id: user_id, planTier: plan }`', base.keywordRange);
        return { ...base, key: 'context', entries: mapNode ? this.contextEntries(mapNode) : [] };
      }
      default:
        return unreachable(word);
    }
  }

  private contextEntries(node: CstNode): FlagContextEntry[] {
    const entries: FlagContextEntry[] = [];
    for (const entry of subs(node, 'contextEntry')) {
      const attributeToken = tok(entry, 'attribute');
      if (!attributeToken) continue;
      const attribute = this.identifier(attributeToken);
      const fieldToken = tok(entry, 'field');
      const colon = tok(entry, 'Colon');
      if (colon && !fieldToken) this.report(`expected the field that \`${attribute.name}\` is read from after \`:\``, this.range(colon));
      const field = fieldToken ? this.identifier(fieldToken) : undefined;
      entries.push({ attribute, field, range: field ? this.span(attribute.range, field.range) : attribute.range });
    }
    return entries;
  }

  private missingNameMessage(word: string): string {
    switch (word) {
      case 'kind':
        return 'expected a kind after `kind`: demographic, geographic, behavioral, psychographic, technographic, needs or value';
      case 'from':
        return 'expected a dataset name after `from`';
      case 'key':
        return 'expected a field name after `key`';
      default:
        return `expected a segment name after \`${word}\``;
    }
  }

  /** `belongs to PARENT by FIELD`: each part left out is reported where it should be. */
  private belongsTo(node: CstNode, keyword: IToken): { parent: Identifier | undefined; by: Identifier | undefined } {
    const wrongTo = tok(node, 'wrongTo');
    if (wrongTo) this.report(`write \`belongs to\`, not \`belongs ${wrongTo.image}\``, this.range(wrongTo), ['to']);
    const to = tok(node, 'to') ?? wrongTo;
    const parentToken = tok(node, 'parent');
    const by = tok(node, 'by');
    const fieldToken = tok(node, 'field');
    const example = '`belongs to users by user_id`';
    if (!to) {
      const at = parentToken ? this.range(parentToken) : this.after(keyword);
      this.report(`write \`belongs to\` followed by the parent dataset and the link field, e.g. ${example}`, at, parentToken ? undefined : ['belongs to']);
    } else if (!parentToken) {
      this.report(`expected the parent dataset after \`belongs to\`, e.g. ${example}`, this.after(to));
    }
    if (!by) {
      const last = parentToken ?? to ?? keyword;
      this.report(`expected \`by\` and the field that names the parent row, e.g. ${example}`, this.after(last));
    } else if (!fieldToken) {
      this.report(`expected the link field after \`by\`, e.g. ${example}`, this.after(by));
    }
    return {
      parent: parentToken ? this.identifier(parentToken) : undefined,
      by: fieldToken ? this.identifier(fieldToken) : undefined,
    };
  }

  private asOfValue(node: CstNode, before: IToken): DateLiteral | undefined {
    const value = tok(node, 'value');
    if (!value) {
      this.report('expected a date after `as of`, e.g. `as of 2026-06-30`', this.range(before));
      return undefined;
    }
    if (value.tokenType !== t.DateLiteral) {
      this.report('`as of` takes a date without a time, e.g. `as of 2026-06-30`', this.range(value));
      return undefined;
    }
    return this.literal(value) as DateLiteral;
  }

  private segmentNames(list: ListExpr | undefined): Identifier[] {
    const names: Identifier[] = [];
    for (const item of list?.items ?? []) {
      if (item.type === 'Name') names.push({ type: 'Identifier', name: item.name, range: item.range });
      else if (item.type !== 'Error') this.report('expected a segment name', item.range);
    }
    return names;
  }

  private field(node: CstNode): FieldDecl {
    const nameToken = tok(node, 'name');
    const name: Identifier = nameToken
      ? this.identifier(nameToken)
      : { type: 'Identifier', name: '', range: this.lines.range(0, 0) };
    const typeToken = tok(node, 'typeName');
    const range = this.extend(name.range, nodeEnd(node));
    if (!typeToken) return { type: 'Field', name, fieldType: undefined, range };
    const typeRange = this.extend(this.range(typeToken), nodeEnd(node));
    const optional = tok(node, 'optional') !== undefined;
    const typeName = typeToken.image;
    const fieldType: TypeRef = { type: 'TypeRef', name: 'string', optional, range: typeRange };
    const enumTokens = toks(node, 'enumValue');
    const hasParens = tok(node, 'LParen') !== undefined;
    const element = tok(node, 'elementType');
    if (typeName === 'list') {
      fieldType.name = 'list';
      if (element?.image === 'string' || element?.image === 'integer') fieldType.element = element.image;
      else if (element) this.report(`lists hold \`string\` or \`integer\`, not \`${element.image}\``, this.range(element));
      else this.report('say what the list holds: `list<string>` or `list<integer>`', this.range(typeToken));
    } else if ((scalarTypes as string[]).includes(typeName)) {
      fieldType.name = typeName as ScalarTypeName;
      if (element) this.report(`only \`list\` takes \`<…>\`, not \`${typeName}\``, this.range(element));
    } else {
      fieldType.unknownName = typeName;
      const suggestions = closestWords(typeName, [...scalarTypes, 'list']);
      const hint = suggestions.length > 0 ? ` — did you mean \`${suggestions[0]}\`?` : '';
      this.report(
        `unknown type \`${typeName}\`${hint} (types: ${scalarTypes.join(', ')}, list<string>, list<integer>)`,
        this.range(typeToken),
        suggestions,
      );
    }
    if (hasParens) {
      if (fieldType.name === 'enum') fieldType.enumValues = enumTokens.map((token) => this.string(token));
      else this.report(`only \`enum\` takes a list of values in \`( )\``, this.range(typeToken));
    }
    return { type: 'Field', name, fieldType, range };
  }

  private expectation(node: CstNode, keyword: IToken): Expectation | undefined {
    const form = tok(node, 'form');
    if (!form) return undefined;
    const warn = tok(node, 'warn') !== undefined;
    const range = this.extend(this.range(form), nodeEnd(node));
    const boundNode = sub(node, 'bound');
    const bound = boundNode ? this.bound(boundNode) : undefined;
    const segmentToken = tok(node, 'segment');
    const segment = segmentToken ? this.identifier(segmentToken) : undefined;
    const afterForm = this.after(form);
    const needsBound = form.tokenType !== t.Disjoint && form.tokenType !== t.Subset;
    if (needsBound && !boundNode) {
      const what = form.tokenType === t.Size ? '`size`' : `\`${form.image}(…)\``;
      this.report(`expected a bound after ${what}, e.g. \`>= 5%\` or \`between 8% and 20%\``, range);
    }
    switch (form.tokenType) {
      case t.Size:
        return { type: 'ExpectSize', bound, warn, range };
      case t.Share:
        return { type: 'ExpectShare', expr: this.expr(sub(node, 'arg'), afterForm), bound, warn, range };
      case t.Disjoint:
        if (!segment) this.report('expected a segment name after `disjoint`', this.range(form));
        return { type: 'ExpectDisjoint', segment, warn, range };
      case t.Overlap:
        return { type: 'ExpectOverlap', segment, bound, warn, range };
      case t.Subset:
        if (!tok(node, 'of')) this.report('write `subset of` followed by a segment name', this.range(form));
        else if (!segment) this.report('expected a segment name after `subset of`', this.range(tok(node, 'of') ?? form));
        return { type: 'ExpectSubset', segment, warn, range };
      default:
        void keyword;
        return {
          type: 'ExpectAggregate',
          fn: this.identifier(form),
          arg: this.expr(sub(node, 'arg'), afterForm),
          bound,
          warn,
          range,
        };
    }
  }

  private bound(node: CstNode): Bound | undefined {
    const op = tok(node, 'op');
    const between = tok(node, 'between');
    const first = op ?? between;
    if (!first) return undefined;
    const range = this.extend(this.range(first), nodeEnd(node));
    if (op) {
      const value = this.quantity(sub(node, 'value'));
      if (!value) return undefined;
      this.checkSingleEquals(op);
      return { kind: 'compare', op: compareOps.get(op.image) ?? '==', value, range };
    }
    const low = this.quantity(sub(node, 'low'));
    const high = this.quantity(sub(node, 'high'));
    if (!low || !high) return undefined;
    this.checkBetweenAnd(node, low.range, high.range);
    return { kind: 'between', low, high, range };
  }

  /** `between 18 to 29`: one error at `to`, with the fix. */
  private checkBetweenAnd(node: CstNode, low: Range, high: Range): void {
    const wrong = tok(node, 'wrongAnd');
    if (!wrong) return;
    const fixed = `between ${this.lines.slice(low.start.offset, low.end.offset)} and ${this.lines.slice(high.start.offset, high.end.offset)}`;
    this.report(`\`between\` takes \`and\`, not \`${wrong.image}\`: write \`${fixed}\``, this.range(wrong), ['and']);
  }

  private quantity(node: CstNode | undefined): Quantity | undefined {
    const value = tok(node, 'value');
    if (!value) return undefined;
    const literal = this.literal(value) as Quantity;
    const minus = tok(node, 'minus');
    return minus ? this.negateLiteral(literal, minus) : literal;
  }

  private record(node: CstNode): RecordLiteral {
    const start = nodeStart(node) ?? 0;
    const range = this.lines.range(start, nodeEnd(node) ?? start);
    const entries: RecordEntry[] = [];
    for (const entry of subs(node, 'recordEntry')) {
      const key = tok(entry, 'key');
      if (!key) continue;
      const keyRange = this.range(key);
      const rows = subs(entry, 'row');
      const value: Expr | RelatedRowsLiteral =
        rows.length > 0
          ? this.relatedRows(entry, rows)
          : this.expr(sub(entry, 'value'), this.after(tok(entry, 'Colon') ?? key));
      entries.push({ key: this.identifier(key), value, range: this.span(keyRange, value.range) });
    }
    return { type: 'Record', entries, range };
  }

  /** `survey: { … }` or `plays: [{ … }, …]`: related rows nested in a record. */
  private relatedRows(entry: CstNode, rowNodes: CstNode[]): RelatedRowsLiteral {
    const rows = rowNodes.map((row) => this.record(row));
    const open = tok(entry, 'rowsOpen');
    if (!open) return { type: 'RelatedRows', many: false, rows, range: rows[0].range };
    const start = this.range(open);
    const close = tok(entry, 'RBracket');
    const end = close ? this.range(close) : rows[rows.length - 1].range;
    return { type: 'RelatedRows', many: true, rows, range: this.span(start, end) };
  }

  // ------------------------------------------------------------ expressions

  private errorExpr(at: Range): Expr {
    return { type: 'Error', range: at };
  }

  /** A whole expression; `missing` is where it should have been. */
  expr(node: CstNode | undefined, missing: Range): Expr {
    if (!node) return this.errorExpr(missing);
    return this.foldTwoLevels(
      node,
      missing,
      (child, at) => this.predicate(child, at),
      (op) => op.tokenType === t.And,
      (left, op, right) => ({
        type: 'Logical',
        op: op.tokenType === t.And ? 'and' : 'or',
        left,
        right,
        opRange: this.range(op),
        range: this.span(left.range, right.range),
      }),
    );
  }

  /**
   * Folds `operand (op operand)*` with two precedence levels, left to right
   * within each: `tight` ops (`and`, `*`, `/`) bind before the others.
   */
  private foldTwoLevels(
    node: CstNode,
    missing: Range,
    operand: (child: CstNode | undefined, at: Range) => Expr,
    tight: (op: IToken) => boolean,
    combine: (left: Expr, op: IToken, right: Expr) => Expr,
  ): Expr {
    const operands = subs(node, 'operand');
    const ops = toks(node, 'op');
    const loose: Array<{ op: IToken; expr: Expr }> = [];
    let current = operand(operands[0], missing);
    for (let i = 0; i < ops.length; i++) {
      const right = operand(operands[i + 1], this.after(ops[i]));
      if (tight(ops[i])) {
        current = combine(current, ops[i], right);
      } else {
        loose.push({ op: ops[i], expr: current });
        current = right;
      }
    }
    if (loose.length === 0) return current;
    let result = loose[0].expr;
    for (let i = 1; i <= loose.length; i++) {
      const right = i < loose.length ? loose[i].expr : current;
      result = combine(result, loose[i - 1].op, right);
    }
    return result;
  }

  /** `not`* then the predicate: `not` binds looser than any predicate. */
  private predicate(node: CstNode | undefined, missing: Range): Expr {
    if (!node) return this.errorExpr(missing);
    const negations = toks(node, 'negation');
    const last = negations[negations.length - 1];
    let result = this.barePredicate(node, last ? this.after(last) : missing);
    for (let i = negations.length - 1; i >= 0; i--) {
      result = { type: 'Not', operand: result, range: this.span(this.range(negations[i]), result.range) };
    }
    return result;
  }

  private barePredicate(node: CstNode, missing: Range): Expr {
    const subject = this.arith(sub(node, 'subject'), missing);
    const op = tok(node, 'op');
    if (!op) return subject;
    const afterOp = this.after(op);
    const to = (end: Range): Range => this.span(subject.range, end);
    const opRange = this.range(op);
    const categories = op.tokenType.CATEGORIES ?? [];
    if (categories.includes(t.CompareOperator)) {
      this.checkSingleEquals(op);
      const right = this.arith(sub(node, 'value'), afterOp);
      return {
        type: 'Compare',
        op: compareOps.get(op.image) ?? '==',
        left: subject,
        right,
        opRange,
        range: to(right.range),
      };
    }
    switch (op.tokenType) {
      case t.In: {
        const listNode = sub(node, 'list');
        const list: ListExpr = listNode ? this.list(listNode) : { type: 'List', items: [], range: afterOp };
        return { type: 'In', negated: tok(node, 'not') !== undefined, subject, list, range: to(list.range) };
      }
      case t.Between: {
        const low = this.arith(sub(node, 'low'), afterOp);
        const and = tok(node, 'and') ?? tok(node, 'wrongAnd');
        const high = this.arith(sub(node, 'high'), and ? this.after(and) : low.range);
        this.checkBetweenAnd(node, low.range, high.range);
        return { type: 'Between', subject, low, high, range: to(high.range) };
      }
      case t.Contains: {
        const mode = tok(node, 'mode');
        const value = this.arith(sub(node, 'value'), mode ? this.after(mode) : afterOp);
        const which = mode?.tokenType === t.Any ? 'any' : mode?.tokenType === t.All ? 'all' : 'one';
        return { type: 'Contains', mode: which, subject, value, range: to(value.range) };
      }
      case t.Starts:
      case t.Ends: {
        const with_ = tok(node, 'with');
        const value = this.arith(sub(node, 'value'), with_ ? this.after(with_) : afterOp);
        const affix = op.tokenType === t.Starts ? 'starts' : 'ends';
        return { type: 'Affix', op: affix, subject, value, range: to(value.range) };
      }
      case t.Matches: {
        const patternToken = tok(node, 'pattern');
        const pattern = patternToken ? this.string(patternToken) : { type: 'String' as const, value: '', range: afterOp };
        return { type: 'Matches', subject, pattern, range: to(pattern.range) };
      }
      case t.Is: {
        const end = tok(node, 'missing') ?? tok(node, 'not') ?? op;
        return {
          type: 'Missing',
          negated: tok(node, 'not') !== undefined,
          subject,
          range: to(this.range(end)),
        };
      }
      case t.Within: {
        const amountToken = tok(node, 'amount');
        const unitToken = tok(node, 'unit');
        const last = unitToken ?? amountToken ?? tok(node, 'last') ?? op;
        const amount: NumberLiteral = amountToken
          ? (this.literal(amountToken) as NumberLiteral)
          : { type: 'Number', value: NaN, raw: '', range: this.after(last) };
        return {
          type: 'WithinLast',
          subject,
          amount,
          unit: unitToken ? unitOf(unitToken.image) : 'day',
          range: to(this.range(last)),
        };
      }
      case t.Before:
      case t.After: {
        const value = this.arith(sub(node, 'value'), afterOp);
        const temporal = op.tokenType === t.Before ? 'before' : 'after';
        return { type: 'Temporal', op: temporal, subject, value, range: to(value.range) };
      }
      default:
        return subject;
    }
  }

  private arith(node: CstNode | undefined, missing: Range): Expr {
    if (!node) return this.errorExpr(missing);
    return this.foldTwoLevels(
      node,
      missing,
      (child, at) => this.operand(child, at),
      (op) => op.tokenType === t.Star || op.tokenType === t.Slash,
      (left, op, right) => ({
        type: 'Arith',
        op: op.image as '+' | '-' | '*' | '/',
        left,
        right,
        opRange: this.range(op),
        range: this.span(left.range, right.range),
      }),
    );
  }

  private operand(node: CstNode | undefined, missing: Range): Expr {
    if (!node) return this.errorExpr(missing);
    const minuses = toks(node, 'minus');
    const lastMinus = minuses[minuses.length - 1];
    let result = this.primary(node, lastMinus ? this.after(lastMinus) : missing);
    for (let i = minuses.length - 1; i >= 0; i--) {
      const minus = minuses[i];
      if (result.type === 'Number' || result.type === 'Percent') {
        result = this.negateLiteral(result, minus);
      } else {
        result = { type: 'Negate', operand: result, range: this.span(this.range(minus), result.range) };
      }
    }
    return result;
  }

  /** `-3` is a number literal (SPEC §3), not a negation. */
  private negateLiteral(literal: Quantity, minus: IToken): Quantity {
    const value = literal.value === 0 ? 0 : -literal.value;
    const raw = literal.raw.startsWith('-') ? literal.raw.slice(1) : `-${literal.raw}`;
    return { ...literal, value, raw, range: this.span(this.range(minus), literal.range) };
  }

  private primary(node: CstNode, missing: Range): Expr {
    const literal = tok(node, 'literal');
    if (literal) return this.literal(literal);
    const name = tok(node, 'name');
    if (name) return { type: 'Name', name: name.image, range: this.range(name) };
    const related = tok(node, 'related');
    if (related) return this.relatedField(node, related);
    const callee = tok(node, 'callee');
    if (callee) return this.call(node, callee);
    const amount = tok(node, 'amount');
    if (amount) {
      const unit = tok(node, 'unit');
      const last = tok(node, 'ago') ?? unit ?? amount;
      const ago: AgoExpr = {
        type: 'Ago',
        amount: this.literal(amount) as NumberLiteral,
        unit: unit ? unitOf(unit.image) : 'day',
        range: this.span(this.range(amount), this.range(last)),
      };
      return ago;
    }
    const paren = tok(node, 'paren');
    if (paren) {
      const inner = this.expr(sub(node, 'inner'), this.after(paren));
      const close = toks(node, 'RParen')[0];
      const end = close ? this.range(close) : inner.range;
      return { type: 'Paren', expr: inner, range: this.span(this.range(paren), end) };
    }
    const list = sub(node, 'list');
    if (list) return this.list(list);
    return this.errorExpr(missing);
  }

  /** `survey.nps`; `survey.` with nothing after it is reported and read as an error. */
  private relatedField(node: CstNode, related: IToken): Expr {
    const field = tok(node, 'relatedField');
    const dot = tok(node, 'dot') ?? related;
    if (!field) {
      this.report(`expected a field of \`${related.image}\` after \`${related.image}.\``, this.span(this.range(related), this.range(dot)));
      return this.errorExpr(this.span(this.range(related), this.range(dot)));
    }
    return {
      type: 'RelatedField',
      dataset: this.identifier(related),
      field: this.identifier(field),
      range: this.span(this.range(related), this.range(field)),
    };
  }

  /**
   * `lower(x)`, `p90(x)`: a `Call`; `count(…)`, `exists(…)` and the other
   * aggregates over a dotted `R.f`: an `Aggregate` over related rows (SPEC §11).
   */
  private call(node: CstNode, callee: IToken): Expr {
    const open = tok(node, 'LParen');
    const distinct = tok(node, 'distinct') ?? (closestWords(tok(node, 'wrongDistinct')?.image ?? '', ['distinct']).length > 0 ? tok(node, 'wrongDistinct') : undefined);
    const arg = this.expr(sub(node, 'arg'), distinct ? this.after(distinct) : this.after(open ?? callee));
    const where = tok(node, 'where');
    if (where && where.tokenType !== t.Where) this.report(`unknown word \`${where.image}\` — did you mean \`where\`?`, this.range(where), ['where']);
    const wrongDistinct = tok(node, 'wrongDistinct');
    if (wrongDistinct) {
      const close = closestWords(wrongDistinct.image, ['distinct']).length > 0;
      this.report(
        close
          ? `unknown word \`${wrongDistinct.image}\` — did you mean \`distinct\`?`
          : `unexpected \`${wrongDistinct.image}\`: write \`count(distinct R.field)\` or \`${callee.image}(R.field)\``,
        this.range(wrongDistinct),
        close ? ['distinct'] : undefined,
      );
    }
    const filter = where ? this.expr(sub(node, 'filter'), this.after(where)) : undefined;
    const close = tok(node, 'RParen');
    const range = this.span(this.range(callee), close ? this.range(close) : (filter ?? arg).range);
    const name = callee.image;
    const fn = aggregateFn(name, distinct !== undefined);
    const isRelated = arg.type === 'RelatedField';
    if (fn && (name === 'count' || name === 'exists' || isRelated)) {
      return this.aggregate(callee, fn, arg, filter, range, distinct);
    }
    if (distinct) this.report(`\`distinct\` belongs in \`count(distinct R.field)\` only`, this.range(distinct));
    if (where) {
      const hint = fn ? `: write \`${name}(R.field where …)\` over a related dataset R` : '';
      this.report(`\`where\` inside \`${name}(…)\` filters the rows of a related dataset${hint}`, this.range(where));
    }
    return { type: 'Call', callee: this.identifier(callee), arg, range };
  }

  private aggregate(
    callee: IToken,
    fn: AggregateFn,
    arg: Expr,
    filter: Expr | undefined,
    range: Range,
    distinct: IToken | undefined,
  ): Expr {
    const name = callee.image;
    const calleeId = this.identifier(callee);
    let dataset: Identifier | undefined;
    let field: Identifier | undefined;
    if (arg.type === 'RelatedField') {
      dataset = arg.dataset;
      field = arg.field;
    } else if (arg.type === 'Name') {
      dataset = { type: 'Identifier', name: arg.name, range: arg.range };
    }
    if (!dataset) {
      if (arg.type !== 'Error') {
        const shape = fn === 'exists' ? `exists(R where …)` : fn === 'count' ? `count(R where …)` : `${name}(R.field)`;
        this.report(`\`${name}\` here takes a related dataset: write \`${shape}\``, arg.range);
      }
      return this.errorExpr(range);
    }
    const needsField = fn !== 'count' && fn !== 'exists';
    if (needsField && !field) {
      const hint = fn === 'countDistinct' ? `count(distinct ${dataset.name}.FIELD)` : `${name}(${dataset.name}.FIELD)`;
      this.report(`say which field of \`${dataset.name}\` to aggregate: \`${hint}\``, arg.range);
      return this.errorExpr(range);
    }
    if (!needsField && field) {
      const message =
        fn === 'count'
          ? `\`count\` counts rows: write \`count(${dataset.name})\`, or \`count(distinct ${dataset.name}.${field.name})\` for the distinct values`
          : `\`exists\` tests for rows: write \`exists(${dataset.name} where ${field.name} is not missing)\``;
      const suggestion = fn === 'count' ? `distinct ${dataset.name}.${field.name}` : undefined;
      this.report(message, arg.range, suggestion ? [suggestion] : undefined);
      return this.errorExpr(range);
    }
    const result: AggregateExpr = { type: 'Aggregate', fn, callee: calleeId, dataset, field: needsField ? field : undefined, filter, range };
    if (fn === 'percentile') {
      const percentile = Number(name.slice(1));
      if (!(percentile >= 1 && percentile <= 99)) {
        this.report(`percentiles go from \`p1\` to \`p99\`, not \`${name}\``, calleeId.range);
      }
      result.percentile = percentile;
    }
    void distinct;
    return result;
  }

  list(node: CstNode): ListExpr {
    const open = tok(node, 'LBracket');
    const openRange = open ? this.range(open) : this.lines.range(0, 0);
    const items: Expr[] = [];
    const commas = toks(node, 'Comma');
    const itemNodes = subs(node, 'item');
    itemNodes.forEach((item, i) => {
      const before = i === 0 ? open : commas[i - 1];
      items.push(this.expr(item, before ? this.after(before) : openRange));
    });
    return { type: 'List', items, range: this.extend(openRange, nodeEnd(node)) };
  }

  // ------------------------------------------------------------ leaves

  identifier(token: IToken): Identifier {
    return { type: 'Identifier', name: token.image, range: this.range(token) };
  }

  string(token: IToken): StringLiteral {
    if (token.tokenType === t.SingleQuotedString) {
      const inner = token.image.slice(1, -1);
      const value = inner.replace(/\\'/g, "'");
      this.report(`text goes in double quotes: "${value.replace(/"/g, '\\"')}"`, this.range(token), [
        JSON.stringify(value),
      ]);
      return { type: 'String', value, range: this.range(token) };
    }
    const decoded = decodeString(token.image);
    if (decoded.problem) {
      const start = token.startOffset + decoded.problem.start;
      this.report(decoded.problem.message, this.lines.range(start, token.startOffset + decoded.problem.end));
    }
    return { type: 'String', value: decoded.value, range: this.range(token) };
  }

  literal(token: IToken): Literal | Expr {
    const range = this.range(token);
    const type = token.tokenType;
    if (type === t.StringLiteral || type === t.UnterminatedString || type === t.SingleQuotedString) {
      return this.string(token);
    }
    if (type === t.NumberLiteral) return { type: 'Number', value: decodeNumber(token.image), raw: token.image, range };
    if (type === t.PercentLiteral) {
      return { type: 'Percent', value: decodeNumber(token.image), raw: token.image, range };
    }
    if (type === t.DateLiteral) {
      const problem = checkDate(token.image);
      if (problem) this.report(problem, range);
      return { type: 'Date', value: token.image, range };
    }
    if (type === t.DateTimeLiteral || type === t.DateTimeNoZone) {
      const decoded = decodeDateTime(token.image);
      if (decoded.problem) this.report(decoded.problem.message, range);
      return { type: 'DateTime', value: token.image, epochMs: decoded.value, range };
    }
    if (type === t.True || type === t.False) return { type: 'Boolean', value: type === t.True, range };
    if (type === t.Today) return { type: 'Today', range };
    if (type === t.Now) return { type: 'Now', range };
    return this.errorExpr(range);
  }

  private checkSingleEquals(op: IToken): void {
    if (op.tokenType === t.SingleEq) this.report('use `==` to compare (a single `=` is not an operator)', this.range(op), ['==']);
    if (op.tokenType === t.ReversedCompare) {
      const meant = compareOps.get(op.image) ?? '>=';
      this.report(`write \`${meant}\` (not \`${op.image}\`)`, this.range(op), [meant]);
    }
  }
}

/** The aggregate a function name denotes over related rows; undefined for other functions. */
function aggregateFn(name: string, distinct: boolean): AggregateFn | undefined {
  switch (name) {
    case 'count':
      return distinct ? 'countDistinct' : 'count';
    case 'sum':
    case 'mean':
    case 'median':
    case 'min':
    case 'max':
    case 'exists':
      return name;
    default:
      return /^p\d+$/.test(name) ? 'percentile' : undefined;
  }
}

type AnyProperty = DatasetProperty | SegmentProperty | PersonaProperty | PartitionProperty | FlagProperty;
