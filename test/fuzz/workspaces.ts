/**
 * The workspaces the fuzzer damages: copies of the samples with their data
 * cut to a few hundred rows (the loaders' and checks' code paths are the same,
 * and each case stays fast), one per loader format.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export type LoaderFormat = 'csv' | 'tsv' | 'json' | 'jsonl' | 'markdown' | 'parquet';

export interface FuzzWorkspace {
  name: string;
  dir: string;
  /** .segspec and .md files, relative to dir. */
  specFiles: string[];
  /** Files a loader reads, relative to dir, with their format. */
  loaderFiles: Array<{ file: string; format: LoaderFormat }>;
  /** Extra CLI arguments every run on this workspace needs. */
  engineArgs: string[];
}

const ROWS = 300;

function headLines(path: string, lines: number): void {
  const text = readFileSync(path, 'utf8').split('\n');
  writeFileSync(path, `${text.slice(0, lines + 1).join('\n')}\n`);
}

function copySample(repoRoot: string, sample: string, dir: string): void {
  cpSync(join(repoRoot, 'samples', sample), dir, { recursive: true, filter: (src) => !src.endsWith('generate.mjs') });
}

function filesOf(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (ext.test(e.name)) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function describe(name: string, dir: string, loaderFiles: FuzzWorkspace['loaderFiles'], engineArgs: string[] = []): FuzzWorkspace {
  const markdown = filesOf(dir, /\.md$/u).map((file) => ({ file, format: 'markdown' as const }));
  return { name, dir, specFiles: filesOf(dir, /\.(segspec|md)$/u), loaderFiles: [...loaderFiles, ...markdown], engineArgs };
}

/** Creates the CSV, JSON/JSONL and TSV workspaces under `root` (emptied first). */
export function prepareWorkspaces(repoRoot: string, root: string): FuzzWorkspace[] {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });

  const productivity = join(root, 'productivity');
  copySample(repoRoot, 'productivity', productivity);
  headLines(join(productivity, 'data/users.csv'), ROWS);

  const streaming = join(root, 'streaming');
  copySample(repoRoot, 'streaming', streaming);
  headLines(join(streaming, 'data/listeners.jsonl'), ROWS);
  // The play log is long: its head names only the first listeners, which is enough for links and aggregates.
  headLines(join(streaming, 'data/plays.jsonl'), ROWS * 4);
  headLines(join(streaming, 'data/survey.csv'), ROWS);

  const tsv = join(root, 'b2b-tsv');
  copySample(repoRoot, 'b2b-saas', tsv);
  const csv = readFileSync(join(tsv, 'data/accounts.csv'), 'utf8').split('\n').slice(0, ROWS + 1);
  writeFileSync(join(tsv, 'data/accounts.tsv'), `${csv.map((l) => l.replaceAll(',', '\t')).join('\n')}\n`);
  rmSync(join(tsv, 'data/accounts.csv'));
  const data = join(tsv, 'data.segspec');
  writeFileSync(data, readFileSync(data, 'utf8').replace('data/accounts.csv', 'data/accounts.tsv'));

  return [
    describe('productivity', productivity, [{ file: 'data/users.csv', format: 'csv' }]),
    describe('streaming', streaming, [
      { file: 'data/listeners.jsonl', format: 'jsonl' },
      { file: 'data/plays.jsonl', format: 'jsonl' },
      { file: 'data/survey.csv', format: 'csv' },
    ]),
    describe('b2b-tsv', tsv, [{ file: 'data/accounts.tsv', format: 'tsv' }]),
  ];
}

/**
 * A copy of the productivity workspace reading its users from Parquet
 * through DuckDB, or undefined (with the reason) when DuckDB cannot load here.
 */
export async function prepareParquetWorkspace(root: string, productivity: FuzzWorkspace): Promise<FuzzWorkspace | string> {
  const dir = join(root, 'parquet');
  cpSync(productivity.dir, dir, { recursive: true });
  const parquet = join(dir, 'data/users.parquet');
  try {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const quoted = (p: string): string => `'${p.replaceAll("'", "''")}'`;
    await connection.run(`COPY (SELECT * FROM read_csv(${quoted(join(dir, 'data/users.csv'))}, all_varchar = true)) TO ${quoted(parquet)} (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
  } catch (e) {
    return `DuckDB unavailable: ${e instanceof Error ? e.message : String(e)}`;
  }
  rmSync(join(dir, 'data/users.csv'));
  const spec = join(dir, 'data.segspec');
  writeFileSync(spec, readFileSync(spec, 'utf8').replace('data/users.csv', 'data/users.parquet'));
  return { ...describe('parquet', dir, [{ file: 'data/users.parquet', format: 'parquet' }]), engineArgs: ['--engine', 'duckdb'] };
}
