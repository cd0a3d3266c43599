/**
 * Hover on an aggregate over related rows (SPEC §11): its distribution over
 * the parent rows — min, median, p90, max, and the share of parents with
 * none — from the column the engine computed the segment with.
 */
import type { AggregateExpr } from '../core/syntax/ast.js';
import { walkExpr } from '../core/syntax/walk.js';
import { relatedColumnOf } from '../core/engine/index.js';
import { distributionOf } from '../core/engine/distribution.js';
import { formatNumber } from './field-profile.js';
import type { Snapshot } from './session.js';
import { formatCount, unitOf } from './format.js';
import { wholePercent } from './related-coverage.js';

/** The aggregate whose text contains `offset`, in a segment of `path`, with that segment. */
export function aggregateAt(snapshot: Snapshot, path: string, offset: number): { segment: string; node: AggregateExpr } | undefined {
  for (const segment of snapshot.analysis.model.segments.values()) {
    if (segment.file !== path || !segment.where) continue;
    if (offset < segment.where.range.start.offset || offset > segment.where.range.end.offset) continue;
    let found: AggregateExpr | undefined;
    walkExpr(segment.where, (node) => {
      if (node.type === 'Aggregate' && node.range.start.offset <= offset && offset <= node.range.end.offset) found = node;
    });
    if (found) return { segment: segment.name, node: found };
  }
  return undefined;
}

function text(snapshot: Snapshot, path: string, node: AggregateExpr): string {
  const source = snapshot.analysis.model.files.get(path)?.text ?? '';
  return source.slice(node.range.start.offset, node.range.end.offset).replace(/\s+/g, ' ');
}

/** Markdown for the hover; undefined when the cursor is on no aggregate. */
export function aggregateHover(snapshot: Snapshot, path: string, offset: number, asOf: string | undefined): string | undefined {
  const at = aggregateAt(snapshot, path, offset);
  if (!at) return undefined;
  const { model, data, results } = snapshot.analysis;
  const parent = model.segments.get(at.segment)?.dataset;
  const head = `\`${text(snapshot, path, at.node).replace(/`/g, "'")}\``;
  const column = relatedColumnOf(model, data, results, at.segment, at.node, { asOf });
  if (typeof column === 'string') return `${head}\n\n*Distribution unavailable: ${column}.*`;
  const d = distributionOf(column);
  const unit = unitOf(snapshot, parent);
  const over = `over ${formatCount(d.rows)} ${d.rows === 1 ? unit.one : unit.many}`;
  const share = (n: number): string => `${wholePercent(d.rows === 0 ? 0 : n / d.rows)} (${formatCount(n)})`;
  if (at.node.fn === 'exists') return `${head} ${over}: true for ${share(d.present - d.zero)}, false for ${share(d.zero)}`;
  const value = (x: number | undefined): string => (x === undefined ? '–' : formatNumber(x, column.type));
  const stats = d.present === 0 ? 'no values' : `min ${value(d.min)} · median ${value(d.median)} · p90 ${value(d.p90)} · max ${value(d.max)}`;
  // count, count distinct and sum are 0 for a parent without (matching) rows; the others are missing.
  const none = at.node.fn === 'count' || at.node.fn === 'countDistinct' || at.node.fn === 'sum' ? d.zero : d.rows - d.present;
  const noneWords = at.node.fn === 'sum' ? 'are 0' : 'have none';
  return `${head} ${over}: ${stats} · ${share(none)} ${noneWords}`;
}
