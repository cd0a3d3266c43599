/**
 * `segspec discover`: every printed rule is a segment that checks clean, and
 * every number shown (size, share, target count, rate, lift, quality,
 * overlaps) is the engine's own count of the printed rule.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/core/workspace.js';
import { NodeHost } from '../../server/src/node/fs-host.js';
import type { DiscoveryReport } from '../../server/src/core/discover/run.js';
import { ensureBuilt, repoRoot, segspec } from './helpers.js';

type Report = DiscoveryReport;

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'segspec-discover-'));
  cpSync(join(repoRoot, 'samples/b2b-saas/data'), join(dir, 'data'), { recursive: true });
  cpSync(join(repoRoot, 'samples/b2b-saas/data.segspec'), join(dir, 'data.segspec'));
  cpSync(join(repoRoot, 'samples/b2b-saas/segments.segspec'), join(dir, 'segments.segspec'));
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The engine's counts of each candidate's rule, its target members, and its overlaps, from a spec file written like a user's. */
async function engineCounts(report: Report, quality: 'wracc' | 'purer') {
  const lines = [`segment chk_target { from ${report.dataset} where ${report.target} }`];
  const declarations = report.candidates.map((c) => c.declaration);
  report.candidates.forEach((c, i) => {
    lines.push(`segment chk_hit_${i} { from ${report.dataset} where ${c.name} and chk_target }`);
    for (const o of c.overlaps) lines.push(`segment chk_ov_${i}_${o.segment} { from ${report.dataset} where ${c.name} and ${o.segment} }`);
    report.candidates.forEach((d, j) => {
      if (j > i) lines.push(`segment chk_pair_${i}_${j} { from ${report.dataset} where ${c.name} and ${d.name} }`);
    });
  });
  // The declarations as printed in a file of their own (their findings are checked); the counting segments in another.
  const file = join(dir, 'discovered.segspec');
  const checks = join(dir, 'discovered-check.segspec');
  writeFileSync(file, declarations.join('\n'));
  writeFileSync(checks, lines.join('\n'));
  try {
    const analysis = await new Workspace(new NodeHost(), dir).analyze();
    const size = (name: string) => {
      const r = analysis.results.segments.get(name);
      expect(r?.status, `${name}: ${r?.reason ?? ''}`).not.toBe('unavailable');
      return r!.size;
    };
    const findings = analysis.findings.filter((f) => f.file === file && f.severity !== 'info');
    const a = quality === 'wracc' ? 1 : 0.5;
    return { size, findings, a, segments: analysis.results.segments };
  } finally {
    rmSync(file, { force: true });
    rmSync(checks, { force: true });
  }
}

async function discoverJson(args: string[]): Promise<Report> {
  const r = await segspec(['discover', dir, '--format', 'json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

describe('segspec discover', () => {
  for (const [label, args, quality] of [
    ['an expression target, diverse WRAcc', ['--target', 'nps <= 6'], 'wracc'],
    ['a segment target, plain top-K', ['--target', 'revenue_at_risk', '--plain', '--max', '6'], 'wracc'],
    ['an aggregate target, purer, depth 2', ['--target', 'ltv_usd >= p90(ltv_usd)', '--quality', 'purer', '--depth', '2', '--min-size', '3%'], 'purer'],
  ] as const) {
    it(`reports the engine's own numbers for every printed rule: ${label}`, async () => {
      const report = await discoverJson([...args]);
      expect(report.candidates.length).toBeGreaterThan(0);
      const { size, findings, a, segments } = await engineCounts(report, quality);
      expect(findings.map((f) => `${f.code} ${f.message}`)).toEqual([]);
      const N = report.rows;
      const T = size('chk_target');
      expect(report.targetCount).toBe(T);
      expect(report.targetRate).toBeCloseTo(T / N, 12);
      report.candidates.forEach((c, i) => {
        const n = size(c.name);
        const tp = size(`chk_hit_${i}`);
        expect(c.size, c.where).toBe(n);
        expect(c.share).toBeCloseTo(n / N, 12);
        expect(c.targetCount, c.where).toBe(tp);
        expect(c.targetRate).toBeCloseTo(tp / n, 12);
        expect(c.lift).toBeCloseTo(tp / n / (T / N), 10);
        expect(c.quality).toBeCloseTo((n / N) ** a * (tp / n - T / N), 12);
        expect(c.quality).toBeGreaterThan(0);
        // The printed expectations hold today.
        expect(segments.get(c.name)!.status).toBe('ok');
        for (const o of c.overlaps) {
          const both = size(`chk_ov_${i}_${o.segment}`);
          expect(o.count).toBe(both);
          expect(o.jaccard).toBeCloseTo(both / (n + size(o.segment) - both), 12);
        }
      });
      if (!(args as readonly string[]).includes('--plain')) {
        // Diverse: no two proposed rules overlap by more than half (Jaccard).
        report.candidates.forEach((c, i) =>
          report.candidates.forEach((d, j) => {
            if (j <= i) return;
            const both = size(`chk_pair_${i}_${j}`);
            expect(both / (size(c.name) + size(d.name) - both), `${c.where} vs ${d.where}`).toBeLessThanOrEqual(0.5);
          }),
        );
      }
    }, 120_000);
  }

  it('keeps --max, --depth and --min-size', async () => {
    const report = await discoverJson(['--target', 'nps <= 6', '--max', '4', '--depth', '2', '--min-size', '250']);
    expect(report.candidates.length).toBeLessThanOrEqual(4);
    for (const c of report.candidates) {
      expect(c.size).toBeGreaterThanOrEqual(250);
      const fields = new Set(c.where.split(/ and (?![\d-])/).map((clause) => clause.replace(/^not /, '').split(' ')[0]));
      expect(fields.size, c.where).toBeLessThanOrEqual(2);
    }
  }, 60_000);

  it('prints declarations that --write appends to a file that checks clean', async () => {
    const text = await segspec(['discover', dir, '--target', 'promoters', '--max', '3']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^segment \w+ \{$/m);
    expect(text.stdout).toMatch(/expect share\(promoters\) >= [\d.]+%/);
    expect(text.stdout).toMatch(/description "Discovered: [\d,]+ of 5,000 rows/);
    const out = join(dir, 'proposed.segspec');
    writeFileSync(out, '// kept\n');
    const written = await segspec(['discover', dir, '--target', 'promoters', '--max', '3', '--write', out]);
    expect(written.code).toBe(0);
    expect(written.stderr).toMatch(/appended 3 segments/);
    const file = readFileSync(out, 'utf8');
    expect(file.startsWith('// kept\n')).toBe(true);
    expect(file.match(/^segment /gm)?.length).toBe(3);
    const check = await segspec(['check', dir, '--format', 'json']);
    rmSync(out);
    const findings = (JSON.parse(check.stdout) as { findings: Array<{ file: string; code: string }> }).findings.filter((f) => f.file.endsWith('proposed.segspec'));
    expect(findings).toEqual([]);
  }, 60_000);

  it('says clearly when the target does not check', async () => {
    const r = await segspec(['discover', dir, '--target', 'nsp <= 6']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the target does not check: .*nsp/);
    expect(r.stderr).toMatch(/did you mean/);
    const empty = await segspec(['discover', dir, '--target', ' ']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--target expects a segment name or an expression/);
  }, 60_000);
});

describe('discover on values with line breaks and tabs', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'segspec-discover-controls-'));
    const rows = ['id,note,churned'];
    for (let i = 0; i < 400; i++) {
      const note = i % 2 === 0 ? '"two\nlines"' : '"tab\there"';
      rows.push(`u${i},${note},${i % 2 === 0 && i % 10 !== 0 ? 'yes' : 'no'}`);
    }
    writeFileSync(join(work, 'people.csv'), `${rows.join('\n')}\n`);
    writeFileSync(join(work, 'data.segspec'), 'dataset people {\n  source "people.csv"\n  key id\n  fields {\n    id: string\n    note: enum\n    churned: enum\n  }\n}\n');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('prints declarations that parse and check clean when written to a file', async () => {
    const r = await segspec(['discover', work, '--target', 'churned == "yes"', '--max', '3', '--depth', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('note == "two\\nlines"');
    for (const line of r.stdout.split('\n')) expect(line.startsWith('//') || !line.includes('\t')).toBe(true);
    writeFileSync(join(work, 'found.segspec'), r.stdout);
    const check = await segspec(['check', work, '--format', 'json']);
    const findings = (JSON.parse(check.stdout) as { findings: Array<{ code: string; file: string }> }).findings.filter((f) => f.file.endsWith('found.segspec'));
    expect(findings.filter((f) => f.code < 'SEG200')).toEqual([]);
  });
});
