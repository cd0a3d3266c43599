/**
 * `missing ["?", "NA"]` gives the same counts on every engine: the embedded
 * reader, DuckDB, and PostgreSQL / Spark when SEGSPEC_PG_URL /
 * SEGSPEC_SPARK_URL name a server. Each format: CSV, TSV, JSON, JSON Lines.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace, type Analysis } from '../../../server/src/core/workspace.js';
import { NodeHost } from '../../../server/src/node/fs-host.js';
import { DuckDbRunner } from '../../../server/src/sqlengines/duckdb.js';
import { PostgresRunner } from '../../../server/src/sqlengines/postgres.js';
import { analyzeOnSql, type AnalyzingRunner } from '../../../server/src/sqlengines/analyze.js';
import { datasetFields, datasetMissing, datasetSourcePath, loadModelDataset } from '../../../server/src/sqlengines/workspace.js';

const rows: Array<[string, string, string, string]> = [
  // id, age, income, city
  ['r1', '39', '?', 'Rome'],
  ['r2', '?', '120.5', 'NA'],
  ['r3', 'NA', '80', '?'],
  ['r4', '28', 'NA', 'Oslo'],
  ['r5', '51', '60', ' NA'],
  ['r6', '', '70', 'na'],
];

const files: Record<string, string> = {
  csv: `id,age,income,city\n${rows.map((r) => r.map((c, k) => (k === 1 && c === 'NA' ? '"NA"' : c)).join(',')).join('\n')}\n`,
  tsv: `id\tage\tincome\tcity\n${rows.map((r) => r.join('\t')).join('\n')}\n`,
  json: JSON.stringify(rows.map(([id, age, income, city]) => ({ id, age: /^\d+$/.test(age) ? Number(age) : age === '' ? null : age, income, city }))),
  jsonl: rows.map(([id, age, income, city]) => JSON.stringify({ id, age, income: income === '' ? null : income, city })).join('\n'),
};

const spec = (format: string) => `dataset people {
  source "data/people.${format}"
  key id
  missing ["?", "NA"]
}
segment older { where age >= 30 }
segment no_age { where age is missing }
segment rich { where income > 75 }
segment no_city { where city is missing }
segment na_city { where city == " NA" or city == "na" }
`;

function counts(segments: Map<string, { rows: number; size: number; unknown: number }>): Record<string, number[]> {
  return Object.fromEntries([...segments].map(([name, s]) => [name, [s.rows, s.size, s.unknown]]));
}

describe('`missing [...]` on every engine', () => {
  let root: string;
  const workspaces = new Map<string, Analysis>();
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'segspec-missing-'));
    for (const [format, text] of Object.entries(files)) {
      const dir = join(root, format);
      mkdirSync(join(dir, 'data'), { recursive: true });
      writeFileSync(join(dir, 'spec.segspec'), spec(format));
      writeFileSync(join(dir, `data/people.${format}`), text);
      workspaces.set(format, await new Workspace(new NodeHost(), dir).analyze());
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the embedded reader reads the tokens as missing values: typed columns, no bad values', () => {
    for (const [format, analysis] of workspaces) {
      expect(analysis.findings, format).toEqual([]);
      expect(analysis.model.fieldTypes.get('people')?.get('age')?.type, format).toBe('integer');
      expect(analysis.model.fieldTypes.get('people')?.get('income')?.type, format).toBe('number');
      // r2, r3 are `?`/`NA`; r6 is empty (CSV, TSV) or the empty string (JSON).
      expect(counts(analysis.results.segments), format).toEqual({
        older: [6, 2, 3],
        no_age: [6, 3, 0],
        rich: [6, 2, 2],
        no_city: [6, 2, 0],
        na_city: [6, 2, 2],
      });
    }
  });

  it('DuckDB counts the same', async () => {
    const duck = await DuckDbRunner.open();
    try {
      for (const [format, analysis] of workspaces) {
        await loadModelDataset(duck, analysis.model, 'people');
        const onDuck = await analyzeOnSql(duck, analysis.model, { tables: new Map([['people', 'people']]) });
        expect(counts(onDuck.segments), format).toEqual(counts(analysis.results.segments));
      }
    } finally {
      duck.close();
    }
  });

  async function onServer(runner: AnalyzingRunner & { loadSample(table: string, source: { path: string; fields: ReturnType<typeof datasetFields>; missing?: readonly string[] }): Promise<number> }, schema: string) {
    for (const [format, analysis] of workspaces) {
      const table = `${schema}.people_${format}`;
      const path = datasetSourcePath(analysis.model, 'people')!;
      await runner.loadSample(table, { path, fields: datasetFields(analysis.model, 'people'), missing: datasetMissing(analysis.model, 'people') });
      const result = await analyzeOnSql(runner, analysis.model, { tables: new Map([['people', table]]) });
      expect(counts(result.segments), format).toEqual(counts(analysis.results.segments));
    }
  }

  const pgUrl = process.env.SEGSPEC_PG_URL;
  it.skipIf(!pgUrl)('PostgreSQL counts the same', async () => {
    const pg = await PostgresRunner.connect(pgUrl as string);
    try {
      await pg.query('CREATE SCHEMA IF NOT EXISTS segspec_missing_tokens');
      await onServer(pg, 'segspec_missing_tokens');
    } finally {
      await pg.query('DROP SCHEMA IF EXISTS segspec_missing_tokens CASCADE').catch(() => undefined);
      await pg.close();
    }
  }, 120_000);

  const sparkUrl = process.env.SEGSPEC_SPARK_URL;
  it.skipIf(!sparkUrl)('Spark counts the same', async () => {
    const { SparkRunner } = await import('../../../server/src/sqlengines/spark.js');
    const spark = await SparkRunner.connect(sparkUrl as string);
    try {
      await onServer(spark, 'segspec_missing_tokens');
    } finally {
      await spark.close();
    }
  }, 300_000);
});
