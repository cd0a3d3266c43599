/**
 * The editor's DuckDB engine: keeps each dataset's source loaded in an
 * in-process DuckDB between analyses (reloaded when the file or the declared
 * fields change) and runs the checks on the data there. Used for datasets
 * larger than `segspec.maxRows` and for sources the embedded reader cannot
 * read (Parquet), or always with `segspec.engine: duckdb`.
 */
import { stat } from 'node:fs/promises';
import { CancelledError, type Analysis } from '../core/workspace.js';
import { prop } from '../core/syntax/ast.js';
import { applySqlAnalysis } from './apply.js';
import type { SqlResultCache } from './analyze.js';
import type { DuckDbRunner } from './duckdb.js';
import { datasetFields, datasetMissing, datasetSourcePath } from './dataset-source.js';

let duckDbModule: Promise<typeof import('./duckdb.js')> | undefined;

/**
 * DuckDB's module, imported once. A failed import (no @duckdb/node-api next
 * to the server) keeps failing with its first error, "Cannot find module …":
 * importing the bundled module again would yield undefined exports instead.
 */
function loadDuckDb(): Promise<typeof import('./duckdb.js')> {
  duckDbModule ??= import('./duckdb.js');
  return duckDbModule;
}

export type EngineSetting = 'auto' | 'embedded' | 'duckdb';

export function isEngineSetting(value: unknown): value is EngineSetting {
  return value === 'auto' || value === 'embedded' || value === 'duckdb';
}

/** Why an analysis needs DuckDB under this setting, or undefined when the embedded engine serves it. */
export function duckDbReason(analysis: Analysis, setting: EngineSetting, maxRows: number | undefined): string | undefined {
  if (setting === 'embedded') return undefined;
  const datasets = [...analysis.model.datasets.values()].filter((d) => prop(d.decl, 'source')?.value);
  if (datasets.length === 0) return undefined;
  if (setting === 'duckdb') return 'segspec.engine is duckdb';
  for (const d of datasets) {
    const source = prop(d.decl, 'source')?.value?.value ?? '';
    if (/\.parquet$/i.test(source)) return `${d.name} is a Parquet file`;
    const rows = analysis.data.get(d.name)?.table?.rowCount ?? 0;
    if (maxRows !== undefined && rows >= maxRows) return `${d.name} has more than segspec.maxRows (${maxRows}) rows`;
  }
  return undefined;
}

export interface DuckDbAnalyzeOptions {
  asOf?: string;
  /** Member keys kept per segment (hovers, the preview). */
  sampleSize: number;
  isCancelled(): boolean;
}

export class DuckDbDatasets {
  private runner: DuckDbRunner | undefined;
  private readonly loaded = new Map<string, { signature: string; table: string; view: boolean }>();
  private generation = 0;
  /** Counts and rows by table and statement: an edit re-runs only what it changed. */
  private readonly cache: SqlResultCache = new Map();

  /** The analysis with every check on the data run on DuckDB. */
  async analyze(analysis: Analysis, options: DuckDbAnalyzeOptions): Promise<Analysis> {
    const runner = await this.open();
    const model = analysis.model;
    const tables = new Map<string, string>();
    for (const dataset of model.datasets.keys()) {
      const path = datasetSourcePath(model, dataset);
      if (!path) continue;
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) continue; // the embedded reader already reports a missing file
      const fields = datasetFields(model, dataset);
      const missing = datasetMissing(model, dataset);
      const signature = JSON.stringify([path, info.size, info.mtimeMs, fields, missing]);
      let entry = this.loaded.get(dataset);
      if (entry?.signature !== signature) {
        const table = `${dataset}__${++this.generation}`;
        const { loadOrViewDataset } = await import('./duckdb-source.js');
        const { view } = await loadOrViewDataset(runner, { table, path, fields, missing });
        if (entry) {
          await runner.run(`DROP ${entry.view ? 'VIEW' : 'TABLE'} IF EXISTS "${entry.table.replace(/"/g, '""')}"`);
          this.cache.clear();
        }
        entry = { signature, table, view };
        this.loaded.set(dataset, entry);
      }
      tables.set(dataset, entry.table);
      if (options.isCancelled()) throw new CancelledError();
    }
    const { analyzeOnSql } = await import('./analyze.js');
    const inFileOrder = new Set([...this.loaded.values()].filter((e) => !e.view).map((e) => e.table));
    const results = await analyzeOnSql(runner, model, {
      tables,
      asOf: options.asOf,
      sampleSize: options.sampleSize,
      overlaps: true,
      cache: this.cache,
      rowOrder: (table) => (inFileOrder.has(table) ? 'rowid' : undefined),
      brokenRules: analysis.brokenRules,
    });
    return applySqlAnalysis(analysis, results, tables.keys());
  }

  close(): void {
    this.runner?.close();
    this.runner = undefined;
    this.loaded.clear();
    this.cache.clear();
  }

  private async open(): Promise<DuckDbRunner> {
    if (!this.runner) {
      const { DuckDbRunner } = await loadDuckDb();
      this.runner = await DuckDbRunner.open();
    }
    return this.runner;
  }
}
