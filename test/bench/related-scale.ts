/**
 * Related aggregates at scale (SPEC §11): BENCH_RELATED_EVENTS events
 * (default 10,000,000) over BENCH_RELATED_USERS users (default 1,000,000),
 * ten distinct aggregates (count with and without filters, count distinct,
 * sum, mean, max over a date-time, p90).
 *
 * Ours: the product's path — a Workspace over the two CSV files loads them
 * (timed, with the peak RSS after loading), then an edit adds segments over
 * the ten aggregates (two thresholds each) and the analysis is timed: each
 * distinct aggregate computed once as a column of the users, then the
 * segments sized. The peer: DuckDB loads the same files into tables and
 * computes the same ten aggregates with GROUP BY, joined to the users.
 * Each side runs in its own child process, so each peak RSS is its own.
 * Every segment's size and unknown count must equal DuckDB's; a difference
 * fails the bench.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../server/src/core/workspace.js';
import { NodeHost } from '../../server/src/node/fs-host.js';
import { blockLoading } from '../../server/src/node/block-workers.js';
import { eventsDatasets, writeEventsCsv } from './gen-events.js';
import { collectGarbage, type Figure, peakRssMb, progress } from './harness.js';

export const RELATED_USERS = Number(process.env.BENCH_RELATED_USERS ?? 1_000_000);
export const RELATED_EVENTS = Number(process.env.BENCH_RELATED_EVENTS ?? 10_000_000);

const NOW = "TIMESTAMPTZ '2026-07-01 00:00:00+00'";

interface Aggregate {
  /** The aggregate in Segspec. */
  segspec: string;
  /** The same over the grouped events in DuckDB SQL. */
  sql: string;
  /** True for count and sum: 0, never missing, for a user with no (matching) events. */
  zeroWhenNone: boolean;
  /** Two thresholds for `AGG >= T`, as Segspec and as SQL literals. */
  thresholds: Array<[string, string]>;
}

const n = (x: number): [string, string] => [String(x), String(x)];
const instant = (iso: string): [string, string] => [iso, `TIMESTAMPTZ '${iso.replace('T', ' ').replace('Z', '+00')}'`];

/**
 * The ten distinct aggregates. Thresholds lie where no value can fall, so no engine's float rounding
 * can tip a parent across: a p90 of integers interpolates to a multiple of 0.1 (hence .05), and a mean
 * of up to a few hundred integers is never exactly x.123.
 */
export const RELATED_AGGREGATES: Aggregate[] = [
  { segspec: 'count(events)', sql: 'count(*)', zeroWhenNone: true, thresholds: [n(10), n(30)] },
  { segspec: 'count(events where genre == "jazz")', sql: "count(*) FILTER (WHERE genre = 'jazz')", zeroWhenNone: true, thresholds: [n(1), n(3)] },
  {
    segspec: 'count(events where at within last 30 days)',
    sql: `count(*) FILTER (WHERE "at" >= ${NOW} - INTERVAL 30 DAY AND "at" < ${NOW})`,
    zeroWhenNone: true,
    thresholds: [n(1), n(4)],
  },
  {
    segspec: 'count(events where playlist == "discover_weekly" and ms_played >= 30000)',
    sql: "count(*) FILTER (WHERE playlist = 'discover_weekly' AND ms_played >= 30000)",
    zeroWhenNone: true,
    thresholds: [n(1), n(3)],
  },
  { segspec: 'count(distinct events.genre)', sql: 'count(DISTINCT genre)', zeroWhenNone: true, thresholds: [n(5), n(9)] },
  {
    segspec: 'count(distinct events.playlist where at within last 90 days)',
    sql: `count(DISTINCT playlist) FILTER (WHERE "at" >= ${NOW} - INTERVAL 90 DAY AND "at" < ${NOW})`,
    zeroWhenNone: true,
    thresholds: [n(2), n(4)],
  },
  { segspec: 'sum(events.ms_played where playlist == "mood")', sql: "sum(ms_played) FILTER (WHERE playlist = 'mood')", zeroWhenNone: true, thresholds: [n(300_000), n(1_000_000)] },
  { segspec: 'mean(events.ms_played)', sql: 'avg(ms_played)', zeroWhenNone: false, thresholds: [n(150_000.123), n(200_000.123)] },
  { segspec: 'max(events.at)', sql: 'max("at")', zeroWhenNone: false, thresholds: [instant('2026-06-24T00:00:00Z'), instant('2026-05-01T00:00:00Z')] },
  { segspec: 'p90(events.ms_played)', sql: 'quantile_cont(ms_played, 0.9)', zeroWhenNone: false, thresholds: [n(250_000.05), n(300_000.05)] },
];

/** Segment i*2+j: aggregate i at threshold j. */
function segmentsSpec(): string {
  return RELATED_AGGREGATES.flatMap((a, i) =>
    a.thresholds.map(([t], j) => `segment agg${i}_${j} {\n  from users\n  where ${a.segspec} >= ${t}\n}\n`),
  ).join('\n');
}

/** What each side reports. */
export interface RelatedSide {
  users: number;
  events: number;
  loadMs: number;
  aggregatesMs: number;
  loadRssMb: number;
  /** Per segment (aggregate i, threshold j, in order): members and unknown rows. */
  sizes: number[];
  unknown: number[];
  errors: string[];
}

/** The bench folder for a size: users.csv, events.csv (generated once, kept in the temp folder). */
export function ensureRelatedData(users: number, events: number, root = tmpdir()): string {
  const dir = join(root, `segspec-bench-related-${users}-${events}`);
  const done = join(dir, 'complete');
  if (existsSync(done) && statSync(done).size > 0) return dir;
  mkdirSync(dir, { recursive: true });
  progress(`related: generating ${events.toLocaleString('en-US')} events over ${users.toLocaleString('en-US')} users into ${dir}`);
  writeEventsCsv(join(dir, 'users.csv'), join(dir, 'events.csv'), users, events);
  writeFileSync(done, 'ok\n');
  return dir;
}

/** Our side, in this process: load through a Workspace, then an edit adds the segments over the aggregates. */
export async function runRelatedOurs(dir: string): Promise<RelatedSide> {
  const spec = join(dir, 'bench.segspec');
  writeFileSync(spec, eventsDatasets('users.csv', 'events.csv'));
  // Loaded as the CLI loads it: large files in blocks on worker threads (unless SEGSPEC_LOAD_THREADS=off).
  const workspace = new Workspace(new NodeHost(), dir, { blocks: blockLoading() });
  collectGarbage();
  let start = performance.now();
  const loaded = await workspace.analyze();
  const loadMs = performance.now() - start;
  const loadRssMb = peakRssMb();
  const errors = loaded.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.message}`);
  workspace.setOverlay(spec, eventsDatasets('users.csv', 'events.csv') + segmentsSpec(), 1);
  collectGarbage();
  start = performance.now();
  const analysis = await workspace.analyze();
  const aggregatesMs = performance.now() - start;
  errors.push(...analysis.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.message}`));
  const results = RELATED_AGGREGATES.flatMap((a, i) => a.thresholds.map((_, j) => analysis.results.segments.get(`agg${i}_${j}`)));
  for (const [k, r] of results.entries()) if (!r || r.status === 'unavailable') errors.push(`segment ${k}: ${r?.reason ?? 'no result'}`);
  return {
    users: analysis.data.get('users')?.table?.rowCount ?? -1,
    events: analysis.data.get('events')?.table?.rowCount ?? -1,
    loadMs,
    aggregatesMs,
    loadRssMb,
    sizes: results.map((r) => r?.size ?? -1),
    unknown: results.map((r) => r?.unknown ?? -1),
    errors,
  };
}

/** The peer, in this process: DuckDB loads the files into tables, then GROUP BY computes the ten aggregates per user. */
export async function runRelatedPeer(dir: string): Promise<RelatedSide> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const rows = async (query: string) => (await conn.runAndReadAll(query)).getRowObjectsJS();
  const file = (name: string) => `'${join(dir, name).replace(/'/g, "''")}'`;
  try {
    await conn.run("SET TimeZone = 'UTC'");
    let start = performance.now();
    await conn.run(`CREATE TABLE users AS SELECT * FROM read_csv(${file('users.csv')}, header = true, columns = {'user_id': 'VARCHAR', 'plan': 'VARCHAR'})`);
    await conn.run(
      `CREATE TABLE events AS SELECT * FROM read_csv(${file('events.csv')}, header = true, ` +
        `columns = {'user_id': 'VARCHAR', 'at': 'TIMESTAMPTZ', 'genre': 'VARCHAR', 'ms_played': 'BIGINT', 'playlist': 'VARCHAR'})`,
    );
    const loadMs = performance.now() - start;
    const loadRssMb = peakRssMb();
    const columns = RELATED_AGGREGATES.map((a, i) => `${a.sql} AS a${i}`).join(', ');
    const values = RELATED_AGGREGATES.map((a, i) => (a.zeroWhenNone ? `coalesce(g.a${i}, 0) AS a${i}` : `g.a${i} AS a${i}`)).join(', ');
    start = performance.now();
    await conn.run(`CREATE TABLE per_user AS SELECT u.user_id, ${values} FROM users u LEFT JOIN (SELECT user_id, ${columns} FROM events GROUP BY user_id) g ON g.user_id = u.user_id`);
    const aggregatesMs = performance.now() - start;
    const counts = RELATED_AGGREGATES.flatMap((a, i) =>
      a.thresholds.map(([, t], j) => `count(*) FILTER (WHERE a${i} >= ${t}) AS s${i}_${j}, count(*) FILTER (WHERE a${i} IS NULL) AS u${i}_${j}`),
    ).join(', ');
    const [row] = await rows(`SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM events) AS events, ${counts} FROM per_user`);
    const pick = (prefix: string) => RELATED_AGGREGATES.flatMap((a, i) => a.thresholds.map((_, j) => Number(row[`${prefix}${i}_${j}`])));
    return { users: Number(row.users), events: Number(row.events), loadMs, aggregatesMs, loadRssMb, sizes: pick('s'), unknown: pick('u'), errors: [] };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Differences between the two sides' counts, one line each. */
export function compareRelated(ours: RelatedSide, peer: RelatedSide): string[] {
  const problems = [...ours.errors.map((e) => `related (ours): ${e}`), ...peer.errors.map((e) => `related (duckdb): ${e}`)];
  if (ours.users !== peer.users || ours.events !== peer.events) {
    problems.push(`related rows: ours ${ours.users} users / ${ours.events} events, duckdb ${peer.users} / ${peer.events}`);
  }
  RELATED_AGGREGATES.forEach((a, i) =>
    a.thresholds.forEach(([t], j) => {
      const k = i * 2 + j;
      if (ours.sizes[k] !== peer.sizes[k] || ours.unknown[k] !== peer.unknown[k]) {
        problems.push(`related ${a.segspec} >= ${t}: ours ${ours.sizes[k]} members (${ours.unknown[k]} unknown), duckdb ${peer.sizes[k]} (${peer.unknown[k]} unknown)`);
      }
    }),
  );
  return problems;
}

/** The figures, one line each, in the bench's format. */
export function relatedFigureLines(ours: RelatedSide, peer: RelatedSide): Figure[] {
  const size = `${compact(peer.events)} events over ${compact(peer.users)} users`;
  return [
    { name: `related aggregates, ${size}`, value: ours.aggregatesMs, unit: 'ms', ratio: ours.aggregatesMs / peer.aggregatesMs },
    { name: `related aggregates, ${size} [duckdb]`, value: peer.aggregatesMs, unit: 'ms' },
    { name: `related load, ${size}`, value: ours.loadMs, unit: 'ms', ratio: ours.loadMs / peer.loadMs },
    { name: `related load, ${size} [duckdb]`, value: peer.loadMs, unit: 'ms' },
    { name: `related peak RSS loading ${size}`, value: ours.loadRssMb, unit: 'MB', ratio: ours.loadRssMb / peer.loadRssMb },
    { name: `related peak RSS loading ${size} [duckdb]`, value: peer.loadRssMb, unit: 'MB' },
  ];
}

/** 10000000 → 10M, 1000000 → 1M, 20000 → 20K. */
function compact(x: number): string {
  if (x >= 1_000_000 && x % 100_000 === 0) return `${x / 1_000_000}M`;
  if (x >= 1_000 && x % 100 === 0) return `${x / 1_000}K`;
  return String(x);
}

type Role = 'generate' | 'ours' | 'peer';

/** Entry point of a child forked by `relatedFigures` (bench.ts dispatches on BENCH_RELATED_CHILD). */
export function runRelatedChild(): boolean {
  const role = process.env.BENCH_RELATED_CHILD as Role | undefined;
  if (!role) return false;
  const dir = process.env.BENCH_RELATED_DIR ?? '';
  const work = async () => {
    const report =
      role === 'generate' ? { dir: ensureRelatedData(RELATED_USERS, RELATED_EVENTS) } : role === 'ours' ? await runRelatedOurs(dir) : await runRelatedPeer(dir);
    await new Promise<void>((resolve, reject) => process.send?.(report, (error: Error | null) => (error ? reject(error) : resolve())));
  };
  work().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
  return true;
}

function inChild<T>(role: Role, dir = ''): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let answer: T | undefined;
    const child = fork(process.argv[1], [], { env: { ...process.env, BENCH_RELATED_CHILD: role, BENCH_RELATED_DIR: dir } });
    child.on('message', (message) => {
      answer = message as T;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && answer !== undefined) resolve(answer);
      else reject(new Error(`bench child '${role}' exited with ${code}${answer === undefined ? ' without a report' : ''}`));
    });
  });
}

/** Generates the files when missing, runs our side then DuckDB's, each in a child; BENCH_RELATED_EVENTS=0 skips. */
export async function relatedFigures(): Promise<{ figures: Figure[]; notes: string[]; problems: string[] }> {
  if (RELATED_EVENTS <= 0 || RELATED_USERS <= 0) return { figures: [], notes: ['related: skipped (BENCH_RELATED_EVENTS=0)'], problems: [] };
  const { dir } = await inChild<{ dir: string }>('generate');
  progress('related: ours (Workspace: load, then the segments over ten aggregates)');
  const ours = await inChild<RelatedSide>('ours', dir);
  progress('related: duckdb (load, then GROUP BY)');
  const peer = await inChild<RelatedSide>('peer', dir);
  const problems = compareRelated(ours, peer);
  const segments = RELATED_AGGREGATES.length * 2;
  const notes = [
    problems.length === 0
      ? `related counts ours == duckdb: ${segments} of ${segments} segments over ${RELATED_AGGREGATES.length} aggregates (members and unknown rows)`
      : `related counts ours != duckdb: ${problems.length} mismatches`,
  ];
  return { figures: relatedFigureLines(ours, peer), notes, problems };
}
