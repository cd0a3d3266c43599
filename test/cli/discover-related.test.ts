/**
 * `segspec discover` on a dataset with related datasets (SPEC §11, §13): the
 * streaming sample's listeners, with their plays (many per listener) and
 * survey answers (one-to-one). Rules may use aggregates and lookups; every
 * printed rule checks clean and every number shown is the engine's own
 * count of the printed rule.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/core/workspace.js';
import { NodeHost } from '../../server/src/node/fs-host.js';
import { ensureBuilt, repoRoot, segspec } from './helpers.js';

interface Report {
  dataset: string;
  target: string;
  rows: number;
  targetCount: number;
  candidates: Array<{ name: string; where: string; declaration: string; size: number; targetCount: number; quality: number; overlaps: Array<{ segment: string; count: number }> }>;
}

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'segspec-discover-related-'));
  cpSync(join(repoRoot, 'samples/streaming'), dir, { recursive: true });
  rmSync(join(dir, 'roadmap.md'), { force: true });
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('segspec discover with related datasets', () => {
  it('proposes rules over plays and survey answers whose numbers are the engine\'s count of the printed rule', async () => {
    const r = await segspec(['discover', dir, '--dataset', 'listeners', '--target', 'concert_tickets_12m >= 2', '--format', 'json', '--max', '6', '--depth', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.candidates.length).toBeGreaterThan(0);
    // Aggregates of the play log take part (and their names are identifiers of their own).
    expect(report.candidates.some((c) => /\b(count|sum|mean|max|exists)\(plays\b/.test(c.where))).toBe(true);
    const file = join(dir, 'discovered.segspec');
    const lines = [`segment chk_target { from listeners where ${report.target} }`];
    report.candidates.forEach((c, i) => {
      lines.push(`segment chk_hit_${i} { from listeners where ${c.name} and chk_target }`);
      for (const o of c.overlaps) lines.push(`segment chk_ov_${i}_${o.segment} { from listeners where ${c.name} and ${o.segment} }`);
    });
    writeFileSync(file, `${report.candidates.map((c) => c.declaration).join('\n')}\n${lines.join('\n')}\n`);
    try {
      const analysis = await new Workspace(new NodeHost(), dir).analyze();
      expect(analysis.findings.filter((f) => f.file === file && f.severity !== 'info').map((f) => `${f.code} ${f.message}`)).toEqual([]);
      const size = (name: string) => {
        const result = analysis.results.segments.get(name);
        expect(result?.status, `${name}: ${result?.reason ?? ''}`).not.toBe('unavailable');
        return result!.size;
      };
      const N = report.rows;
      const T = size('chk_target');
      expect(report.targetCount).toBe(T);
      report.candidates.forEach((c, i) => {
        const n = size(c.name);
        const tp = size(`chk_hit_${i}`);
        expect(c.size, c.where).toBe(n);
        expect(c.targetCount, c.where).toBe(tp);
        expect(c.quality).toBeCloseTo((n / N) * (tp / n - T / N), 12);
        expect(analysis.results.segments.get(c.name)!.status, c.where).toBe('ok');
        for (const o of c.overlaps) expect(o.count, `${c.name} and ${o.segment}`).toBe(size(`chk_ov_${i}_${o.segment}`));
      });
    } finally {
      rmSync(file, { force: true });
    }
  }, 180_000);

  it('leaves out the related dataset the target reads', async () => {
    const r = await segspec(['discover', dir, '--dataset', 'listeners', '--target', 'survey.nps <= 6', '--format', 'json', '--max', '4']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.candidates.length).toBeGreaterThan(0);
    for (const c of report.candidates) expect(c.where).not.toMatch(/survey/);
  }, 180_000);
});
