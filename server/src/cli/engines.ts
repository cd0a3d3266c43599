/**
 * `--engine embedded|duckdb|postgres|spark [--db URL]` for `stats` and
 * `check`: segment sizes and overlaps measured on a SQL engine through the
 * compiler, while every static check still comes from the core.
 */
import { choice, stringOption, type ParsedCommand } from './args.js';
import { CliError, UsageError } from './errors.js';
import type { AnalyzedWorkspace } from './analysis.js';
import { displayPath } from './reporters/findings.js';
import type { WorkspaceView } from './view.js';
import { datasetTable } from '../core/sql/from-model.js';
import type { QueryingRunner } from '../sqlengines/measure.js';

export const ENGINES = ['embedded', 'duckdb', 'postgres', 'spark'] as const;
export type EngineName = (typeof ENGINES)[number];
export type SqlEngineName = Exclude<EngineName, 'embedded'>;

export type EngineChoice = { engine: 'embedded' } | { engine: SqlEngineName; db?: string };

/** Reads `--engine` and `--db`; a server engine without `--db` is a usage error. */
export function engineOption(cmd: ParsedCommand): EngineChoice {
  const engine = choice(cmd, 'engine', ENGINES, 'embedded');
  const db = stringOption(cmd, 'db');
  if (engine === 'embedded') {
    if (db !== undefined) throw new UsageError('--db needs --engine postgres or --engine spark', cmd.command);
    return { engine };
  }
  if (engine === 'duckdb') {
    if (db !== undefined) throw new UsageError('--engine duckdb reads the datasets\' source files; --db is for postgres and spark', cmd.command);
    return { engine };
  }
  if (db === undefined) {
    const example = engine === 'postgres' ? 'postgres://user@host:5432/db' : 'hive://host:10000';
    throw new UsageError(`--engine ${engine} needs --db URL (e.g. ${example})`, cmd.command);
  }
  return { engine, db };
}

export interface EngineSegment {
  segment: string;
  size?: number;
  error?: string;
}

export interface EngineDataset {
  dataset: string;
  rows: number;
  segments: EngineSegment[];
  overlaps: Array<{ a: string; b: string; count: number }>;
}

/** What one SQL engine measured for one workspace. */
export interface EngineMeasures {
  workspace: AnalyzedWorkspace;
  datasets: EngineDataset[];
}

interface OpenRunner {
  runner: QueryingRunner;
  close(): Promise<void>;
  /** Prepares a dataset's table; returns its name, or undefined to skip the dataset. */
  table(w: AnalyzedWorkspace, dataset: string): Promise<string | undefined>;
}

/** Drivers are imported here, on use, so that the embedded engine never loads them. */
async function openEngine(choice: Exclude<EngineChoice, { engine: 'embedded' }>): Promise<OpenRunner> {
  if (choice.engine === 'duckdb') {
    const { DuckDbRunner } = await import('../sqlengines/duckdb.js');
    const { datasetFields, datasetSourcePath } = await import('../sqlengines/workspace.js');
    const runner = await DuckDbRunner.open();
    let loaded = 0;
    return {
      runner,
      close: async () => runner.close(),
      table: async (w, dataset) => {
        const model = w.analysis.model;
        const path = datasetSourcePath(model, dataset);
        if (!path) return undefined;
        // One in-memory database for every workspace: a fresh table name per dataset.
        const table = `${dataset}__${loaded++}`;
        await runner.loadDataset({ table, path, fields: datasetFields(model, dataset) });
        return table;
      },
    };
  }
  const url = choice.db as string;
  if (choice.engine === 'postgres') {
    const { PostgresRunner } = await import('../sqlengines/postgres.js');
    const runner = await PostgresRunner.connect(url);
    return { runner, close: () => runner.close(), table: async (w, dataset) => datasetTable(w.analysis.model, dataset) };
  }
  // The Thrift driver calls the deprecated Buffer(); its DEP0005 warning would otherwise end up in every run's stderr.
  process.noDeprecation = true;
  const { SparkRunner } = await import('../sqlengines/spark.js');
  const runner = await SparkRunner.connect(url);
  return { runner, close: () => runner.close(), table: async (w, dataset) => datasetTable(w.analysis.model, dataset) };
}

function reason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // pg reports an unreachable host as an AggregateError with an empty message.
  if (!message && e instanceof AggregateError) return e.errors.map((x: unknown) => (x instanceof Error ? x.message : String(x))).join('; ');
  return message.split('\n')[0];
}

/**
 * Sizes and overlaps of every evaluated segment of every workspace, on the
 * engine. Throws CliError (exit 2) when the engine cannot be reached or a
 * dataset's table cannot be read.
 */
export async function measureOnEngine(
  workspaces: readonly AnalyzedWorkspace[],
  choice: Exclude<EngineChoice, { engine: 'embedded' }>,
): Promise<EngineMeasures[]> {
  const { measureDataset } = await import('../sqlengines/measure.js');
  let open: OpenRunner;
  try {
    open = await openEngine(choice);
  } catch (e) {
    const where = choice.db ? ` at ${choice.db}` : '';
    throw new CliError(`cannot reach ${choice.engine}${where}: ${reason(e)}`);
  }
  const out: EngineMeasures[] = [];
  try {
    for (const w of workspaces) {
      const { model, results } = w.analysis;
      const datasets: EngineDataset[] = [];
      for (const dataset of model.datasets.keys()) {
        const evaluated = results.datasets.get(dataset);
        if (!evaluated) continue;
        let table: string | undefined;
        try {
          table = await open.table(w, dataset);
          if (table === undefined) continue;
          // The embedded engine's reference date, so that relative dates mean the same day.
          // Only segments the embedded engine evaluated (drafts and failing ones have no members there).
          const segments = [...results.segments.values()].filter((r) => r.dataset === dataset && r.members).map((r) => r.name);
          datasets.push(await measureDataset(open.runner, model, { dataset, table, asOf: evaluated.asOf, segments }));
        } catch (e) {
          throw new CliError(`${choice.engine} could not measure dataset '${dataset}'${table ? ` (table ${table})` : ''}: ${reason(e)}`);
        }
      }
      out.push({ workspace: w, datasets });
    }
  } finally {
    await open.close().catch(() => undefined);
  }
  return out;
}

/** The label `buildView` gives a workspace. */
export function workspaceLabel(w: AnalyzedWorkspace, cwd: string): string {
  return displayPath(w.target.root, cwd) || '.';
}

/**
 * Replaces the view's sizes, shares, dataset row counts and overlap counts
 * with the engine's; statuses, coverage and partitions stay the embedded
 * engine's. Returns the segments the engine could not measure.
 */
export function applyEngineMeasures(view: WorkspaceView, measures: readonly EngineMeasures[], cwd: string): EngineSegment[] {
  const failed: EngineSegment[] = [];
  for (const m of measures) {
    const ws = workspaceLabel(m.workspace, cwd);
    for (const d of m.datasets) {
      const dv = view.datasets.find((x) => x.workspace === ws && x.name === d.dataset);
      if (dv) dv.rows = d.rows;
      for (const s of d.segments) {
        const sv = view.segments.find((x) => x.workspace === ws && x.name === s.segment);
        if (!sv) continue;
        if (s.size === undefined) {
          failed.push(s);
          continue;
        }
        sv.size = s.size;
        sv.share = d.rows === 0 ? 0 : s.size / d.rows;
      }
      const counts = new Map(d.overlaps.map((o) => [`${o.a}\u0000${o.b}`, o.count]));
      for (const o of view.overlaps) {
        if (o.workspace !== ws) continue;
        const count = counts.get(`${o.a}\u0000${o.b}`) ?? counts.get(`${o.b}\u0000${o.a}`);
        if (count !== undefined) o.count = count;
      }
    }
  }
  return failed;
}
