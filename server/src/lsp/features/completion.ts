/** Completion in .segspec files (keywords in context, names, values seen in the data) and in Markdown references. */
import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type CompletionList,
  type Range as LspRange,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { markdownCompletionContext } from '../../core/markdown/index.js';
import type { FeatureContext } from '../context.js';
import type { Snapshot } from '../session.js';
import { completionContext, PROPERTY_KEYWORDS, type CompletionContext, type DeclInfo } from '../completion/context.js';
import { isMarkdown } from '../uris.js';
import { profileColumn } from '../field-profile.js';
import { toLspRange } from '../ranges.js';
import { segmentView } from '../results.js';
import { countOf, formatCount, formatShare, unitOf } from '../format.js';

export const completionTriggerCharacters = ['@', '(', '[', '"', ' ', ',', ':', '.'];

const SEGMENT_KINDS = ['demographic', 'geographic', 'behavioral', 'psychographic', 'technographic', 'needs', 'value'];
const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'semver', 'enum', 'list<string>', 'list<integer>'];
const FUNCTIONS = ['lower', 'upper', 'len', 'median', 'mean', 'min', 'max', 'p90'];
const MAX_VALUES = 100;

const DECLARATION_SNIPPETS: Array<{ label: string; body: string; detail: string }> = [
  { label: 'dataset', detail: 'Dataset of sample users', body: 'dataset ${1:users} "${2:Product users}" {\n\tsource "${3:data/users.csv}"\n\tkey ${4:user_id}\n}' },
  { label: 'segment', detail: 'Segment with a rule', body: 'segment ${1:name} "${2:Title}" {\n\tkind ${3|demographic,geographic,behavioral,psychographic,technographic,needs,value|}\n\tdescription "${4}"\n\twhere ${5:condition}\n\texpect size between ${6:5}% and ${7:20}%\n}' },
  { label: 'persona', detail: 'Persona of a segment', body: 'persona ${1:name} "${2:Title}" {\n\tsegment ${3:segment_name}\n\tquote "${4}"\n\tprofile { ${5} }\n\tgoals ["${6}"]\n\tpains ["${7}"]\n}' },
  { label: 'partition', detail: 'Segments that split the users', body: 'partition ${1:name} "${2:Title}" {\n\tsegments [${3}]\n\texclusive\n\texhaustive\n}' },
];

const PROPERTY_SNIPPETS: Record<string, string> = {
  fields: 'fields {\n\t$0\n}',
  as: 'as of ${1:2026-06-30}',
  example: 'example ${1|member,nonmember|} { $0 }',
  profile: 'profile { $0 }',
  tags: 'tags [$0]',
  missing: 'missing ["${1:NA}"$0]',
  goals: 'goals ["$0"]',
  pains: 'pains ["$0"]',
  jobs: 'jobs ["$0"]',
  channels: 'channels ["$0"]',
  segments: 'segments [$0]',
  description: 'description "$0"',
  quote: 'quote "$0"',
  owner: 'owner "$0"',
  source: 'source "$0"',
};

/** What a property does, shown with its completion. */
const PROPERTY_DOCS: Record<string, string> = {
  missing:
    'Texts that mark a missing value in the data files, e.g. `missing ["?", "NA", "N/A"]`: a cell holding exactly one of them is read as an empty cell, and in JSON a string holding one is read as `null`.',
};

const EXPECTATIONS: Array<[string, string]> = [
  ['size', 'size between ${1:5}% and ${2:20}%'],
  ['share', 'share(${1:condition}) >= ${2:50}%'],
  ['disjoint', 'disjoint ${1:segment}'],
  ['overlap', 'overlap(${1:segment}) <= ${2:10}%'],
  ['subset of', 'subset of ${1:segment}'],
  ['mean', 'mean(${1:field}) ${2:>=} ${3:0}'],
  ['median', 'median(${1:field}) between ${2:0} and ${3:100}'],
  ['min', 'min(${1:field}) >= ${2:0}'],
  ['max', 'max(${1:field}) <= ${2:100}'],
  ['p90', 'p90(${1:field}) <= ${2:100}'],
];

const OPERATORS = ['and', 'or', 'in', 'not in', 'between', 'contains', 'contains any', 'contains all', 'starts with', 'ends with', 'matches', 'is missing', 'is not missing', 'within last', 'before', 'after'];

export function registerCompletion(ctx: FeatureContext): void {
  const { connection, documents, session } = ctx;
  connection.onCompletion(async (params, token): Promise<CompletionList | null> => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const path = session.pathOf(document);
    const offset = document.offsetAt(params.position);
    const snapshot = await session.modelSnapshotFor(path, token);
    const items = isMarkdown(path) ? markdownItems(document, offset, snapshot) : segspecItems(document, offset, snapshot);
    return { isIncomplete: false, items };
  });
}

function markdownItems(document: TextDocument, offset: number, snapshot: Snapshot): CompletionItem[] {
  const context = markdownCompletionContext(document.getText(), offset);
  if (!context) return [];
  const range = toLspRange(context.replace);
  if (context.type === 'keyword') {
    return (['segment', 'persona'] as const).map((kind) => ({
      label: `@${kind}()`,
      kind: CompletionItemKind.Keyword,
      textEdit: { range, newText: `@${kind}($1)` },
      insertTextFormat: InsertTextFormat.Snippet,
      filterText: `@${kind}`,
      command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
    }));
  }
  return context.kind === 'segment' ? segmentItems(snapshot, range) : personaItems(snapshot, range);
}

function segmentItems(snapshot: Snapshot, range: LspRange | undefined, exclude?: string): CompletionItem[] {
  return [...snapshot.analysis.model.segments.values()]
    .filter((s) => s.name !== exclude)
    .map((s) => {
      const view = segmentView(snapshot, s.name);
      const size = view?.size === undefined ? '' : ` · ${countOf(view.size, unitOf(snapshot, view.dataset))}${view.share === undefined ? '' : ` (${formatShare(view.share)})`}`;
      return withRange({ label: s.name, kind: CompletionItemKind.Class, detail: `${s.decl.title?.value ?? 'segment'}${size}`, documentation: descriptionOf(s.decl) }, range);
    });
}

function personaItems(snapshot: Snapshot, range: LspRange | undefined): CompletionItem[] {
  return [...snapshot.analysis.model.personas.values()].map((p) =>
    withRange({ label: p.name, kind: CompletionItemKind.Interface, detail: `${p.decl.title?.value ?? 'persona'}${p.segment ? ` · ${p.segment}` : ''}` }, range),
  );
}

function descriptionOf(decl: { properties: Array<{ key: string; value?: unknown }> }): string | undefined {
  const description = decl.properties.find((p) => p.key === 'description')?.value as { value?: string } | undefined;
  return description?.value;
}

function withRange(item: CompletionItem, range: LspRange | undefined, newText?: string): CompletionItem {
  if (range) item.textEdit = { range, newText: newText ?? item.label };
  return item;
}

function datasetOf(snapshot: Snapshot, decl: DeclInfo | undefined): string | undefined {
  const model = snapshot.analysis.model;
  if (!decl) return undefined;
  if (decl.kind === 'dataset') return decl.name;
  if (decl.kind === 'persona') return decl.segment ? model.segments.get(decl.segment)?.dataset : undefined;
  if (decl.from) return decl.from;
  return model.datasets.size === 1 ? [...model.datasets.keys()][0] : undefined;
}

function segspecItems(document: TextDocument, offset: number, snapshot: Snapshot): CompletionItem[] {
  const context = completionContext(document.getText(), offset);
  const range: LspRange = { start: document.positionAt(context.replaceStart), end: document.positionAt(context.replaceEnd) };
  const keyword = (label: string, detail?: string): CompletionItem => withRange({ label, kind: CompletionItemKind.Keyword, detail }, range);
  const snippet = (label: string, body: string, detail?: string): CompletionItem => ({
    label,
    kind: CompletionItemKind.Snippet,
    detail,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: body },
  });
  const situation = context.situation;
  switch (situation.kind) {
    case 'none':
      return [];
    case 'topLevel':
      return DECLARATION_SNIPPETS.map((s) => snippet(s.label, s.body, s.detail));
    case 'property': {
      const items = PROPERTY_KEYWORDS[situation.decl].map((word) =>
        PROPERTY_SNIPPETS[word]
          ? { ...snippet(word, PROPERTY_SNIPPETS[word], 'property'), ...(PROPERTY_DOCS[word] ? { documentation: PROPERTY_DOCS[word] } : {}) }
          : keyword(word, 'property'),
      );
      if (situation.decl === 'segment') items.push(snippet('expect size', 'expect size between ${1:5}% and ${2:20}%', 'expectation'));
      if (situation.continuesExpression) items.push(keyword('and'), keyword('or'));
      return items;
    }
    case 'segmentKind':
      return SEGMENT_KINDS.map((k) => withRange({ label: k, kind: CompletionItemKind.EnumMember }, range));
    case 'datasetName':
      return [...snapshot.analysis.model.datasets.values()].map((d) =>
        withRange({ label: d.name, kind: CompletionItemKind.Module, detail: d.decl.title?.value }, range),
      );
    case 'segmentName':
      return segmentItems(snapshot, range, context.decl?.kind === 'segment' ? context.decl.name : undefined);
    case 'expectation':
      return EXPECTATIONS.map(([label, body]) => snippet(label, body, 'expectation'));
    case 'operand':
      return operandItems(snapshot, context, range);
    case 'operator':
      return OPERATORS.map((op) => keyword(op, 'operator'));
    case 'words':
      return situation.words.map((w) => keyword(w));
    case 'value':
      return valueItems(snapshot, context, situation.field, range);
    case 'fieldName':
      return fieldItems(snapshot, context, range, situation.declaring);
    case 'fieldType':
      return FIELD_TYPES.map((t) => withRange({ label: t, kind: CompletionItemKind.TypeParameter }, range));
    case 'recordKey':
      return fieldItems(snapshot, context, range, false).map((item) => ({ ...item, textEdit: { range, newText: `${item.label}: ` } }));
    case 'exampleKind':
      return [snippet('member', 'member { $0 }', 'must match where'), snippet('nonmember', 'nonmember { $0 }', 'must not match where')];
    case 'relatedField':
      return relatedFieldItems(snapshot, situation.dataset, range);
    case 'relatedDataset': {
      const items = relatedDatasetItems(snapshot, context, range, situation.fn);
      if (situation.fn === 'count') items.push(keyword('distinct'));
      if (situation.alsoFields) items.push(...fieldItems(snapshot, { ...context, related: undefined }, range, false));
      return items;
    }
  }
}

/** The fields of a dataset after `R.`: of a related dataset of the segment's dataset, or any dataset named so. */
function relatedFieldItems(snapshot: Snapshot, dataset: string, range: LspRange): CompletionItem[] {
  const types = snapshot.analysis.model.fieldTypes.get(dataset);
  if (!types) return [];
  return [...types].map(([name, info]) =>
    withRange({ label: name, kind: CompletionItemKind.Field, detail: `${dataset}.${name}: ${info.type}${info.optional ? '?' : ''}` }, range),
  );
}

/** The datasets that belong to the segment's dataset, where an aggregate or a lookup names one. */
function relatedDatasetItems(snapshot: Snapshot, context: CompletionContext, range: LspRange, fn: string | undefined): CompletionItem[] {
  const parent = datasetOf(snapshot, context.decl);
  if (!parent) return [];
  const model = snapshot.analysis.model;
  return model.relatedOf(parent).map((related) => {
    const link = related.link;
    const many = link ? !link.oneToOne : true;
    const detail = `${related.decl.title?.value ?? 'related dataset'} · ${many ? `many per ${parent} row` : `at most one per ${parent} row`}`;
    // For `sum(`/`mean(`/…, the dataset is followed by `.field`: ask for it at once.
    const needsField = fn !== undefined && fn !== 'count' && fn !== 'exists';
    return withRange(
      {
        label: related.name,
        kind: CompletionItemKind.Module,
        detail,
        ...(needsField ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
      },
      range,
      needsField ? `${related.name}.` : related.name,
    );
  });
}

function fieldItems(snapshot: Snapshot, context: CompletionContext, range: LspRange, inFieldsBlock: boolean): CompletionItem[] {
  const dataset = context.related ?? datasetOf(snapshot, context.decl);
  const types = dataset ? snapshot.analysis.model.fieldTypes.get(dataset) : undefined;
  if (!types) return [];
  const inFields = inFieldsBlock;
  const items: CompletionItem[] = [];
  for (const [name, info] of types) {
    // In `fields { }`, offer the columns that are not declared yet, with their inferred type (pins it).
    if (inFields && !info.inferred) continue;
    const type = `${info.type}${info.optional ? '?' : ''}`;
    items.push(
      withRange(
        { label: name, kind: CompletionItemKind.Field, detail: `${type}${info.inferred ? ' (inferred from the data)' : ''}` },
        range,
        inFields ? `${name}: ${type}` : name,
      ),
    );
  }
  return items;
}

function operandItems(snapshot: Snapshot, context: CompletionContext, range: LspRange): CompletionItem[] {
  const items = fieldItems(snapshot, context, range, false);
  items.push(...segmentItems(snapshot, range, context.decl?.name));
  if (!context.related) {
    // Related datasets: a one-to-one one is read with `survey.field`; aggregates count and sum the others.
    for (const item of relatedDatasetItems(snapshot, context, range, undefined)) {
      if (item.detail?.includes('at most one')) items.push({ ...item, textEdit: { range, newText: `${item.label}.` }, command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } });
    }
    for (const fn of ['count', 'exists']) {
      items.push({ label: fn, kind: CompletionItemKind.Function, insertTextFormat: InsertTextFormat.Snippet, textEdit: { range, newText: `${fn}($1)` }, detail: 'over related rows' });
    }
  }
  for (const fn of FUNCTIONS) {
    items.push({ label: fn, kind: CompletionItemKind.Function, insertTextFormat: InsertTextFormat.Snippet, textEdit: { range, newText: `${fn}($1)` } });
  }
  for (const word of ['not', 'today', 'now']) items.push(withRange({ label: word, kind: CompletionItemKind.Keyword }, range));
  return items;
}

function valueItems(snapshot: Snapshot, context: CompletionContext, field: string, range: LspRange): CompletionItem[] {
  const dotted = /^([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(field);
  if (dotted) return valueItems(snapshot, { ...context, related: dotted[1] }, dotted[2], range);
  const dataset = context.related ?? datasetOf(snapshot, context.decl);
  if (!dataset) return [];
  const info = snapshot.analysis.model.fieldTypes.get(dataset)?.get(field);
  const column = snapshot.analysis.data.get(dataset)?.table?.byName.get(field);
  const quote = (v: string): string => (context.inString ? v : JSON.stringify(v));
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  const profile = column ? profileColumn(column) : undefined;
  if (info?.type === 'boolean' || column?.kind === 'boolean') {
    return ['true', 'false'].map((v) => withRange({ label: v, kind: CompletionItemKind.Value }, range));
  }
  for (const value of info?.enumValues ?? []) {
    seen.add(value);
    const count = profile?.topValues.find((t) => t.value === value)?.count;
    items.push(withRange({ label: quote(value), kind: CompletionItemKind.EnumMember, detail: count === undefined ? 'declared' : `${formatCount(count)} rows`, sortText: `0${items.length.toString().padStart(4, '0')}` }, range));
  }
  for (const { value, count } of profile?.topValues.slice(0, MAX_VALUES) ?? []) {
    if (seen.has(value)) continue;
    items.push(
      withRange(
        { label: quote(value), kind: CompletionItemKind.Value, detail: `${formatCount(count)} rows`, sortText: `1${items.length.toString().padStart(4, '0')}`, filterText: value },
        range,
      ),
    );
  }
  return items;
}
