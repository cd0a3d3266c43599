import type { Finding } from '../../core/diagnostics/types.js';
import { countFindings, displayPath } from './findings.js';

/** `{"findings":[…],"summary":{errors,warnings,infos}}` with zero-based ranges. */
export function formatJson(findings: readonly Finding[], cwd: string): string {
  const doc = {
    findings: findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      file: displayPath(f.file, cwd),
      range: {
        start: { line: f.range.start.line, character: f.range.start.character },
        end: { line: f.range.end.line, character: f.range.end.character },
      },
      ...(f.related && f.related.length > 0
        ? {
            related: f.related.map((r) => ({
              file: displayPath(r.file, cwd),
              message: r.message,
              range: {
                start: { line: r.range.start.line, character: r.range.start.character },
                end: { line: r.range.end.line, character: r.range.end.character },
              },
            })),
          }
        : {}),
    })),
    summary: countFindings(findings),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
