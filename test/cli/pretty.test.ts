import { describe, expect, it } from 'vitest';
import type { Finding } from '../../server/src/core/diagnostics/types.js';
import { makeColors } from '../../server/src/cli/colors.js';
import { codeFrame, formatPretty } from '../../server/src/cli/reporters/pretty.js';

function finding(line: number, start: number, endLine: number, end: number, severity: Finding['severity'] = 'error'): Finding {
  const pos = (l: number, c: number) => ({ line: l, character: c, offset: 0 });
  return { code: 'SEG999', severity, message: 'something is off', file: '/ws/a.segspec', range: { start: pos(line, start), end: pos(endLine, end) } };
}

const plain = makeColors(false);

describe('pretty code frames', () => {
  it('puts the caret under the range, keeping tabs so that it lines up', () => {
    const text = 'segment x {\n\twhere\tagee < 3\n}\n';
    const frame = codeFrame(finding(1, 7, 1, 11), text, plain)!.split('\n');
    const source = frame[0].slice(frame[0].indexOf('| ') + 2);
    const carets = frame[1].slice(frame[1].indexOf('| ') + 2);
    expect(source).toBe('\twhere\tagee < 3');
    expect(carets).toBe('\t     \t^^^^');
  });

  it('underlines to the end of the first line for a range over several lines, and one caret for an empty range', () => {
    const text = 'where a and\n  b\n';
    expect(codeFrame(finding(0, 6, 1, 3), text, plain)!.split('\n')[1]).toMatch(/\| {7}\^{5}$/);
    expect(codeFrame(finding(0, 11, 0, 11), text, plain)!.split('\n')[1]).toMatch(/\| {12}\^$/);
    expect(codeFrame(finding(5, 0, 5, 1), text, plain)).toBeUndefined();
  });

  it('prints one header per finding and a summary that counts by severity', () => {
    const out = formatPretty([finding(0, 0, 0, 5), finding(0, 0, 0, 5, 'warning')], {
      cwd: '/ws',
      colors: plain,
      sourceOf: () => 'where x\n',
      workspaceCount: 1,
      fileCount: 1,
      quiet: false,
    });
    expect(out).toMatch(/^a\.segspec:1:1 error SEG999 something is off$/m);
    expect(out).toMatch(/^a\.segspec:1:1 warning SEG999 something is off$/m);
    expect(out.trimEnd().split('\n').at(-1)).toBe('✖ 1 error, 1 warning, 0 infos (1 file in 1 workspace)');
  });
});
