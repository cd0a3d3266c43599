/** Hover: fields (type and data profile), segments (size, share, expectations, sample), personas (card), datasets. */
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import { prop } from '../../core/syntax/ast.js';
import { walkExpr } from '../../core/syntax/walk.js';
import { cellValue } from '../../core/data/accessors.js';
import type { FeatureContext } from '../context.js';
import type { Snapshot } from '../session.js';
import { locate, offsetIn } from '../locate.js';
import { toLspRange } from '../ranges.js';
import { profileColumn, formatNumber } from '../field-profile.js';
import { segmentView, datasetRows, type ViewStatus } from '../results.js';
import { countOf, formatCount, formatShare, unitOf } from '../format.js';
import { throwIfCancelled } from '../cancellation.js';
import { missingTokensOf } from '../../core/data/missing-tokens.js';
import { flagHover } from './flag-views.js';
import { coverageText } from '../related-coverage.js';
import { aggregateHover } from '../aggregate-hover.js';

const SAMPLE_ROWS = 5;
const SAMPLE_COLUMNS = 6;

export function registerHover(ctx: FeatureContext): void {
  const { connection, session } = ctx;
  connection.onHover(async (params, token): Promise<Hover | null> => {
    const path = session.pathFromUri(params.textDocument.uri);
    const snapshot = await session.modelSnapshotFor(path, token);
    const offset = offsetIn(snapshot, path, params.position);
    const located = offset === undefined ? undefined : locate(snapshot, path, offset);
    if (!located) {
      if (offset === undefined) return null;
      const aggregate = aggregateHover(snapshot, path, offset, session.settings.asOf);
      if (aggregate) return { contents: { kind: MarkupKind.Markdown, value: aggregate } };
      return flagHover(snapshot, path, offset) ?? expectationHover(snapshot, path, offset);
    }
    throwIfCancelled(token);
    const target = located.target;
    let markdown: string | undefined;
    if (located.unresolved) markdown = `\`${target.name}\` is not defined in this workspace`;
    else if (target.kind === 'field') markdown = fieldHover(snapshot, target.dataset, target.name);
    else if (target.kind === 'segment') markdown = segmentHover(snapshot, target.name);
    else if (target.kind === 'persona') markdown = personaHover(snapshot, target.name);
    else markdown = datasetHover(snapshot, target.name);
    return markdown ? { contents: { kind: MarkupKind.Markdown, value: markdown }, range: toLspRange(located.range) } : null;
  });
}

/** Over an `expect` line: what was measured, and whether it holds. */
function expectationHover(snapshot: Snapshot, path: string, offset: number): Hover | null {
  for (const segment of snapshot.analysis.model.segments.values()) {
    if (segment.file !== path || offset < segment.range.start.offset || offset > segment.range.end.offset) continue;
    for (const property of segment.decl.properties) {
      if (property.key !== 'expect' || offset < property.range.start.offset || offset > property.range.end.offset) continue;
      const segmentResult = snapshot.analysis.results.segments.get(segment.name);
      if (segmentResult?.status === 'unavailable' && segmentResult.reason) {
        return { contents: { kind: MarkupKind.Markdown, value: `**? unavailable** — ${escapeMarkdown(segmentResult.reason)}` }, range: toLspRange(property.range) };
      }
      const result = segmentResult?.expectations.find((e) => e.range.start.offset === property.value?.range.start.offset);
      if (!result) return null;
      const mark = result.passed === true ? '✓ holds' : result.passed === false ? '✗ fails' : '? unavailable';
      return { contents: { kind: MarkupKind.Markdown, value: `**${mark}** — ${escapeMarkdown(result.message)}` }, range: toLspRange(property.range) };
    }
  }
  return null;
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

export function fieldHover(snapshot: Snapshot, dataset: string, name: string): string {
  const info = snapshot.analysis.model.fieldTypes.get(dataset)?.get(name);
  const lines: string[] = [];
  const type = info ? `${info.type}${info.optional ? '?' : ''}` : 'unknown type';
  lines.push(`${code(name)}: ${code(type)} — field of ${code(dataset)}${info?.inferred ? ' *(type inferred from the data)*' : ''}`);
  if (info?.enumValues?.length) lines.push(`Declared values: ${info.enumValues.map((v) => code(JSON.stringify(v))).join(', ')}`);
  const column = snapshot.analysis.data.get(dataset)?.table?.byName.get(name);
  if (!column) {
    lines.push('*No data loaded for this field.*');
    return lines.join('\n\n');
  }
  const profile = profileColumn(column);
  lines.push(`Missing: ${formatShare(profile.rows ? profile.missing / profile.rows : 0)} (${formatCount(profile.missing)} of ${formatCount(profile.rows)} rows)`);
  if (profile.numeric) {
    const n = profile.numeric;
    lines.push(`Min ${code(formatNumber(n.min, column.type))} · median ${code(formatNumber(n.median, column.type))} · max ${code(formatNumber(n.max, column.type))}`);
  }
  if (profile.topValues.length) {
    const top = profile.topValues.slice(0, 5).map((t) => `${code(JSON.stringify(t.value))} ${formatCount(t.count)}`);
    const more = profile.distinct > 5 ? ` · … ${formatCount(profile.distinct - 5)} more` : '';
    lines.push(`Top values: ${top.join(' · ')}${more}`);
  }
  return lines.join('\n\n');
}

const STATUS_WORDS: Record<ViewStatus, string> = {
  ok: '✓ all checks pass',
  warning: '⚠ has warnings',
  error: '✗ has errors',
  draft: 'draft',
  unknown: '? not measured',
  unavailable: 'unavailable',
};

export function segmentHover(snapshot: Snapshot, name: string): string | undefined {
  const view = segmentView(snapshot, name);
  const symbol = snapshot.analysis.model.segments.get(name);
  if (!view || !symbol) return undefined;
  const lines: string[] = [];
  lines.push(`### ${escapeMarkdown(view.title ?? name)} ${view.title ? `(${code(name)})` : ''}`);
  const meta = [view.kind ? `${view.kind} segment` : 'segment', view.dataset ? `of ${code(view.dataset)}` : ''].filter(Boolean).join(' ');
  lines.push(`*${meta}*${view.draft ? ' — **draft** (no `where` rule yet)' : ` — ${STATUS_WORDS[view.status]}`}`);
  if (view.description) lines.push(escapeMarkdown(view.description));
  if (view.size !== undefined && view.rows !== undefined) {
    const expectations = view.expectations.total ? ` · ${view.expectations.passed}/${view.expectations.total} expectations` : '';
    lines.push(`**${countOf(view.size, unitOf(snapshot, view.dataset))} · ${formatShare(view.share ?? 0)}** of ${formatCount(view.rows)}${expectations}`);
  } else if (view.reason) {
    lines.push(`**Unavailable:** ${escapeMarkdown(view.reason)}`);
  } else if (!view.draft) {
    lines.push(`*Not measured${view.result?.reason ? `: ${escapeMarkdown(view.result.reason)}` : ''}.*`);
  }
  for (const expectation of view.result?.expectations ?? []) {
    const mark = expectation.passed === true ? '✓' : expectation.passed === false ? '✗' : '?';
    lines.push(`${mark} ${escapeMarkdown(expectation.message)}`);
  }
  const sample = sampleTable(snapshot, name);
  if (sample) lines.push(sample);
  return lines.join('\n\n');
}

/** Fields a segment's rule reads, for the sample table's columns. */
export function fieldsUsedBy(snapshot: Snapshot, name: string): string[] {
  const symbol = snapshot.analysis.model.segments.get(name);
  const out: string[] = [];
  if (!symbol?.where) return out;
  walkExpr(symbol.where, (node) => {
    if (node.type !== 'Name') return;
    const resolution = snapshot.analysis.model.names.get(node);
    if (resolution?.kind === 'field' && !out.includes(resolution.name)) out.push(resolution.name);
  });
  return out;
}

export function sampleColumns(snapshot: Snapshot, name: string): { key: string | undefined; columns: string[] } {
  const symbol = snapshot.analysis.model.segments.get(name);
  const datasetSymbol = symbol?.dataset ? snapshot.analysis.model.datasets.get(symbol.dataset) : undefined;
  const key = datasetSymbol ? prop(datasetSymbol.decl, 'key')?.value?.name : undefined;
  const columns = [...(key ? [key] : []), ...fieldsUsedBy(snapshot, name).filter((f) => f !== key)].slice(0, SAMPLE_COLUMNS);
  return { key, columns };
}

export function displayCell(value: ReturnType<typeof cellValue> | undefined): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

function sampleTable(snapshot: Snapshot, name: string): string | undefined {
  const view = segmentView(snapshot, name);
  const table = view?.dataset ? snapshot.analysis.data.get(view.dataset)?.table : undefined;
  const rows = view?.result?.sampleRows.slice(0, SAMPLE_ROWS) ?? [];
  // Measured on DuckDB: the members' keys, without their rows.
  const keys = view?.result?.sampleKeys.slice(0, SAMPLE_ROWS) ?? [];
  if (rows.length === 0 && keys.length > 0) return `Sample members: ${keys.map((k) => code(k)).join(', ')}`;
  if (!table || rows.length === 0) return undefined;
  const { columns } = sampleColumns(snapshot, name);
  if (columns.length === 0) return undefined;
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
  const head = `| ${columns.map(cell).join(' | ')} |\n|${columns.map(() => ' --- ').join('|')}|`;
  const body = rows.map((row) => `| ${columns.map((c) => { const col = table.byName.get(c); return cell(col ? displayCell(cellValue(col, row)) : ''); }).join(' | ')} |`);
  return `Sample members:\n\n${head}\n${body.join('\n')}`;
}

export function personaHover(snapshot: Snapshot, name: string): string | undefined {
  const persona = snapshot.analysis.model.personas.get(name);
  if (!persona) return undefined;
  const decl = persona.decl;
  const lines: string[] = [`### 👤 ${escapeMarkdown(decl.title?.value ?? name)}`];
  if (persona.segment) {
    const view = segmentView(snapshot, persona.segment);
    const size = view?.size !== undefined ? ` · ${countOf(view.size, unitOf(snapshot, view.dataset))} (${formatShare(view.share ?? 0)})` : '';
    lines.push(`*persona of segment ${code(persona.segment)}${size}*`);
  }
  const quote = prop(decl, 'quote')?.value?.value;
  if (quote) lines.push(`> ${escapeMarkdown(quote)}`);
  const description = prop(decl, 'description')?.value?.value;
  if (description) lines.push(escapeMarkdown(description));
  for (const key of ['goals', 'pains', 'jobs', 'channels'] as const) {
    const items = (prop(decl, key)?.value?.items ?? []).flatMap((i) => (i.type === 'String' ? [i.value] : []));
    if (items.length) lines.push(`**${key[0].toUpperCase()}${key.slice(1)}:** ${items.map(escapeMarkdown).join(' · ')}`);
  }
  const result = snapshot.analysis.results.personas.get(name);
  if (result?.member === false) lines.push(`⚠ The profile is **not** a member of ${code(persona.segment ?? '')}.`);
  if (result?.member === true) lines.push(`✓ The profile is a member of ${code(persona.segment ?? '')}.`);
  return lines.join('\n\n');
}

export function datasetHover(snapshot: Snapshot, name: string): string | undefined {
  const dataset = snapshot.analysis.model.datasets.get(name);
  if (!dataset) return undefined;
  const lines = [`### ${escapeMarkdown(dataset.decl.title?.value ?? name)} (${code(name)})`];
  const source = prop(dataset.decl, 'source')?.value?.value;
  if (source) lines.push(`Source: ${code(source)}`);
  const rows = datasetRows(snapshot, name);
  const fields = snapshot.analysis.model.fieldTypes.get(name);
  if (rows !== undefined) lines.push(`**${countOf(rows, unitOf(snapshot, name))}** · ${fields?.size ?? 0} fields`);
  else lines.push('*No data loaded.*');
  if (dataset.link) {
    const coverage = coverageText(snapshot, name);
    lines.push(`Belongs to ${code(dataset.link.parent)} by ${code(dataset.link.by)}${dataset.link.oneToOne ? ' (at most one row each)' : ''}${coverage ? ` · ${coverage}` : ''}`);
  }
  const asOf = snapshot.analysis.results.datasets.get(name)?.asOf;
  if (asOf) lines.push(`Reference date: ${code(asOf)}`);
  const missing = missingTokensOf(dataset.decl);
  if (missing.length > 0) lines.push(`Missing values: empty cells and ${missing.map((m) => code(JSON.stringify(m))).join(', ')}`);
  return lines.join('\n\n');
}
