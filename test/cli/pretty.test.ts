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

describe('text from specs and data on a terminal', () => {
  const hostile: Finding = {
    code: 'SEG001',
    severity: 'error',
    message: 'unexpected character `\u001b]0;pwned\u0007`',
    file: '/ws/a.segspec',
    range: { start: { line: 0, character: 8, offset: 8 }, end: { line: 0, character: 14, offset: 14 } },
  };
  const source = 'where x \u001b[2J\u0000y == 1\n';

  it('shows control characters escaped in the message and the code frame, with the carets under them', () => {
    const out = formatPretty([hostile], { cwd: '/ws', colors: plain, sourceOf: () => source, workspaceCount: 1, fileCount: 1, quiet: false });
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('unexpected character `\\x1b]0;pwned\\x07`');
    const [line, carets] = codeFrame(hostile, source, plain)!.split('\n').map((l) => l.slice(l.indexOf('| ') + 2));
    expect(line).toBe('where x \\x1b[2J\\x00y == 1');
    expect(carets).toBe(`${' '.repeat(8)}${'^'.repeat('\\x1b[2J\\x00y'.length)}`);
  });

  it('shows the first 100 findings of a file, then how many more; the summary counts them all', () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ ...finding(0, 0, 0, 1), message: `problem ${i}` }));
    const other = { ...finding(0, 0, 0, 1), file: '/ws/b.segspec', message: 'in another file' };
    const out = formatPretty([...many, other], { cwd: '/ws', colors: plain, sourceOf: () => 'where x\n', workspaceCount: 1, fileCount: 2, quiet: false });
    expect(out.match(/^a\.segspec:1:1 error/gm)).toHaveLength(100);
    expect(out).toContain('problem 99');
    expect(out).not.toContain('problem 100');
    expect(out).toMatch(/^…and 150 more in a\.segspec /m);
    expect(out).toMatch(/^b\.segspec:1:1 error SEG999 in another file$/m);
    expect(out.indexOf('…and 150 more')).toBeLessThan(out.indexOf('in another file'));
    expect(out.trimEnd().split('\n').at(-1)).toBe('✖ 251 errors, 0 warnings, 0 infos (2 files in 1 workspace)');
  });
});
