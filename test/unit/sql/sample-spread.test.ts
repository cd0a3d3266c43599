/**
 * The sample members a SQL engine lists are spread over the file as the
 * embedded engine spreads them (the members ranked ⌊j·n/limit⌋ in file
 * order), not the first rows only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace, type Analysis } from '../../../server/src/core/workspace.js';
import { NodeHost } from '../../../server/src/node/fs-host.js';
import { analyzeOnSql } from '../../../server/src/sqlengines/analyze.js';
import { DuckDbRunner } from '../../../server/src/sqlengines/duckdb.js';
import { loadModelDataset } from '../../../server/src/sqlengines/workspace.js';

const key = (i: number) => `k${String(i).padStart(3, '0')}`;

describe('sample members on DuckDB', () => {
  let dir: string;
  let analysis: Analysis;
  let duck: DuckDbRunner;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'segspec-spread-'));
    // 100 rows; `even` holds every second row (50 members), `few` the first three rows.
    writeFileSync(join(dir, 'rows.csv'), ['id,n', ...Array.from({ length: 100 }, (_, i) => `${key(i)},${i}`)].join('\n'));
    const evens = Array.from({ length: 50 }, (_, i) => i * 2).join(', ');
    writeFileSync(join(dir, 'spec.segspec'), `dataset rows { source "rows.csv" key id }\nsegment even { where n in [${evens}] }\nsegment few { where n < 3 }\n`);
    analysis = await new Workspace(new NodeHost(), dir).analyze();
    duck = await DuckDbRunner.open();
    await loadModelDataset(duck, analysis.model, 'rows');
  });
  afterAll(() => {
    duck?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('spreads them over the file, as the embedded engine does', async () => {
    const onSql = await analyzeOnSql(duck, analysis.model, { tables: new Map([['rows', 'rows']]), rowOrder: () => 'rowid', sampleSize: 5, overlaps: false });
    expect(onSql.errors).toEqual([]);
    // Members ranked 0, 10, 20, 30 and 40 of 50: rows 0, 20, 40, 60 and 80.
    expect(onSql.segments.get('even')?.sampleKeys).toEqual([0, 20, 40, 60, 80].map(key));
    // No more members than the limit: all of them.
    expect(onSql.segments.get('few')?.sampleKeys).toEqual([0, 1, 2].map(key));
  });
});
