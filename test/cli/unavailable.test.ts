/**
 * A number that depends on something broken is shown as unavailable, with the
 * reason, never as "ok" or "holds" (issue 11): partitions over a member with
 * an error, segments that use a segment with an error, the expectations that
 * name them; a contradiction is a valid rule with no members (empty). Checked
 * in `stats` (table, JSON, CSV), `check` and `report`, on the embedded engine,
 * DuckDB and PostgreSQL.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRunner } from '../../server/src/sqlengines/postgres.js';
import { ensureBuilt, segspec } from './helpers.js';
import { freshPostgresDatabase } from './postgres-database.js';

const CSV = ['id,age,score', '1,10,5', '2,30,50', '3,50,90', '4,95,20', '5,40,70', '6,70,45', ''].join('\n');

/** Segments and partitions whose answers depend on rules with errors. */
function spec(table: string): string {
  return `dataset people {
  source "people.csv"
  table "${table}"
  key id
  fields {
    id: integer
    age: integer
    score: integer
  }
}
segment never { where age > 90 and age < 20 }
segment young { where age <= 30 }
segment older { where age > 30 and agee < 90 }
partition by_age {
  segments [never, young, older]
  exhaustive
}
partition young_or_never {
  segments [young, never]
  exhaustive
}
segment high { where score > 40 }
segment mid { where score > 10 and scor < 80 }
segment high_not_mid {
  where high and not mid
  expect size >= 1
}
segment via_chain { where high_not_mid and age > 1 }
persona pat {
  segment high_not_mid
  profile { score: 90, age: 30 }
}
persona nia {
  segment via_chain
  profile { score: 5, age: 30 }
}
segment cut_short { where score > 10 and (score < 80 }
segment uses_cut { where high and not cut_short }
segment compares {
  where age > 1
  expect disjoint mid
  expect subset of high_not_mid
  expect overlap(mid) >= 10%
  expect size >= 1
}
`;
}

const engines: Array<{ name: string; args: () => string[] }> = [
  { name: 'embedded', args: () => [] },
  { name: 'duckdb', args: () => ['--engine', 'duckdb'] },
];

const pgUrl = process.env.SEGSPEC_PG_URL;
const pgDatabase = 'segspec_trust_unavailable';
let pgTarget = '';
if (pgUrl) engines.push({ name: 'postgres', args: () => ['--engine', 'postgres', '--db', pgTarget] });

let work: string;
beforeAll(async () => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'segspec-unavailable-'));
  writeFileSync(join(work, 'people.csv'), CSV);
  writeFileSync(join(work, 'spec.segspec'), spec('people'));
  if (pgUrl) {
    pgTarget = await freshPostgresDatabase(pgUrl, pgDatabase);
    const runner = await PostgresRunner.connect(pgTarget);
    try {
      const fields = ['id', 'age', 'score'].map((name) => ({ name, type: 'integer' as const }));
      await runner.loadSample('people', { path: join(work, 'people.csv'), fields });
    } finally {
      await runner.close();
    }
  }
}, 120_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

interface StatsJson {
  segments: Array<{ name: string; size: number | null; share: number | null; status: string; reason?: string }>;
  partitions: Array<{ name: string; ok: boolean | null; gaps: number | null; reason?: string }>;
}

describe.each(engines)('numbers that depend on an error ($name)', ({ name: engine, args }) => {
  it('stats --format json: unavailable segments and partitions have no size and say why', async () => {
    const r = await segspec(['stats', work, '--format', 'json', ...args()]);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as StatsJson;
    const seg = (name: string) => doc.segments.find((s) => s.name === name)!;
    // A contradiction is a valid rule with no members.
    expect(seg('never')).toMatchObject({ size: 0, share: 0, status: 'empty' });
    expect(seg('young')).toMatchObject({ size: 2, status: 'ok' });
    expect(seg('high')).toMatchObject({ size: 4, status: 'ok' });
    for (const name of ['older', 'mid', 'cut_short']) {
      expect(seg(name)).toMatchObject({ size: null, share: null, status: 'unavailable' });
      expect(seg(name).reason).toMatch(/its rule has an error \(SEG00[14]\)/);
    }
    expect(seg('high_not_mid')).toMatchObject({ size: null, share: null, status: 'unavailable', reason: 'depends on `mid`, which has an error' });
    expect(seg('via_chain')).toMatchObject({ size: null, status: 'unavailable' });
    expect(seg('via_chain').reason).toBe('depends on `high_not_mid`, which depends on `mid`, which has an error');
    expect(seg('uses_cut')).toMatchObject({ size: null, status: 'unavailable', reason: 'depends on `cut_short`, which has an error' });
    expect(seg('compares')).toMatchObject({ size: 6, status: 'ok' });

    const part = (name: string) => doc.partitions.find((p) => p.name === name)!;
    expect(part('by_age')).toMatchObject({ ok: null, gaps: null });
    expect(part('by_age').reason).toMatch(/^`older` is unavailable: its rule has an error \(SEG004\)/);
    // With the empty contradiction as a member, the partition is judged: 4 rows are in none.
    expect(part('young_or_never')).toMatchObject({ ok: false, gaps: 4 });
  });

  it('stats table: no number and no "holds" for what could not be measured', async () => {
    const r = await segspec(['stats', work, ...args()], { env: { NO_COLOR: '1' } });
    const row = (name: string) => r.stdout.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';
    expect(row('high_not_mid')).toMatch(/^high_not_mid\s+people\s+–\s+–\s+unavailable\s+depends on `mid`, which has an error$/);
    expect(row('never')).toMatch(/^never\s+people\s+0\s+0\.0%\s+empty/);
    expect(r.stdout).toMatch(/partition by_age \[never, young, older\] \(exhaustive\): unavailable \(`older` is unavailable: its rule has an error/);
    expect(r.stdout).not.toMatch(/partition by_age[^\n]*holds/);
    expect(r.stdout).toMatch(/partition young_or_never \[young, never\] \(exhaustive\): fails, 4 rows in none/);
  });

  it('check: one finding at each reference to a segment with an error; expectations naming it are not passed', async () => {
    const r = await segspec(['check', work, '--format', 'json', ...args()]);
    const doc = JSON.parse(r.stdout) as { findings: Array<{ code: string; severity: string; message: string; range: { start: { line: number } } }> };
    const dependency = doc.findings.filter((f) => f.code === 'SEG031');
    expect(dependency.map((f) => f.message).sort()).toEqual([
      'high_not_mid depends on `mid`, which has an error: high_not_mid has no size or checks until it is fixed',
      'partition by_age cannot be checked: `older` has an error',
      'uses_cut depends on `cut_short`, which has an error: uses_cut has no size or checks until it is fixed',
    ]);
    expect(dependency.every((f) => f.severity === 'warning')).toBe(true);
    // The contradiction is a warning, not an error.
    expect(doc.findings.find((f) => f.code === 'SEG015')?.severity).toBe('warning');
    // Nothing measured on the broken rules: no "always holds" clause, no size expectation judged.
    expect(doc.findings.filter((f) => f.message.startsWith('high_not_mid:') || f.code === 'SEG211')).toEqual([]);
    // Expectations naming a broken segment cannot be checked (not passed, not failed).
    const compares = doc.findings.filter((f) => f.message.startsWith('compares:'));
    expect(compares.map((f) => f.code)).toEqual(['SEG214', 'SEG214', 'SEG214']);
    expect(compares.map((f) => f.message)).toEqual([
      expect.stringMatching(/^compares: cannot compare with mid: its rule has an error/),
      expect.stringMatching(/^compares: cannot compare with high_not_mid: depends on `mid`, which has an error/),
      expect.stringMatching(/^compares: cannot compare with mid: its rule has an error/),
    ]);
    expect(doc.findings.some((f) => f.code === 'SEG213' && f.message.startsWith('by_age'))).toBe(false);
    // A persona of an unavailable segment is not judged either way.
    expect(doc.findings.filter((f) => f.code === 'SEG209')).toEqual([]);
  });

  it('report: the unavailable segment and partition say so, with the reason', async () => {
    const out = join(work, `report-${engine}.html`);
    const r = await segspec(['report', work, '--out', out, ...args()]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<code>high_not_mid<\/code>.*?<td class="num">–<\/td><td class="num">–<\/td><td><span class="status unavailable">unavailable<\/span> <span class="detail">depends on `mid`, which has an error<\/span>/);
    expect(html).toMatch(/<code>by_age<\/code>.*?<span class="status unavailable">unavailable<\/span>/);
    expect(html).not.toMatch(/<code>by_age<\/code>[^\n]*>holds</);
    expect(html).toMatch(/<li class="unavailable"><span class="mark">\?<\/span> <code>expect size &gt;= 1<\/code> <span class="detail">unavailable: depends on `mid`, which has an error<\/span><\/li>/);
    // A persona of an unavailable segment: no "profile is a member" (nor "not a member").
    const card = /<article class="card persona" id="persona-pat">[\s\S]*?<\/article>/.exec(html)?.[0] ?? '';
    expect(card).toContain('high_not_mid');
    expect(card).not.toMatch(/profile is (not )?a member/);
    // Charts carry measured segments only.
    const data = JSON.parse(/<script type="application\/json" id="segspec-data">([^<]*)<\/script>/.exec(html)![1]) as { segments: Array<{ name: string }> };
    expect(data.segments.map((s) => s.name)).not.toContain('high_not_mid');
    expect(data.segments.map((s) => s.name)).toContain('never');
  });
});
