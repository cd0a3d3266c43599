/**
 * Scale-out figures on a Parquet file (BENCH_PARQUET_ROWS rows, default
 * 10,000,000) that never passes through JavaScript: the 50 bench segments
 * sized, and their 1,225 pairwise overlaps counted, on DuckDB through the
 * product's path — a view over the file (`viewParquetDataset`), segments
 * compiled by `compileSegment`, sizes counted as `analyzeOnSql` counts them
 * (`countPredicates`), overlaps by `countPairOverlaps` — against the same
 * predicates written by hand in DuckDB SQL over the same file. Each side runs
 * in its own child process, so each peak RSS is DuckDB and that side's code
 * alone.
 */
import { fork } from 'node:child_process';
import { parse } from '../../server/src/core/syntax/index.js';
import { buildModel, type WorkspaceModel } from '../../server/src/core/semantics/index.js';
import { compileSegment } from '../../server/src/core/sql/from-model.js';
import { DuckDbRunner } from '../../server/src/sqlengines/duckdb.js';
import { viewParquetDataset } from '../../server/src/sqlengines/duckdb-view.js';
import { countPredicates } from '../../server/src/sqlengines/measure.js';
import { analyzeOnSql } from '../../server/src/sqlengines/analyze.js';
import { countPairOverlaps } from '../../server/src/sqlengines/pair-overlaps.js';
import { datasetFields } from '../../server/src/sqlengines/workspace.js';
import { ensureUsersParquet } from './gen-parquet.js';
import { USERS_COLUMNS, usersDataset } from './gen-users.js';
import { collectGarbage, type Figure, median, peakRssMb, progress, timeRuns } from './harness.js';
import { BENCH_SEGMENTS, benchSpec } from './segments.js';

const AS_OF = '2026-06-30';
const TABLE = 'users';

export const PARQUET_ROWS = Number(process.env.BENCH_PARQUET_ROWS ?? 10_000_000);
/** Timed runs per figure and side (median reported); one at full size, where a run takes a minute. */
const RUNS = Number(process.env.BENCH_PARQUET_RUNS ?? (PARQUET_ROWS > 1_000_000 ? 1 : 3));
/**
 * analyzeOnSql (what `stats --engine duckdb` runs: every check, then the overlaps) is timed
 * as one call only up to this many rows; at full size the two figures above
 * time the same functions (countPredicates, countPairOverlaps) separately.
 */
const MEASURE_MAX_ROWS = Number(process.env.BENCH_PARQUET_MEASURE_ROWS ?? 200_000);

type Role = 'ours' | 'peer';

/** What a child reports: median times, every count, its peak RSS. */
interface SideReport {
  role: Role;
  rows: number;
  sizesMs: number;
  overlapsMs: number;
  /** Ours only, up to MEASURE_MAX_ROWS: one `analyzeOnSql` call (sizes and overlaps together) and its counts. */
  measureMs?: number;
  measured?: { sizes: number[]; overlaps: number[]; errors: string[] };
  sizes: number[];
  overlaps: number[];
  rssMb: number;
}

const pairs: Array<[number, number]> = [];
for (let i = 0; i < BENCH_SEGMENTS.length; i++) for (let j = i + 1; j < BENCH_SEGMENTS.length; j++) pairs.push([i, j]);

function benchModel(): WorkspaceModel {
  const text = benchSpec(usersDataset('users.parquet', AS_OF));
  return buildModel('/bench', [{ path: '/bench/bench.segspec', text, version: 0, ast: parse(text) }]).model;
}

/** Reads every column once, so that neither side pays for a cold file cache. */
const WARM_QUERY = `SELECT ${USERS_COLUMNS.map((c) => `count("${c}")`).join(', ')} FROM ${TABLE}`;

/** Our side: the product's DuckDB runner over a view of the file, segments compiled from the spec. */
async function runOurs(path: string): Promise<SideReport> {
  const model = benchModel();
  const runner = await DuckDbRunner.open();
  try {
    await viewParquetDataset(runner, { table: TABLE, path, fields: datasetFields(model, TABLE) });
    await runner.query(WARM_QUERY);
    const compileAll = () => model.segmentOrder.map((name) => `(${compileSegment(model, name, { dialect: 'duckdb', table: TABLE }).sql})`);
    let counts: number[] = [];
    let overlaps: number[] = [];
    // The sizes statement (rows and every segment in one scan), then the overlaps counted from per-row flags, as analyzeOnSql runs them.
    const sizesMs = median(await timeRuns(RUNS, async () => void (counts = await countPredicates(runner, ['1 = 1', ...compileAll()], TABLE))));
    const overlapsMs = median(await timeRuns(RUNS, async () => void (overlaps = await countPairOverlaps(runner, compileAll(), TABLE))));
    const report: SideReport = { role: 'ours', rows: counts[0], sizesMs, overlapsMs, sizes: counts.slice(1), overlaps, rssMb: peakRssMb() };
    if (counts[0] <= MEASURE_MAX_ROWS) {
      collectGarbage();
      const start = performance.now();
      // What `segspec stats --engine duckdb` runs: every check on the data, and the overlap matrix.
      const measured = await analyzeOnSql(runner, model, { tables: new Map([[TABLE, TABLE]]), overlaps: true, asOf: AS_OF });
      report.measureMs = performance.now() - start;
      report.measured = {
        sizes: model.segmentOrder.map((name) => measured.segments.get(name)?.size ?? -1),
        overlaps: measured.overlaps.map((o) => o.count),
        errors: measured.errors.map((e) => `${e.segment}: ${e.message}`),
      };
      report.rssMb = peakRssMb();
    }
    return report;
  } finally {
    runner.close();
  }
}

/** The peer: DuckDB alone, the predicates written by hand over the same file, overlaps from per-row flags as well. */
async function runPeer(path: string): Promise<SideReport> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const sql = async (query: string) => (await conn.runAndReadAll(query)).getRowObjectsJS()[0] as Record<string, unknown>;
  try {
    await conn.run("SET TimeZone = 'UTC'");
    await conn.run(`CREATE VIEW ${TABLE} AS SELECT * FROM read_parquet('${path.replace(/'/g, "''")}')`);
    await sql(WARM_QUERY);
    const sizesQuery = `SELECT count(*) AS n, ${BENCH_SEGMENTS.map(([, where], i) => `count(*) FILTER (WHERE ${where}) AS c${i}`).join(', ')} FROM ${TABLE}`;
    const flags = BENCH_SEGMENTS.map(([, where], i) => `coalesce(${where}, false) AS m${i}`).join(', ');
    const overlapsQuery = `SELECT ${pairs.map(([i, j], k) => `count_if(m${i} AND m${j}) AS p${k}`).join(', ')} FROM (SELECT ${flags} FROM ${TABLE})`;
    let sizesRow: Record<string, unknown> = {};
    const sizesMs = median(await timeRuns(RUNS, async () => void (sizesRow = await sql(sizesQuery))));
    let overlapsRow: Record<string, unknown> = {};
    const overlapsMs = median(await timeRuns(RUNS, async () => void (overlapsRow = await sql(overlapsQuery))));
    return {
      role: 'peer',
      rows: Number(sizesRow.n),
      sizesMs,
      overlapsMs,
      sizes: BENCH_SEGMENTS.map((_, i) => Number(sizesRow[`c${i}`])),
      overlaps: pairs.map((_, k) => Number(overlapsRow[`p${k}`])),
      rssMb: peakRssMb(),
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** Entry point of a child forked by `parquetFigures` (bench.ts dispatches on BENCH_PARQUET_CHILD). */
export async function parquetChild(role: string, path: string): Promise<void> {
  let report: SideReport | { generated: string };
  if (role === 'generate') report = { generated: await ensureUsersParquet(PARQUET_ROWS) };
  else if (role === 'ours') report = await runOurs(path);
  else if (role === 'peer') report = await runPeer(path);
  else throw new Error(`unknown BENCH_PARQUET_CHILD role '${role}'`);
  await new Promise<void>((resolve, reject) => process.send?.(report, (error: Error | null) => (error ? reject(error) : resolve())));
}

function inChild<T>(role: string, path = ''): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let answer: T | undefined;
    const child = fork(process.argv[1], [], {
      env: { ...process.env, BENCH_PARQUET_CHILD: role, BENCH_PARQUET_PATH: path, BENCH_PARQUET_ROWS: String(PARQUET_ROWS) },
    });
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

export interface ScaleResult {
  figures: Figure[];
  /** Lines to print as they are (cross-checks, skips). */
  notes: string[];
  /** Mismatches: the bench fails when there are any. */
  problems: string[];
}

/** Generates the file when missing, runs our side then the peer, each in a child; BENCH_PARQUET_ROWS=0 skips. */
export async function parquetFigures(): Promise<ScaleResult> {
  if (PARQUET_ROWS <= 0) return { figures: [], notes: ['parquet: skipped (BENCH_PARQUET_ROWS=0)'], problems: [] };
  progress(`parquet: ensuring ${PARQUET_ROWS.toLocaleString('en-US')} users (generated once by DuckDB, kept in the temp folder)`);
  const { generated: path } = await inChild<{ generated: string }>('generate');
  progress(`parquet: ours (DuckDB runner, compiled SQL) on ${path}`);
  const ours = await inChild<SideReport>('ours', path);
  progress('parquet: peer (DuckDB, hand-written SQL)');
  const peer = await inChild<SideReport>('peer', path);

  const name = (what: string) => `parquet ${what}`;
  const figures: Figure[] = [
    { name: name('rows'), value: peer.rows, unit: 'rows' },
    { name: name('sizes 50 segments [duckdb, compiled]'), value: ours.sizesMs, unit: 'ms', ratio: ours.sizesMs / peer.sizesMs },
    { name: name('sizes 50 segments [duckdb, hand-written]'), value: peer.sizesMs, unit: 'ms' },
    { name: name('overlaps 1225 pairs [duckdb, compiled]'), value: ours.overlapsMs, unit: 'ms', ratio: ours.overlapsMs / peer.overlapsMs },
    { name: name('overlaps 1225 pairs [duckdb, hand-written]'), value: peer.overlapsMs, unit: 'ms' },
  ];
  if (ours.measureMs !== undefined) {
    const peerTotal = peer.sizesMs + peer.overlapsMs;
    figures.push({ name: name('analyzeOnSql sizes+overlaps [duckdb, compiled]'), value: ours.measureMs, unit: 'ms', ratio: ours.measureMs / peerTotal });
  }
  figures.push(
    { name: name('peak RSS [duckdb, compiled]'), value: ours.rssMb, unit: 'MB', ratio: ours.rssMb / peer.rssMb },
    { name: name('peak RSS [duckdb, hand-written]'), value: peer.rssMb, unit: 'MB' },
  );

  const problems = compareCounts('compiled', ours, peer);
  if (ours.measured) {
    problems.push(...ours.measured.errors.map((e) => `parquet analyzeOnSql: ${e}`));
    problems.push(...compareCounts('analyzeOnSql', { rows: ours.rows, ...ours.measured }, peer));
  }
  const total = BENCH_SEGMENTS.length + pairs.length;
  const notes = [
    problems.length === 0
      ? `parquet counts compiled == hand-written: ${total} of ${total} (${BENCH_SEGMENTS.length} sizes, ${pairs.length} overlaps${ours.measured ? '; analyzeOnSql too' : ''})`
      : `parquet counts compiled != hand-written: ${problems.length} mismatches`,
  ];
  if (ours.measureMs === undefined) {
    notes.push(
      `parquet analyzeOnSql: not timed above ${MEASURE_MAX_ROWS.toLocaleString('en-US')} rows (BENCH_PARQUET_MEASURE_ROWS): the sizes and overlaps figures time its parts`,
    );
  }
  return { figures, notes, problems };
}

function compareCounts(label: string, ours: Pick<SideReport, 'rows' | 'sizes' | 'overlaps'>, peer: SideReport): string[] {
  const problems: string[] = [];
  if (ours.rows !== peer.rows) problems.push(`parquet rows: ${label} ${ours.rows}, hand-written ${peer.rows}`);
  BENCH_SEGMENTS.forEach(([where], i) => {
    if (ours.sizes[i] !== peer.sizes[i]) problems.push(`parquet segment ${i + 1} (${where}): ${label} ${ours.sizes[i]}, hand-written ${peer.sizes[i]}`);
  });
  const bad = pairs.filter((_, k) => ours.overlaps[k] !== peer.overlaps[k]).length;
  if (ours.overlaps.length !== pairs.length || bad > 0) problems.push(`parquet: ${bad} of ${pairs.length} ${label} overlap counts differ from hand-written SQL`);
  return problems;
}
