/**
 * `segspec discover` without `--target`: every printed rule is a segment
 * that checks clean, every number shown (size, share, overlaps, the set's
 * coverage and pairwise Jaccard) is the engine's own count of the printed
 * rules, the output is the same on every run, and a dataset with nothing to
 * tell rows apart gets a clear message.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/core/workspace.js';
import { NodeHost } from '../../server/src/node/fs-host.js';
import { ensureBuilt, repoRoot, segspec } from './helpers.js';

interface Candidate {
  name: string;
  where: string;
  declaration: string;
  size: number;
  share: number;
  cluster: number;
  clusterSize: number;
  inCluster: number;
  precision: number;
  recall: number;
  f1: number;
  overlaps: Array<{ segment: string; count: number; jaccard: number }>;
}
interface Report {
  dataset: string;
  target: null;
  rows: number;
  k: number;
  kChoice: { method: string };
  coverage: number;
  meanJaccard: number;
  maxJaccard: number;
  clusters: Array<{ cluster: number; size: number; rule: string | null; note: string | null }>;
  candidates: Candidate[];
}

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'segspec-discover-untargeted-'));
  cpSync(join(repoRoot, 'samples/b2b-saas/data'), join(dir, 'data'), { recursive: true });
  cpSync(join(repoRoot, 'samples/b2b-saas/data.segspec'), join(dir, 'data.segspec'));
  cpSync(join(repoRoot, 'samples/b2b-saas/segments.segspec'), join(dir, 'segments.segspec'));
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('segspec discover without --target', () => {
  it("reports the engine's own numbers for every printed rule and for the set", async () => {
    const r = await segspec(['discover', dir, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.target).toBeNull();
    expect(report.kChoice.method).toBe('silhouette');
    expect(report.candidates.length).toBeGreaterThan(1);
    const file = join(dir, 'discovered.segspec');
    const checks = join(dir, 'discovered-check.segspec');
    const lines: string[] = [`segment chk_any { from ${report.dataset} where ${report.candidates.map((c) => c.name).join(' or ')} }`];
    report.candidates.forEach((c, i) => {
      for (const o of c.overlaps) lines.push(`segment chk_ov_${i}_${o.segment} { from ${report.dataset} where ${c.name} and ${o.segment} }`);
      report.candidates.forEach((d, j) => {
        if (j > i) lines.push(`segment chk_pair_${i}_${j} { from ${report.dataset} where ${c.name} and ${d.name} }`);
      });
    });
    writeFileSync(file, report.candidates.map((c) => c.declaration).join('\n'));
    writeFileSync(checks, lines.join('\n'));
    try {
      const analysis = await new Workspace(new NodeHost(), dir).analyze();
      const size = (name: string) => {
        const s = analysis.results.segments.get(name);
        expect(s?.status, `${name}: ${s?.reason ?? ''}`).not.toBe('unavailable');
        return s!.size!;
      };
      expect(analysis.findings.filter((f) => f.file === file && f.severity !== 'info').map((f) => `${f.code} ${f.message}`)).toEqual([]);
      const N = report.rows;
      const jaccards: number[] = [];
      report.candidates.forEach((c, i) => {
        const n = size(c.name);
        expect(c.size, c.where).toBe(n);
        expect(c.share).toBeCloseTo(n / N, 12);
        expect(analysis.results.segments.get(c.name)!.status).toBe('ok'); // the printed expect size holds today
        expect(c.declaration).not.toMatch(/expect share/);
        expect(c.precision).toBeCloseTo(c.inCluster / c.size, 12);
        expect(c.recall).toBeCloseTo(c.inCluster / c.clusterSize, 12);
        expect(c.f1).toBeCloseTo((2 * c.inCluster) / (c.size + c.clusterSize), 12);
        expect(report.clusters[c.cluster - 1]).toMatchObject({ size: c.clusterSize, rule: c.name });
        for (const o of c.overlaps) {
          const both = size(`chk_ov_${i}_${o.segment}`);
          expect(o.count).toBe(both);
          expect(o.jaccard).toBeCloseTo(both / (n + size(o.segment) - both), 12);
          expect(o.jaccard).toBeLessThanOrEqual(0.5);
        }
        report.candidates.forEach((d, j) => {
          if (j <= i) return;
          const both = size(`chk_pair_${i}_${j}`);
          jaccards.push(both / (n + size(d.name) - both));
        });
      });
      expect(report.coverage).toBeCloseTo(size('chk_any') / N, 12);
      expect(report.maxJaccard).toBeCloseTo(Math.max(0, ...jaccards), 12);
      expect(report.meanJaccard).toBeCloseTo(jaccards.length ? jaccards.reduce((s, x) => s + x, 0) / jaccards.length : 0, 12);
      expect(report.maxJaccard).toBeLessThanOrEqual(0.5);
      expect(report.clusters.reduce((s, c) => s + c.size, 0)).toBe(N);
    } finally {
      rmSync(file, { force: true });
      rmSync(checks, { force: true });
    }
  }, 120_000);

  it('prints the same declarations on every run, which --write appends to a file that checks clean', async () => {
    const first = await segspec(['discover', dir, '--clusters', '4', '--depth', '2']);
    const second = await segspec(['discover', dir, '--clusters', '4', '--depth', '2']);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout).toMatch(/^\/\/ segspec discover: no target, accounts: 5,000 rows; 4 clusters \(fixed\)/);
    expect(first.stdout).toMatch(/^\/\/ set: \d+ rules? cover [\d.]+% of rows; pairwise Jaccard mean [\d.]+, max [\d.]+$/m);
    expect(first.stdout).toMatch(/^\/\/ 1\. size [\d,]+ \([\d.]+%\) · cluster \d: [\d,]+ rows · fidelity F1 [\d.]+ \(precision [\d.]+, recall [\d.]+\)/m);
    expect(first.stdout).not.toMatch(/expect share/);
    const out = join(dir, 'proposed.segspec');
    writeFileSync(out, '// kept\n');
    const written = await segspec(['discover', dir, '--clusters', '4', '--depth', '2', '--write', out]);
    expect(written.code).toBe(0);
    const count = (first.stdout.match(/^segment /gm) ?? []).length;
    expect(count).toBeGreaterThan(0);
    expect(written.stderr).toMatch(new RegExp(`appended ${count} segments?`));
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('// kept\n')).toBe(true);
    const check = await segspec(['check', dir, '--format', 'json']);
    rmSync(out);
    const findings = (JSON.parse(check.stdout) as { findings: Array<{ file: string; code: string }> }).findings.filter((f) => f.file.endsWith('proposed.segspec'));
    expect(findings).toEqual([]);
  }, 120_000);

  it('says clearly when no field can tell rows apart, and that --quality needs a target', async () => {
    const work = mkdtempSync(join(tmpdir(), 'segspec-discover-flat-'));
    try {
      writeFileSync(join(work, 'people.csv'), ['id,team,note', ...Array.from({ length: 50 }, (_, i) => `u${i},core,note ${i}`)].join('\n') + '\n');
      writeFileSync(join(work, 'data.segspec'), 'dataset people {\n  source "people.csv"\n  key id\n  fields {\n    id: string\n    team: enum\n    note: string\n  }\n}\n');
      const r = await segspec(['discover', work]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot discover segments in people: no field of the dataset can tell rows apart/);
      const q = await segspec(['discover', work, '--quality', 'purer']);
      expect(q.code).toBe(2);
      expect(q.stderr).toMatch(/--quality scores rules against a target/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 60_000);
});
