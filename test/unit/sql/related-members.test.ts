/**
 * Related datasets (SPEC §11) in SQL on messy data: every aggregate and
 * lookup of test/sql/fixtures/related selects the listeners worked out by
 * hand from SPEC §11 (orphan plays, plays without a listener, plays with
 * missing fields, date-times with offsets on both sides of the window edges,
 * listeners without plays or answers, a listener without an id) — on DuckDB
 * from the files, on PostgreSQL from tables loaded from them, and through the
 * checks' own statements (`analyzeOnSql`: sizes, unknowns, example keys).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Analysis, Workspace } from '../../../server/src/core/workspace.js';
import { NodeHost } from '../../../server/src/node/fs-host.js';
import { analyzeOnSql } from '../../../server/src/sqlengines/analyze.js';
import { DuckDbRunner } from '../../../server/src/sqlengines/duckdb.js';
import { PostgresRunner } from '../../../server/src/sqlengines/postgres.js';
import { datasetFields, datasetSourcePath } from '../../../server/src/sqlengines/dataset-source.js';
import type { SegmentOutcome } from '../../../server/src/sqlengines/segments.js';
import { loadModelDataset, runWorkspaceOnDuckDb, runWorkspaceOnPostgres } from '../../../server/src/sqlengines/workspace.js';
import { freshPostgresDatabase } from '../../cli/postgres-database.js';

const fixture = fileURLToPath(new URL('../../sql/fixtures/related/', import.meta.url));
/** The listener without an id is a member of some segments: its key reads as 'null'. */
const NO_ID = 'null';

/** Worked out by hand from the data files and SPEC §11 (as of 2026-06-30: `now` is 2026-07-01T00:00Z). */
const EXPECTED: Record<string, string[]> = {
  // L1 has 4 plays, L2 5 (one without a date); orphans count for nobody.
  heavy: ['L1', 'L2'],
  // L2's jazz plays lie just outside the week: 23:59:59Z the day before it starts, 01:59:59+02:00 the same instant, and 23:30-01:00 on the 30th is after now.
  recent_jazz: ['L1'],
  // L2's last play is after now; L3's 01:00+02:00 on July 1st is 23:00Z on June 30th.
  recent_any: ['L1', 'L3', 'L6'],
  // L1's 2026-05-31T23:00-02:00 is June 1st in UTC, but its March play counts; L5's first play is June 1st 00:00Z (not before).
  early: ['L1', 'L4'],
  // Missing genres are not counted.
  explorers: ['L1'],
  // L2: 100000 + 150000 + 90000 (a missing ms_played adds nothing) = 340000 ≥ 300000.
  discover_fans: ['L1', 'L2', 'L3'],
  // A sum with nothing to add is 0: every ms_played of L5 is missing, L7 and the listener without an id have no plays.
  silent: ['L4', 'L5', 'L7', NO_ID],
  long_mean: ['L1', 'L3'],
  long_median: ['L1', 'L3'],
  // p90 over the plays not skipped (a missing `skipped` is not "not skipped"); max missing without values.
  long_tail: ['L1', 'L3', 'L5', 'L7', NO_ID],
  // L5's only play has `skipped` missing: it is not a skipped play.
  never_skips: ['L3', 'L5', 'L6'],
  no_plays: ['L7', NO_ID],
  unhappy: ['L2', 'L5'],
  ad_haters: ['L1', 'L2', 'L5'],
  // No answer: nps is missing. L5 answered without a date and an nps of 6: unknown, not a member.
  recent_answers: ['L1', 'L3', 'L4', 'L6', 'L7', NO_ID],
  unhappy_explorers: ['L2'],
};

function members(outcomes: Map<string, SegmentOutcome[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const o of outcomes.get('listeners') ?? []) {
    if ('error' in o) out[o.segment] = [`error: ${o.error}`];
    else out[o.segment] = [...(o.keys ?? [])].sort();
  }
  return out;
}

let analysis: Analysis;
beforeAll(async () => {
  analysis = await new Workspace(new NodeHost(), fixture).analyze();
});

describe('aggregates and lookups select the members SPEC §11 defines', () => {
  it('on DuckDB, reading the CSV and JSON Lines files', async () => {
    expect(members(await runWorkspaceOnDuckDb(analysis.model, { keys: true }))).toEqual(EXPECTED);
  });

  const pgUrl = process.env.SEGSPEC_PG_URL;
  it.skipIf(!pgUrl)('on PostgreSQL, from tables loaded from the files', async () => {
    const url = await freshPostgresDatabase(pgUrl as string, 'segspec_related_members');
    expect(members(await runWorkspaceOnPostgres(analysis.model, url, { keys: true, loadSamples: true }))).toEqual(EXPECTED);
  });
});

describe('the checks on DuckDB measure segments over related datasets', () => {
  let duck: DuckDbRunner;
  beforeAll(async () => {
    duck = await DuckDbRunner.open();
    for (const dataset of analysis.model.datasets.keys()) await loadModelDataset(duck, analysis.model, dataset);
  });
  afterAll(() => duck?.close());

  it('sizes every segment, with example keys in file order', async () => {
    const tables = new Map([...analysis.model.datasets.keys()].map((d) => [d, d]));
    const onSql = await analyzeOnSql(duck, analysis.model, { tables, rowOrder: () => 'rowid', sampleSize: 10, overlaps: true });
    expect(onSql.errors).toEqual([]);
    const sizes = Object.fromEntries([...onSql.segments.values()].filter((s) => s.name in EXPECTED).map((s) => [s.name, s.size]));
    expect(sizes).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, v.length])));
    // Rows of the listeners table, not of the joins: 8 listeners.
    expect(onSql.datasets.get('listeners')?.rows).toBe(8);
    // Sample keys follow the file's order: the listener without an id (6th row) comes before L6 and L7.
    expect(onSql.segments.get('no_plays')?.sampleKeys).toEqual([NO_ID, 'L7']);
    // `expect share(count(plays) > 0) >= 50%` over the members.
    const share = onSql.segments.get('heavy')?.expectations[0];
    expect(share?.passed).toBe(true);
    expect(share?.message).toMatch(/100\.0% \(2 of 2 members\)/);
    // L5 answered without a date and an nps of 6: `recent_answers` is unknown there.
    expect(onSql.segments.get('recent_answers')?.unknown).toBe(1);
  });

  it('computes each grouped subquery once per analysis, however many statements read it', async () => {
    const statements: string[] = [];
    const spy = Object.assign(Object.create(duck) as DuckDbRunner, {
      query: (sql: string) => {
        statements.push(sql);
        return duck.query(sql);
      },
    });
    const tables = new Map([...analysis.model.datasets.keys()].map((d) => [d, d]));
    await analyzeOnSql(spy, analysis.model, { tables, rowOrder: () => 'rowid', sampleSize: 10, overlaps: true });
    // (The check that no listener has two answers, before any lookup is read, is a query of its own.)
    const grouping = statements.filter((sql) => sql.includes('GROUP BY "listener_id"') && !sql.includes('HAVING COUNT(*) > 1'));
    expect(grouping).toHaveLength(1);
    expect(grouping[0]).toMatch(/^CREATE TEMPORARY TABLE "segspec_related_[0-9a-f]{16}" AS SELECT/);
    // Counts, sample keys and overlaps: many statements, each reading the held results.
    expect(statements.filter((sql) => sql.includes('FROM "segspec_related_')).length).toBeGreaterThan(10);
  });

  it('a related dataset without data on the engine makes the segments that read it unavailable, with the reason', async () => {
    const tables = new Map([['listeners', 'listeners']]);
    const onSql = await analyzeOnSql(duck, analysis.model, { tables });
    expect(onSql.segments.get('heavy')?.status).toBe('unavailable');
    expect(onSql.segments.get('heavy')?.reason).toMatch(/no data on the engine for 'plays'/);
    expect(onSql.errors.map((e) => e.segment)).toContain('unhappy');
  });
});

describe('a rule over related datasets that the engine cannot run', () => {
  // `(?<x>…)` is refused by DuckDB's RE2 and by PostgreSQL's regular expressions alike.
  const bad = 'segment bad "Bad pattern" {\n  from listeners\n  where count(plays where genre matches "(?<x>jazz)") > 0\n}\n';
  let dir: string;
  let withBad: Analysis;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segspec-related-'));
    cpSync(fixture, dir, { recursive: true });
    writeFileSync(join(dir, 'bad.segspec'), bad);
    withBad = await new Workspace(new NodeHost(), dir).analyze();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const expectOnlyBadUnavailable = (onSql: Awaited<ReturnType<typeof analyzeOnSql>>) => {
    expect(onSql.errors.map((e) => e.segment)).toEqual(['bad']);
    expect(onSql.findings.filter((f) => f.code === 'SEG215').map((f) => f.message)).toEqual([expect.stringMatching(/cannot run bad/)]);
    // Its aggregate is left out of the other rules' statements: they are all measured.
    const sizes = Object.fromEntries([...onSql.segments.values()].filter((s) => s.name in EXPECTED).map((s) => [s.name, s.size]));
    expect(sizes).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, v.length])));
  };

  it('is reported on DuckDB (SEG215) while every other rule is measured', async () => {
    const duck = await DuckDbRunner.open();
    try {
      for (const dataset of withBad.model.datasets.keys()) await loadModelDataset(duck, withBad.model, dataset);
      const tables = new Map([...withBad.model.datasets.keys()].map((d) => [d, d]));
      expectOnlyBadUnavailable(await analyzeOnSql(duck, withBad.model, { tables }));
      // The joins held for the analysis are gone afterwards.
      expect(await duck.query(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'segspec_related_%'`)).toEqual([]);
    } finally {
      duck.close();
    }
  });

  const pgUrl = process.env.SEGSPEC_PG_URL;
  it.skipIf(!pgUrl)('is reported on PostgreSQL (SEG215) while every other rule is measured', async () => {
    const url = await freshPostgresDatabase(pgUrl as string, 'segspec_related_bad');
    const pg = await PostgresRunner.connect(url);
    try {
      const tables = new Map<string, string>();
      for (const dataset of withBad.model.datasets.keys()) {
        await pg.loadSample(dataset, { path: datasetSourcePath(withBad.model, dataset) as string, fields: datasetFields(withBad.model, dataset) });
        tables.set(dataset, dataset);
      }
      expectOnlyBadUnavailable(await analyzeOnSql(pg, withBad.model, { tables }));
    } finally {
      await pg.close();
    }
  });
});
