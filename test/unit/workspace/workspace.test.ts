import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../server/src/core/workspace.js';
import { MemoryHost } from './memory-host.js';

const csv = ['user_id,age,plan,job', 'u1,19,free,student', 'u2,34,pro,designer', 'u3,41,team,developer', 'u4,,free,designer'].join('\n');

const spec = `dataset users {
  source "users.csv"
  key user_id
  as of 2026-06-30
  fields { age: integer? plan: enum("free", "pro", "team") }
}
segment young "Young" { kind demographic where age < 25 }
segment designers { kind behavioral where job == "designer" expect size >= 10% }
`;

function workspace(extra: Record<string, string> = {}) {
  const host = new MemoryHost({ '/ws/users.csv': csv, '/ws/spec.segspec': spec, ...extra });
  return { host, ws: new Workspace(host, '/ws') };
}

describe('Workspace', () => {
  it('parses, loads the data and evaluates segments in one call', async () => {
    const { ws } = workspace();
    const analysis = await ws.analyze();
    expect(analysis.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(analysis.results.segments.get('young')?.size).toBe(1);
    expect(analysis.results.segments.get('designers')?.size).toBe(2);
    expect(analysis.results.segments.get('designers')?.share).toBeCloseTo(0.5);
  });

  it('uses the columns of the data to report unknown fields with did-you-mean', async () => {
    const { ws } = workspace({ '/ws/more.segspec': 'segment x { where jbo == "designer" }' });
    const finding = (await ws.analyze()).findings.find((f) => f.code === 'SEG004');
    expect(finding?.file).toBe('/ws/more.segspec');
    expect(finding?.message).toMatch(/did you mean `job`/);
  });

  it('an open document overrides the file on disk, and closing it restores the disk version', async () => {
    const { ws } = workspace();
    ws.setOverlay('/ws/spec.segspec', spec.replace('age < 25', 'age < 50'), 2);
    expect((await ws.analyze()).results.segments.get('young')?.size).toBe(3);
    ws.removeOverlay('/ws/spec.segspec');
    expect((await ws.analyze()).results.segments.get('young')?.size).toBe(1);
  });

  it('re-analysing after an edit to one file parses only that file and reads the data once', async () => {
    const { ws, host } = workspace({ '/ws/other.segspec': 'segment old { where age > 40 }' });
    await ws.analyze();
    const first = await ws.parsedFile('/ws/other.segspec');
    host.reads = [];
    ws.setOverlay('/ws/spec.segspec', spec + '\nsegment mid { where age between 30 and 40 }', 1);
    const analysis = await ws.analyze();
    expect(await ws.parsedFile('/ws/other.segspec')).toBe(first);
    expect(host.reads).not.toContain('/ws/users.csv');
    expect(analysis.results.segments.get('mid')?.size).toBe(1);
  });

  it('reloads the data when the file changes on disk', async () => {
    const { ws, host } = workspace();
    expect((await ws.analyze()).results.segments.get('young')?.size).toBe(1);
    host.write('/ws/users.csv', `${csv}\nu5,20,pro,writer`);
    ws.invalidate(['/ws/users.csv']);
    expect((await ws.analyze()).results.segments.get('young')?.size).toBe(2);
  });

  it('checks Markdown references against the segments', async () => {
    const { ws } = workspace({ '/ws/roadmap.md': '---\nsegments: [young]\n---\nWe build it for @segment(yung) and @segment(designers).' });
    const findings = (await ws.analyze()).findings.filter((f) => f.file === '/ws/roadmap.md');
    expect(findings).toHaveLength(1);
    expect(findings[0].code).toBe('SEG300');
    expect(findings[0].message).toMatch(/did you mean `young`/);
  });

  it('reports a data path that leaves the workspace instead of reading it', async () => {
    const { ws, host } = workspace({ '/ws/spec.segspec': spec.replace('"users.csv"', '"../secret.csv"'), '/secret.csv': 'a\n1' });
    const findings = (await ws.analyze()).findings;
    expect(findings.some((f) => f.severity === 'error' && /outside|workspace/i.test(f.message))).toBe(true);
    expect(host.reads).not.toContain('/secret.csv');
  });

  it('checks expect disjoint against a segment defined later in the files', async () => {
    const { ws } = workspace({ '/ws/a.segspec': 'segment first { where age < 25 expect disjoint zlast }', '/ws/z.segspec': 'segment zlast { where age > 40 }' });
    const analysis = await ws.analyze();
    expect(analysis.findings.filter((f) => f.file.endsWith('a.segspec'))).toEqual([]);
    expect(analysis.results.segments.get('first')?.expectations.map((e) => e.passed)).toEqual([true]);
  });
});
