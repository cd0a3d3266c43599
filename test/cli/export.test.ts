import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot, segspec } from './helpers.js';

const productivity = join(repoRoot, 'samples/productivity');
let out: string;

beforeAll(() => {
  ensureBuilt();
  out = mkdtempSync(join(tmpdir(), 'segspec-export-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('segspec export', { timeout: 120_000 }, () => {
  it('writes the system’s own document, keyed by the segment or --flag, with the --context names', async () => {
    const file = join(out, 'gb.json');
    const r = await segspec(['export', 'europe', '--to', 'growthbook', '--context', 'countryCode=country', '--out', file, productivity]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote .*gb\.json: GrowthBook flag 'europe' on for the members of europe/);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.features.europe.defaultValue).toBe(false);
    expect(doc.features.europe.rules[0].condition).toEqual({ countryCode: { $exists: true, $in: ['DE', 'FR', 'NL', 'ES', 'IT', 'PL', 'SE', 'GB'] } });

    const ld = await segspec(['export', 'europe', '--to', 'launchdarkly', '--flag', 'eu-launch', '--rollout', '12.5%', productivity]);
    expect(ld.code).toBe(0);
    const flag = JSON.parse(ld.stdout).flags['eu-launch'];
    expect(flag.rules[0].rollout.variations).toEqual([
      { variation: 1, weight: 12_500 },
      { variation: 0, weight: 87_500 },
    ]);
  });

  it('warns that relative dates are frozen at the as-of date', async () => {
    const r = await segspec(['export', 'recently_active', '--to', 'flagd', productivity]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^warning: .*segments\.segspec:\d+:\d+: 'within last 30 days' is written as the dates it means on the as-of date 2026-06-30/m);
    expect(JSON.stringify(JSON.parse(r.stdout).flags.recently_active.targeting)).toContain('2026-06-01T00:00:00.000Z');
  });

  it('warns that a dataset-wide aggregate is frozen at its value on the sample data, and writes that value', async () => {
    const b2b = join(repoRoot, 'samples/b2b-saas');
    // p90 over the non-missing values, interpolated linearly (SPEC §5.2), computed here from the CSV.
    const [header, ...lines] = readFileSync(join(b2b, 'data/accounts.csv'), 'utf8').trim().split('\n');
    const column = header.split(',').indexOf('ltv_usd');
    const values = lines.map((l) => l.split(',')[column]).filter((v) => v !== '').map(Number).sort((a, b) => a - b);
    const at = 0.9 * (values.length - 1);
    const p90 = values[Math.floor(at)] + (values[Math.ceil(at)] - values[Math.floor(at)]) * (at - Math.floor(at));
    const r = await segspec(['export', 'top_decile', '--to', 'launchdarkly', b2b]);
    expect(r.code, r.stderr).toBe(0);
    const warning = /^warning: .*segments\.segspec:\d+:\d+: p90\(…\) is written as its value on the sample data as of [\d-]+ \(([\d.,]+)\): the flag does not follow the data$/m.exec(r.stderr);
    expect(warning, r.stderr).not.toBeNull();
    const clause = JSON.parse(r.stdout).flags.top_decile.rules[0].clauses.find((c: { attribute: string }) => c.attribute === 'ltv_usd');
    expect(clause.op).toBe('greaterThanOrEqual');
    expect(clause.values[0]).toBeCloseTo(p90, 6);
    expect(Number(warning![1].replace(/,/g, ''))).toBeCloseTo(p90, 0);
  });

  it('refuses what the system cannot express, at its place in the spec, and bad options', async () => {
    const r = await segspec(['export', 'quiet_payers', '--to', 'growthbook', productivity]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot export 'quiet_payers' to GrowthBook: .*segments\.segspec:\d+:\d+: GrowthBook cannot compute arithmetic \('\/'\)/);

    const unknown = await segspec(['export', 'europe', '--to', 'optimizely', productivity]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--to must be one of growthbook, unleash, flagd, launchdarkly, posthog/);
    const rollout = await segspec(['export', 'europe', '--to', 'unleash', '--rollout', '150%', productivity]);
    expect(rollout.code).toBe(2);
    expect(rollout.stderr).toMatch(/--rollout expects a percentage between 0% and 100%/);
    const whole = await segspec(['export', 'europe', '--to', 'unleash', '--rollout', '12.5%', productivity]);
    expect(whole.code).toBe(2);
    expect(whole.stderr).toMatch(/Unleash rolls out in whole percents/);
    const field = await segspec(['export', 'europe', '--to', 'flagd', '--context', 'cc=contry', productivity]);
    expect(field.code).toBe(2);
    expect(field.stderr).toMatch(/dataset 'users' has no field 'contry'/);
  });
});

describe('segspec rollout', { timeout: 120_000 }, () => {
  it('counts who gets the flag per segment and persona, with sample keys, as a table and as JSON', async () => {
    const json = await segspec(['rollout', 'students', '--system', 'growthbook', '--flag', 'smart-reschedule', '--percent', '50%', '--format', 'json', productivity]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    const stats = JSON.parse((await segspec(['stats', productivity, '--format', 'json'])).stdout);
    const studentsSize = stats.segments.find((s: { name: string }) => s.name === 'students').size;
    expect(report.target.members).toBe(studentsSize);
    expect(report.target.getIt).toBeGreaterThan(studentsSize * 0.4);
    expect(report.target.getIt).toBeLessThan(studentsSize * 0.6);
    expect(report.sampleKeys).toHaveLength(10);
    // Segments disjoint from students get nobody; every persona of students shows the same numbers.
    const others = report.segments.filter((s: { name: string; getIt: number }) => s.name !== 'students');
    expect(others.length).toBeGreaterThan(5);
    for (const p of report.personas.filter((x: { segment: string }) => x.segment === 'students')) expect(p.getIt).toBe(report.target.getIt);

    const table = await segspec(['rollout', 'students', '--system', 'launchdarkly', '--percent', '12.5%', '--salt', 'pepper', productivity]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^LaunchDarkly flag 'students' at 12\.5% of students, salt pepper\n\d[\d,]* of [\d,]+ members get it \(\d+\.\d%\)/);
    expect(table.stdout).toMatch(/^segment +members +get it +share$/m);
    expect(table.stdout).toMatch(/^sample keys: u\d+/m);

    const bad = await segspec(['rollout', 'students', '--system', 'unleash', '--percent', '12.5', productivity]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unleash rolls out in whole percents/);
  });
});

describe('segspec import', { timeout: 120_000 }, () => {
  it('writes the flag’s targeting as segments and a flag declaration whose source is relative to the written file', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const dir = join(out, 'import');
    mkdirSync(join(dir, 'flags'), { recursive: true });
    writeFileSync(
      join(dir, 'flags/growthbook.json'),
      JSON.stringify({ features: { 'smart-reschedule': { defaultValue: false, rules: [{ condition: { age: { $lt: 10 } }, force: true }] }, other: {} } }),
    );
    const r = await segspec(['import', 'flags/growthbook.json', '--from', 'growthbook', '--flag', 'smart-reschedule', '--out', 'flags.segspec'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote flags\.segspec: segment smart_reschedule_targeting and flag smart_reschedule/);
    const text = readFileSync(join(dir, 'flags.segspec'), 'utf8');
    expect(text).toMatch(/where age is missing or age < 10/);
    expect(text).toMatch(/source "flags\/growthbook\.json"/);

    const several = await segspec(['import', 'flags/growthbook.json', '--from', 'growthbook'], { cwd: dir });
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/name one with --flag \(smart-reschedule, other\)/);
    const unleash = await segspec(['import', 'flags/growthbook.json', '--from', 'unleash'], { cwd: dir });
    expect(unleash.code).toBe(2);
    expect(unleash.stderr).toMatch(/\(at \/features\): Unleash: the file has no `features` list \(a client API response\)/);
  });
});
