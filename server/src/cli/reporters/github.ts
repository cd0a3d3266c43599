import type { Finding } from '../../core/diagnostics/types.js';
import { countFindings, displayPath, plural } from './findings.js';
import { FINDINGS_PER_FILE, capPerFile, escapeControls } from './safe-text.js';

/** Workflow-command data: `%`, CR and LF are percent-encoded; other control characters are shown escaped. */
export function escapeData(s: string): string {
  return escapeControls(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Workflow-command property values additionally encode `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One `::error` / `::warning` / `::notice` workflow command per finding.
 * Lines and columns are one-based; `endColumn` is the last character's column.
 */
export function formatGithub(findings: readonly Finding[], cwd: string): string {
  const { shown, hidden } = capPerFile(findings);
  const lines = shown.map((f) => {
    const cmd = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
    const { start, end } = f.range;
    const props = [
      `file=${escapeProperty(displayPath(f.file, cwd))}`,
      `line=${start.line + 1}`,
      `col=${start.character + 1}`,
      `endLine=${end.line + 1}`,
      `endColumn=${Math.max(end.character, end.line === start.line ? start.character + 1 : 1)}`,
      `title=${escapeProperty(f.code)}`,
    ];
    return `::${cmd} ${props.join(',')}::${escapeData(f.message)}`;
  });
  for (const [file, more] of hidden) {
    const shownFile = displayPath(file, cwd);
    lines.push(
      `::notice file=${escapeProperty(shownFile)},title=${escapeProperty('segspec: more findings')}::` +
        escapeData(`…and ${more} more in ${shownFile} (the first ${FINDINGS_PER_FILE} of each file are annotated; segspec check --format json lists all)`),
    );
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

/** A Markdown summary for `$GITHUB_STEP_SUMMARY`. */
export function githubStepSummary(findings: readonly Finding[], cwd: string, workspaceCount: number): string {
  const n = countFindings(findings);
  const out: string[] = ['## Segspec check', ''];
  if (findings.length === 0) {
    out.push(`✅ No problems in ${plural(workspaceCount, 'workspace')}.`, '');
    return out.join('\n');
  }
  const icon = n.errors > 0 ? '❌' : '⚠️';
  out.push(
    `${icon} ${plural(n.errors, 'error')}, ${plural(n.warnings, 'warning')}, ${plural(n.infos, 'info')} in ${plural(workspaceCount, 'workspace')}.`,
    '',
    '| Severity | Code | Location | Message |',
    '| --- | --- | --- | --- |',
  );
  const limit = 1000;
  const { shown, hidden } = capPerFile(findings);
  for (const f of shown.slice(0, limit)) {
    const loc = `${displayPath(f.file, cwd)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
    out.push(`| ${f.severity} | \`${f.code}\` | ${markdownCell(loc)} | ${markdownCell(f.message)} |`);
  }
  const notes = [...hidden].map(([file, more]) => `…and ${more} more in ${markdownCell(displayPath(file, cwd))} (the first ${FINDINGS_PER_FILE} of each file are listed).`);
  if (shown.length > limit) notes.push(`…and ${shown.length - limit} more.`);
  if (notes.length > 0) out.push('', ...notes.flatMap((n) => [n, '']).slice(0, -1));
  out.push('');
  return out.join('\n');
}

/** Text that cannot break out of a table cell or start Markdown/HTML markup. */
export function markdownCell(s: string): string {
  return escapeControls(s.replace(/\r\n|\r|\n/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|])/g, '\\$1')
    .replace(/\r\n|\r|\n/g, ' ');
}
