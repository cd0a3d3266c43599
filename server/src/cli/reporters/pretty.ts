import type { Finding } from '../../core/diagnostics/types.js';
import type { Colors } from '../colors.js';
import { countFindings, displayPath, plural } from './findings.js';
import { FINDINGS_PER_FILE, capPerFile, escapeControls } from './safe-text.js';

const shownPath = (file: string, cwd: string): string => escapeControls(displayPath(file, cwd));

export interface PrettyOptions {
  cwd: string;
  colors: Colors;
  /** Source text of a file, for the code frame; undefined when unavailable. */
  sourceOf(file: string): string | undefined;
  workspaceCount: number;
  fileCount: number;
  quiet: boolean;
}

/**
 * One block per finding: `file:line:col severity code message`, then the
 * source line with a caret under the range. Ends with a summary line.
 */
export function formatPretty(findings: readonly Finding[], opts: PrettyOptions): string {
  const { colors: c } = opts;
  const out: string[] = [];
  const { shown, hidden } = capPerFile(opts.quiet ? findings.filter((f) => f.severity === 'error') : findings);
  shown.forEach((f, i) => {
    const pos = `${shownPath(f.file, opts.cwd)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
    const sev =
      f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info');
    out.push(`${c.bold(pos)} ${sev} ${c.gray(f.code)} ${escapeControls(f.message)}`);
    const frame = codeFrame(f, opts.sourceOf(f.file), c);
    if (frame) out.push(frame);
    for (const r of f.related ?? []) {
      out.push(
        c.gray(`    ${shownPath(r.file, opts.cwd)}:${r.range.start.line + 1}:${r.range.start.character + 1}: ${escapeControls(r.message)}`),
      );
    }
    out.push('');
    const more = hidden.get(f.file);
    if (more && shown[i + 1]?.file !== f.file) {
      out.push(c.gray(`…and ${more} more in ${shownPath(f.file, opts.cwd)} (the first ${FINDINGS_PER_FILE} of each file are shown; --format json lists all)`), '');
    }
  });
  const n = countFindings(findings);
  const scope = `${plural(opts.fileCount, 'file')} in ${plural(opts.workspaceCount, 'workspace')}`;
  if (n.errors + n.warnings + n.infos === 0) {
    if (!opts.quiet) out.push(c.green(`✔ no problems (${scope})`));
  } else if (!opts.quiet || n.errors > 0) {
    const parts = [plural(n.errors, 'error'), plural(n.warnings, 'warning'), plural(n.infos, 'info')];
    const line = `${n.errors > 0 ? '✖' : '⚠'} ${parts.join(', ')} (${scope})`;
    out.push(n.errors > 0 ? c.red(c.bold(line)) : c.yellow(c.bold(line)));
  }
  return out.length > 0 ? out.join('\n') + '\n' : '';
}

/** The finding's first line with its number, and carets under the range. */
export function codeFrame(f: Finding, text: string | undefined, c: Colors): string | undefined {
  if (text === undefined) return undefined;
  const lines = text.split(/\r\n|\r|\n/);
  const lineNo = f.range.start.line;
  const line = lines[lineNo];
  if (line === undefined) return undefined;
  const start = Math.min(f.range.start.character, line.length);
  const end =
    f.range.end.line === lineNo ? Math.min(Math.max(f.range.end.character, start + 1), Math.max(line.length, start + 1)) : Math.max(line.length, start + 1);
  const gutter = String(lineNo + 1);
  const pad = ' '.repeat(gutter.length);
  // Control characters are shown escaped; the carets count the escaped text, so they still line up.
  const before = escapeControls(line.slice(0, start));
  const marked = escapeControls(line.slice(start, end));
  // Keep tabs in the caret line so the caret lines up with the source.
  const lead = before.replace(/[^\t]/g, ' ');
  const carets = '^'.repeat(Math.max(1, marked.length));
  const colour = f.severity === 'error' ? c.red : f.severity === 'warning' ? c.yellow : c.blue;
  return [`  ${c.gray(`${gutter} |`)} ${escapeControls(line)}`, `  ${c.gray(`${pad} |`)} ${lead}${colour(carets)}`].join('\n');
}
