/**
 * `--engine embedded|duckdb|postgres|spark [--db URL]` for `stats` and
 * `check`: the checks on the data run on a SQL engine through the compiler
 * (sizes, expectations, examples, personas, partitions, overlaps), while the
 * static checks and the data-file checks still come from the core.
 */
import { choice, stringOption, type ParsedCommand } from './args.js';
import { CliError, UsageError } from './errors.js';
import type { AnalyzedWorkspace } from './analysis.js';
import { datasetTable } from '../core/sql/from-model.js';
import type { AnalyzingRunner } from '../sqlengines/analyze.js';
import { applySqlAnalysis } from '../sqlengines/apply.js';
import { datasetFields, datasetMissing, datasetSourcePath } from '../sqlengines/dataset-source.js';

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

/** The npm package each SQL engine's driver comes from (optional dependencies of segspec). */
export const ENGINE_DRIVERS: Record<SqlEngineName, string> = {
  duckdb: '@duckdb/node-api',
  postgres: 'pg',
  spark: 'hive-driver',
};

/** True when `e` says the package itself could not be found (CommonJS or ESM resolution). */
function isMissingPackage(e: unknown, pkg: string): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  const message = e instanceof Error ? e.message : String(e);
  return message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`);
}

interface OpenRunner {
  runner: AnalyzingRunner;
  close(): Promise<void>;
  /** Prepares a dataset's table; returns its name, or undefined to skip the dataset. */
  table(w: AnalyzedWorkspace, dataset: string): Promise<string | undefined>;
  /** The SQL of a table's row order, when it has one (see `analyzeOnSql`). */
  rowOrder?(table: string): string | undefined;
}

/** Drivers are imported here, on use, so that the embedded engine never loads them. */
async function openEngine(choice: Exclude<EngineChoice, { engine: 'embedded' }>): Promise<OpenRunner> {
  if (choice.engine === 'duckdb') {
    const { DuckDbRunner } = await import('../sqlengines/duckdb.js');
    const { loadOrViewDataset } = await import('../sqlengines/duckdb-source.js');
    const runner = await DuckDbRunner.open();
    const inFileOrder = new Set<string>();
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
        const { view } = await loadOrViewDataset(runner, {
          table,
          path,
          fields: datasetFields(model, dataset),
          missing: datasetMissing(model, dataset),
        });
        if (!view) inFileOrder.add(table);
        return table;
      },
      rowOrder: (table) => (inFileOrder.has(table) ? 'rowid' : undefined),
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

export interface EngineRunOptions {
  /** Count every pair of segments too (the overlap matrix of `stats`). */
  overlaps: boolean;
  /** Reference date for datasets without `as of` (the `--as-of` option). */
  asOf?: string;
  /** Member keys kept per segment (the report's sample members). */
  sampleSize?: number;
}

/**
 * Runs the checks on the data of every workspace on the engine and puts its
 * results and findings in place of the embedded engine's (a rule the engine
 * rejects is an SEG215 error there). Throws CliError (exit 2) when the engine
 * cannot be reached or a dataset's table cannot be read.
 */
export async function checkOnEngine(
  workspaces: AnalyzedWorkspace[],
  choice: Exclude<EngineChoice, { engine: 'embedded' }>,
  options: EngineRunOptions,
): Promise<void> {
  const { analyzeOnSql } = await import('../sqlengines/analyze.js');
  let open: OpenRunner;
  try {
    open = await openEngine(choice);
  } catch (e) {
    const driver = ENGINE_DRIVERS[choice.engine];
    if (isMissingPackage(e, driver)) {
      throw new CliError(`--engine ${choice.engine} needs the optional package '${driver}', which is not installed: npm install ${driver}`);
    }
    const where = choice.db ? ` at ${choice.db}` : '';
    throw new CliError(`cannot reach ${choice.engine}${where}: ${reason(e)}`);
  }
  try {
    for (const w of workspaces) {
      const model = w.analysis.model;
      const tables = new Map<string, string>();
      const readByEngine: string[] = [];
      for (const dataset of model.datasets.keys()) {
        let table: string | undefined;
        try {
          table = await open.table(w, dataset);
        } catch (e) {
          throw new CliError(`${choice.engine} could not read dataset '${dataset}'${table ? ` (table ${table})` : ''}: ${reason(e)}`);
        }
        if (table === undefined) continue;
        tables.set(dataset, table);
        readByEngine.push(dataset);
      }
      let results: Awaited<ReturnType<typeof analyzeOnSql>>;
      try {
        results = await analyzeOnSql(open.runner, model, {
          tables,
          asOf: options.asOf,
          overlaps: options.overlaps,
          sampleSize: options.sampleSize,
          rowOrder: open.rowOrder,
          brokenRules: w.analysis.brokenRules,
        });
      } catch (e) {
        throw new CliError(`${choice.engine} could not run the checks of ${w.target.root}: ${reason(e)}`);
      }
      w.analysis = applySqlAnalysis(w.analysis, results, readByEngine);
      const only = w.target.onlyFiles;
      w.findings = only ? w.analysis.findings.filter((f) => only.has(f.file)) : w.analysis.findings;
    }
  } finally {
    await open.close().catch(() => undefined);
  }
}
