/** GitHub annotations and the step summary: at most 100 findings per file, then how many more; no raw control characters. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../server/src/core/diagnostics/types.js';
import { formatGithub, githubStepSummary } from '../../server/src/cli/reporters/github.js';
import { formatJson } from '../../server/src/cli/reporters/json.js';

const at = (file: string, i: number, message = `problem ${i}`): Finding => ({
  code: 'SEG001',
  severity: 'error',
  message,
  file,
  range: { start: { line: i, character: 0, offset: 0 }, end: { line: i, character: 1, offset: 1 } },
});

describe('github output of many findings', () => {
  const findings = [...Array.from({ length: 130 }, (_, i) => at('/ws/noise.segspec', i, `bad byte \u001b[31m\u0000 ${i}`)), at('/ws/ok.segspec', 0)];

  it('annotates the first 100 of a file and adds one notice with the rest', () => {
    const lines = formatGithub(findings, '/ws').trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::error file=noise.segspec'))).toHaveLength(100);
    expect(lines.filter((l) => l.startsWith('::error file=ok.segspec'))).toHaveLength(1);
    const notice = lines.filter((l) => l.startsWith('::notice'));
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatch(/^::notice file=noise\.segspec,title=segspec%3A more findings::…and 30 more in noise\.segspec /);
    expect(lines.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(lines[0]).toMatch(/::bad byte \\x1b\[31m\\x00 0$/);
  });

  it('lists the first 100 of a file in the step summary and says how many more', () => {
    const summary = githubStepSummary(findings, '/ws', 1);
    expect(summary.match(/^\| error \|/gm)).toHaveLength(101);
    expect(summary).toContain('…and 30 more in noise.segspec');
    expect(summary).toContain('131 errors');
    expect(summary).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('JSON keeps every finding (its encoder escapes control characters)', () => {
    const doc = JSON.parse(formatJson(findings, '/ws')) as { findings: Array<{ message: string }> };
    expect(doc.findings).toHaveLength(131);
    expect(doc.findings[0].message).toBe('bad byte \u001b[31m\u0000 0');
  });
});
