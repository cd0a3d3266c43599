/** The `segspec/explainRow` answer: one row's explanation as Markdown (virtual document) and HTML (preview). */
import type { ExplanationNode } from '../../core/engine/index.js';
import { explanationHtml, explanationMarkdown } from '../../core/engine/explain-render.js';
import type { ExplainRowParams, ExplainRowResult } from '../protocol.js';
import type { Snapshot } from '../session.js';

export function explainedRow(snapshot: Snapshot, params: ExplainRowParams, explained: { row: number; explanation: ExplanationNode }): ExplainRowResult {
  const { model, data } = snapshot.analysis;
  const sym = model.segments.get(params.segment);
  const member = explained.explanation.result === true;
  const verdict = explained.explanation.result === null ? 'is not a member (unknown) of' : member ? 'is a member of' : 'is not a member of';
  const heading = `${params.key} ${verdict} ${params.segment}`;
  const title = sym?.decl.title?.value;
  const input = sym?.dataset ? data.get(sym.dataset) : undefined;
  const line = input?.table?.rowLines[explained.row];
  const file = input?.path ? input.path.split(/[\\/]/).pop() : undefined;
  const where = file && line !== undefined ? `row at ${file} line ${line}` : undefined;
  const about = [title ? `“${title}”` : undefined, where].filter(Boolean).join(' · ');
  const text = [
    `# ${heading}`,
    '',
    ...(about ? [about, ''] : []),
    explanationMarkdown(explained.explanation),
    '',
    '✓ holds · ✗ does not hold · ? unknown (a value is missing)',
    '',
  ].join('\n');
  return { member, heading, text, html: explanationHtml(explained.explanation) };
}
