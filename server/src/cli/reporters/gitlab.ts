import { unreachable } from '../../core/util/unreachable.js';
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../../core/diagnostics/types.js';
import { displayPath } from './findings.js';

export interface GitlabOptions {
  /** Paths in the report are relative to this folder (the repository root). */
  root: string;
  sourceOf(file: string): string | undefined;
}

type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/** Errors fail `segspec check`, so they rank above warnings in the merge request widget. */
function gitlabSeverity(s: Severity): GitlabSeverity {
  switch (s) {
    case 'error':
      return 'major';
    case 'warning':
      return 'minor';
    case 'info':
      return 'info';
    default:
      return unreachable(s);
  }
}

/** The source text a finding points at, whitespace collapsed; the message when the text is not at hand. */
function anchorText(f: Finding, source: string | undefined): string {
  if (source === undefined) return f.message;
  const lines = source.split(/\r\n|\r|\n/);
  const { start, end } = f.range;
  const picked = lines.slice(start.line, end.line + 1);
  if (picked.length === 0) return f.message;
  const last = picked.length - 1;
  picked[last] = picked[last].slice(0, end.character);
  picked[0] = picked[0].slice(start.character);
  const text = picked.join(' ').replace(/\s+/g, ' ').trim();
  return text === '' ? f.message : text;
}

/**
 * A GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array
 * of issues with description, check_name, fingerprint, severity and
 * location (path relative to the repository root, one-based lines).
 *
 * The fingerprint is what GitLab uses to tell a new issue from one already on
 * the target branch, so it is built from what identifies the problem and not
 * from where it happens to be: the relative path, the code, the source text
 * the finding points at (not its line, which moves with unrelated edits, nor
 * its message, which for data checks holds counts), and the finding's rank
 * among identical ones in the same file.
 */
export function formatGitlab(findings: readonly Finding[], opts: GitlabOptions): string {
  const seen = new Map<string, number>();
  const issues = findings.map((f) => {
    const path = displayPath(f.file, opts.root);
    const key = [path, f.code, anchorText(f, opts.sourceOf(f.file))].join('\0');
    const rank = seen.get(key) ?? 0;
    seen.set(key, rank + 1);
    return {
      type: 'issue',
      check_name: f.code,
      description: `${f.code}: ${f.message}`,
      fingerprint: createHash('sha256').update(`${key}\0${rank}`).digest('hex').slice(0, 32),
      severity: gitlabSeverity(f.severity),
      location: {
        path,
        lines: { begin: f.range.start.line + 1, end: f.range.end.line + 1 },
      },
    };
  });
  return JSON.stringify(issues, null, 2) + '\n';
}
