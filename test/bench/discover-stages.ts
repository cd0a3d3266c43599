/**
 * Discovery figures (SPEC §13, issue 14), with pysubgroup's DFS timed in the
 * same run on the same candidate clauses when its venv is there:
 * - `discover depth 3, 32k rows` (the plain top-10 by WRAcc), ratio against pysubgroup DFS;
 * - `discover depth 3, 1M rows` (search on a 200,000-row sample, winners recounted on all rows);
 * - a diverse 10-rule set at 32k rows, with its quality: sum of WRAcc, mean
 *   and max pairwise Jaccard, share of the target rows covered.
 * The target of the speed figures is `ltv_usd >= p90(ltv_usd)`. That one has
 * a single cause (the plan), so the diverse set is measured on a target with
 * three distinct ones, as churn usually has: `ltv_usd >= p90(ltv_usd) or
 * sessions_30d >= 100 or (age < 20 and device == "mobile")`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Table } from '../../server/src/core/data/table.js';
import { loadTableFromBytes } from '../../server/src/core/data/index.js';
import { andCount, emptyBits, popcount, setBit, type Bitset } from '../../server/src/core/engine/bitset.js';
import { daysFromIso } from '../../server/src/core/engine/dates.js';
import { allRows, candidateClauses } from '../../server/src/core/discover/clauses.js';
import { discoverSubgroups, type DiscoverResult } from '../../server/src/core/discover/index.js';
import { discoverClusters, type UntargetedResult } from '../../server/src/core/discover/untargeted.js';
import { fieldDecls } from './engine-stages.js';
import { generateUsersCsvBytes } from './gen-users.js';
import { formatFigure, median, progress, type BenchContext } from './harness.js';

const TODAY = daysFromIso('2026-06-30')!;
const EXCLUDE = new Set(['user_id', 'ltv_usd']);
const PY = process.env.SEGSPEC_PYSUBGROUP_PYTHON ?? join(homedir(), '.cache/segspec-ci/pysubgroup/bin/python');

function usersTable(rows: number): Table {
  const loaded = loadTableFromBytes(generateUsersCsvBytes(rows), 'csv', fieldDecls(), { keyField: 'user_id' });
  if (!loaded.table) throw new Error('load failed');
  return loaded.table;
}

/** The engine stages' CSV (already generated), else a fresh table of `ctx.rows` users. */
export function usersTableFrom(ctx: BenchContext): Table {
  if (!ctx.csvPath || !existsSync(ctx.csvPath)) return usersTable(ctx.rows);
  const loaded = loadTableFromBytes(readFileSync(ctx.csvPath), 'csv', fieldDecls(), { keyField: 'user_id' });
  if (!loaded.table) throw new Error('load failed');
  return loaded.table;
}

/** Rows with ltv_usd >= its 90th percentile (interpolated, as the engine's p90). */
function topDecile(table: Table): Bitset {
  const col = table.byName.get('ltv_usd');
  if (!col || col.kind !== 'numeric') throw new Error('no ltv_usd');
  const present: number[] = [];
  for (let i = 0; i < table.rowCount; i++) if (col.missing[i] === 0) present.push(col.values[i]);
  const sorted = Float64Array.from(present).sort();
  const pos = (sorted.length - 1) * 0.9;
  const p90 = sorted[Math.floor(pos)] + (sorted[Math.ceil(pos)] - sorted[Math.floor(pos)]) * (pos - Math.floor(pos));
  const bits = emptyBits(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) if (col.missing[i] === 0 && col.values[i] >= p90) setBit(bits, i);
  return bits;
}

/** The three-cause target of the diverse set (see the header). */
function threeCauses(table: Table): Bitset {
  const bits = topDecile(table);
  const sessions = table.byName.get('sessions_30d');
  const age = table.byName.get('age');
  const device = table.byName.get('device');
  if (sessions?.kind !== 'numeric' || age?.kind !== 'numeric' || device?.kind !== 'dictionary') throw new Error('bench columns changed');
  const mobile = device.dictionary.indexOf('mobile');
  for (let i = 0; i < table.rowCount; i++) {
    if ((sessions.missing[i] === 0 && sessions.values[i] >= 100) || (age.missing[i] === 0 && age.values[i] < 20 && device.codes[i] === mobile)) setBit(bits, i);
  }
  return bits;
}

function run(table: Table, target: Bitset, diverse: boolean): DiscoverResult {
  return discoverSubgroups({ table, target, today: TODAY, exclude: EXCLUDE, existing: [], options: { max: 10, depth: 3, minSize: Math.ceil(0.01 * table.rowCount), quality: 'wracc', diverse } });
}

/**
 * Median wall time of `runs` runs after a warm-up; `cpu` receives the median
 * user CPU time (what the run cost, on a machine shared with other work),
 * user and system CPU time with `withSystem` (as Python's process_time).
 */
function timed(runs: number, fn: () => void, cpu?: (ms: number) => void, withSystem = false): number {
  fn(); // warm-up
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    fn();
    const used = process.cpuUsage(startCpu);
    cpuTimes.push((used.user + (withSystem ? used.system : 0)) / 1000);
    times.push(performance.now() - start);
  }
  cpu?.(median(cpuTimes));
  return median(times);
}

/** Runs per timed figure, after one warm-up run (ours and pysubgroup's alike). */
const RUNS = 5;

/** pysubgroup's DFS on our candidate clauses (grouped by field), median of RUNS after a warm-up; undefined when its venv is missing. */
function pysubgroupDfs(table: Table, target: Bitset): { ms: number; cpuMs: number; best: number; candidates: number } | undefined {
  if (!existsSync(PY)) {
    progress(`pysubgroup: no venv python at ${PY}; its figures are unavailable`);
    return undefined;
  }
  const rows = allRows(table.rowCount);
  // With the target, as discoverSubgroups builds them (it orders the values of `in [...]` sets by target rate).
  const clauses = candidateClauses(table, { rows, minCount: Math.ceil(0.01 * table.rowCount), today: TODAY, exclude: EXCLUDE, target });
  const bytes = new Uint8Array(table.rowCount * (clauses.length + 1));
  for (let r = 0; r < table.rowCount; r++) {
    clauses.forEach((c, j) => (bytes[r * clauses.length + j] = c.holds(r) ? 1 : 0));
    bytes[table.rowCount * clauses.length + r] = (target[r >>> 5] >>> (r & 31)) & 1;
  }
  const dir = mkdtempSync(join(tmpdir(), 'segspec-bench-psg-'));
  try {
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ rows: table.rowCount, depth: 3, k: 10, runs: RUNS, fields: clauses.map((c) => c.field) }));
    writeFileSync(join(dir, 'clauses.u8'), bytes);
    const script = [join(process.cwd(), 'test/bench/pysubgroup_dfs.py'), join(dirname(process.argv[1]), '..', 'test/bench/pysubgroup_dfs.py')].find((p) => existsSync(p))!;
    const out = JSON.parse(execFileSync(PY, [script, join(dir, 'meta.json'), join(dir, 'clauses.u8')], { encoding: 'utf8', maxBuffer: 16 << 20 })) as { seconds: number; cpuSeconds: number; qualities: number[] };
    return { ms: out.seconds * 1000, cpuMs: out.cpuSeconds * 1000, best: out.qualities[0], candidates: clauses.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function setQuality(result: DiscoverResult, target: Bitset): { sum: number; meanJaccard: number; maxJaccard: number; coverage: number } {
  const rules = result.rules;
  const union = new Uint32Array(target.length);
  for (const r of rules) for (let i = 0; i < union.length; i++) union[i] |= r.members[i];
  let sum = 0;
  let pairs = 0;
  let max = 0;
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const both = andCount(rules[i].members, rules[j].members);
      const jaccard = both / (rules[i].size + rules[j].size - both);
      sum += jaccard;
      pairs++;
      max = Math.max(max, jaccard);
    }
  }
  return { sum: rules.reduce((s, r) => s + r.quality, 0), meanJaccard: pairs ? sum / pairs : 0, maxJaccard: max, coverage: andCount(union, target) / popcount(target) };
}

/** Prints the discovery figures; `ctx` lends the 1M-row table when the engine stages loaded it. */
export function printDiscoverFigures(ctx: BenchContext): void {
  progress('discover: 32k rows');
  const small = usersTable(32_000);
  const smallTarget = topDecile(small);
  let plain: DiscoverResult | undefined;
  let plainCpu = 0;
  const plainMs = timed(RUNS, () => void (plain = run(small, smallTarget, false)), (ms) => (plainCpu = ms), true);
  const peer = pysubgroupDfs(small, smallTarget);
  console.log(formatFigure({ name: 'discover depth 3, 32k rows', value: plainMs, unit: 'ms', ratio: peer ? plainMs / peer.ms : undefined }));
  if (peer) console.log(formatFigure({ name: 'discover depth 3, 32k rows [pysubgroup DFS, same candidates]', value: peer.ms, unit: 'ms' }));
  // CPU time is less swayed by other work on a shared machine than wall time.
  console.log(formatFigure({ name: 'discover depth 3, 32k rows [CPU]', value: plainCpu, unit: 'ms', ratio: peer ? plainCpu / peer.cpuMs : undefined }));
  if (peer) console.log(formatFigure({ name: 'discover depth 3, 32k rows [pysubgroup DFS, CPU]', value: peer.cpuMs, unit: 'ms' }));
  console.log(`discover depth 3, 32k rows best WRAcc: ${plain!.rules[0]?.quality.toFixed(6) ?? 'none'}${peer ? ` (pysubgroup DFS ${peer.best.toFixed(6)}); candidates: ${plain!.candidates} (pysubgroup ${peer.candidates})` : ''}`);

  let diverse: DiscoverResult | undefined;
  const causes = threeCauses(small);
  let diverseCpu = 0;
  const diverseMs = timed(3, () => void (diverse = run(small, causes, true)), (ms) => (diverseCpu = ms));
  const q = setQuality(diverse!, causes);
  console.log(formatFigure({ name: `discover diverse ${diverse!.rules.length}-rule set, 32k rows`, value: diverseMs, unit: 'ms' }));
  console.log(formatFigure({ name: `discover diverse ${diverse!.rules.length}-rule set, 32k rows [user CPU]`, value: diverseCpu, unit: 'ms' }));
  console.log(`discover diverse set sum WRAcc: ${q.sum.toFixed(4)}`);
  console.log(`discover diverse set pairwise Jaccard: mean ${q.meanJaccard.toFixed(3)}, max ${q.maxJaccard.toFixed(3)}`);
  console.log(`discover diverse set target coverage: ${(q.coverage * 100).toFixed(1)} %`);

  let untargeted: UntargetedResult | undefined;
  let untargetedCpu = 0;
  const untargetedMs = timed(3, () => {
    const outcome = discoverClusters({ table: small, today: TODAY, exclude: new Set(['user_id']), existing: [], options: { max: 8, depth: 3, minSize: Math.ceil(0.02 * small.rowCount) } });
    if (!outcome.ok) throw new Error(outcome.message);
    untargeted = outcome.result;
  }, (ms) => (untargetedCpu = ms));
  const u = untargeted!;
  const meanF1 = u.rules.length ? u.rules.reduce((s, r) => s + r.f1, 0) / u.rules.length : 0;
  console.log(formatFigure({ name: 'discover no target, 32k rows', value: untargetedMs, unit: 'ms' }));
  console.log(formatFigure({ name: 'discover no target, 32k rows [user CPU]', value: untargetedCpu, unit: 'ms' }));
  console.log(
    `discover no target set: ${u.rules.length} rules for ${u.k} clusters (${u.choice.method === 'silhouette' ? `silhouette ${u.choice.silhouette.toFixed(2)}` : 'fixed'}), ` +
      `coverage ${(u.coverage * 100).toFixed(1)} %, pairwise Jaccard mean ${u.meanJaccard.toFixed(3)} max ${u.maxJaccard.toFixed(3)}, mean fidelity F1 ${meanF1.toFixed(2)}`,
  );

  const big = (ctx.state.get('table') as Table | undefined) ?? usersTableFrom(ctx);
  progress(`discover: ${big.rowCount.toLocaleString('en-US')} rows`);
  const bigTarget = topDecile(big);
  const bigMs = timed(1, () => void run(big, bigTarget, false));
  console.log(formatFigure({ name: `discover depth 3, ${big.rowCount >= 1_000_000 ? `${big.rowCount / 1_000_000}M` : big.rowCount} rows`, value: bigMs, unit: 'ms' }));
}
