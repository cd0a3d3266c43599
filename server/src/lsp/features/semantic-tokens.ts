/**
 * Semantic tokens: what the TextMate grammar cannot know — whether a name is a
 * field (declared or inferred from the data), a segment, a persona or a dataset.
 */
import { SemanticTokensBuilder, type SemanticTokensLegend } from 'vscode-languageserver/node';
import type { Range, SegspecFile } from '../../core/syntax/ast.js';
import { walkExpr } from '../../core/syntax/walk.js';
import type { ReferenceTarget } from '../../core/semantics/model.js';
import type { FeatureContext } from '../context.js';
import type { Snapshot } from '../session.js';
import { allSymbols } from '../locate.js';
import { isMarkdown } from '../uris.js';

const tokenTypes = ['namespace', 'class', 'interface', 'enum', 'property', 'function'] as const;
const tokenModifiers = ['declaration', 'inferred'] as const;

export const semanticTokensLegend: SemanticTokensLegend = { tokenTypes: [...tokenTypes], tokenModifiers: [...tokenModifiers] };

type TokenType = (typeof tokenTypes)[number];

const typeOfKind: Record<ReferenceTarget['kind'] | 'partition' | 'flag', TokenType> = {
  dataset: 'namespace',
  segment: 'class',
  persona: 'interface',
  partition: 'enum',
  flag: 'enum',
  field: 'property',
};

interface Token {
  range: Range;
  type: TokenType;
  modifiers: number;
}

export function semanticTokens(snapshot: Snapshot, path: string): number[] {
  const model = snapshot.analysis.model;
  const tokens: Token[] = [];
  for (const symbol of allSymbols(snapshot)) {
    if (symbol.file === path) tokens.push({ range: symbol.nameRange, type: typeOfKind[symbol.kind], modifiers: 1 });
  }
  for (const dataset of model.datasets.values()) {
    if (dataset.file !== path) continue;
    for (const field of dataset.declaredFields.values()) tokens.push({ range: field.name.range, type: 'property', modifiers: 1 });
  }
  for (const reference of model.references) {
    if (reference.file !== path || !reference.target) continue;
    const inferred = reference.target.kind === 'field' && isInferred(snapshot, reference.target);
    tokens.push({ range: reference.range, type: typeOfKind[reference.target.kind], modifiers: inferred ? 2 : 0 });
  }
  const file = model.files.get(path);
  if (file) tokens.push(...aggregateCallees(file.ast));
  if (file) {
    for (const decl of file.ast.declarations) {
      if (decl.type !== 'Segment') continue;
      for (const property of decl.properties) {
        if (property.key === 'expect' && property.value?.type === 'ExpectAggregate') {
          tokens.push({ range: property.value.fn.range, type: 'function', modifiers: 0 });
        }
      }
    }
  }
  tokens.sort((a, b) => a.range.start.offset - b.range.start.offset);
  const builder = new SemanticTokensBuilder();
  let lastOffset = -1;
  for (const token of tokens) {
    if (token.range.start.offset <= lastOffset) continue;
    if (token.range.start.line !== token.range.end.line) continue;
    lastOffset = token.range.start.offset;
    builder.push(
      token.range.start.line,
      token.range.start.character,
      token.range.end.character - token.range.start.character,
      tokenTypes.indexOf(token.type),
      token.modifiers,
    );
  }
  return builder.build().data;
}

/** `count`, `sum`, `p90`, … of the aggregates over related rows (SPEC §11): functions, like the expectations' `mean(…)`. */
function aggregateCallees(ast: SegspecFile): Token[] {
  const tokens: Token[] = [];
  for (const decl of ast.declarations) {
    if (decl.type !== 'Segment') continue;
    for (const property of decl.properties) {
      const expr = property.key === 'where' ? property.value : property.key === 'expect' && property.value?.type === 'ExpectShare' ? property.value.expr : undefined;
      if (!expr) continue;
      walkExpr(expr, (node) => {
        if (node.type === 'Aggregate') tokens.push({ range: node.callee.range, type: 'function', modifiers: 0 });
      });
    }
  }
  return tokens;
}

function isInferred(snapshot: Snapshot, target: Extract<ReferenceTarget, { kind: 'field' }>): boolean {
  return snapshot.analysis.model.fieldTypes.get(target.dataset)?.get(target.name)?.inferred === true;
}

export function registerSemanticTokens(ctx: FeatureContext): void {
  const { connection, session } = ctx;
  connection.languages.semanticTokens.on(async (params, token) => {
    const path = session.pathFromUri(params.textDocument.uri);
    if (isMarkdown(path)) return { data: [] };
    const snapshot = await session.modelSnapshotFor(path, token);
    return { data: semanticTokens(snapshot, path) };
  });
  // Field tokens depend on the data (declared or inferred): refresh when a data load changed the tables.
  let tables: unknown[] = [];
  session.onAnalyzed((snapshot) => {
    const current = [...snapshot.analysis.data.values()].map((d) => d.table);
    const changed = current.length !== tables.length || current.some((t, i) => t !== tables[i]);
    tables = current;
    if (changed && ctx.capabilities.workspace?.semanticTokens?.refreshSupport) connection.languages.semanticTokens.refresh();
  });
}
