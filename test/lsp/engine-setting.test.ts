/**
 * `segspec.engine`: `auto` runs the checks on DuckDB for a dataset above
 * `segspec.maxRows` (over every row) and for a Parquet source; `duckdb` always;
 * `embedded` never. The editor shows the same kind of results either way.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeLensRequest, DidChangeConfigurationNotification, HoverRequest } from 'vscode-languageserver-protocol';
import { TestClient, copyFixture } from './harness.js';
import { AnalyzedNotificationMethod } from '../../server/src/lsp/protocol.js';
import { DuckDbRunner } from '../../server/src/sqlengines/duckdb.js';

describe('segspec.engine', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start(copyFixture('dates'));
    await client.open('spec.segspec');
  });
  afterAll(async () => {
    await client.stop();
  });

  const lenses = async (): Promise<{ dataset?: string; recent?: string }> => {
    const all = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri('spec.segspec') } });
    return {
      dataset: all?.find((l) => l.range.start.line === 1)?.command?.title,
      recent: all?.find((l) => l.range.start.line === 10)?.command?.title,
    };
  };
  const configure = async (segspec: Record<string, unknown>): Promise<void> => {
    const analyzed = client.waitForNotification(AnalyzedNotificationMethod);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { segspec: { asOf: '2026-03-31', ...segspec } } });
    await analyzed;
  };

  it('auto: a dataset above maxRows is counted on DuckDB over every row', async () => {
    await configure({ maxRows: 0, engine: 'embedded' });
    const everyRow = await lenses();
    expect(everyRow).toEqual({ dataset: '6 rows · 2 fields', recent: '2 accounts · 33.3%' });

    await configure({ maxRows: 3, engine: 'embedded' });
    expect(await lenses()).toEqual({ dataset: '3 rows · 2 fields', recent: '0 accounts · 0.0%' });

    await configure({ maxRows: 3, engine: 'auto' });
    expect(await lenses()).toEqual(everyRow);
  });

  it('duckdb: always DuckDB, with the same numbers and member keys in the hover', async () => {
    await configure({ maxRows: 0, engine: 'duckdb' });
    expect(await lenses()).toEqual({ dataset: '6 rows · 2 fields', recent: '2 accounts · 33.3%' });
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: client.uri('spec.segspec') },
      position: { line: 10, character: 10 },
    });
    const text = JSON.stringify(hover?.contents);
    expect(text).toMatch(/a5/);
    expect(text).toMatch(/a6/);
    expect(text).not.toMatch(/a4/);
  });
});

describe('segspec.engine auto with a Parquet source', () => {
  let client: TestClient;
  let root: string;
  beforeAll(async () => {
    root = copyFixture('dates');
    mkdirSync(join(root, 'data'), { recursive: true });
    const duck = await DuckDbRunner.open();
    try {
      await duck.run(
        `COPY (SELECT 'p' || i AS id, DATE '2026-03-31' - CAST(i AS INTEGER) AS signup FROM range(1, 101) t(i)) TO '${join(root, 'data/accounts.parquet')}' (FORMAT parquet)`,
      );
    } finally {
      duck.close();
    }
    writeFileSync(
      join(root, 'spec.segspec'),
      'dataset accounts {\n  source "data/accounts.parquet"\n  key id\n  as of 2026-03-31\n  fields {\n    id: string\n    signup: date\n  }\n}\n\nsegment recent "Recent" {\n  where signup within last 30 days\n}\n',
    );
    client = await TestClient.start(root);
  });
  afterAll(async () => {
    await client.stop();
  });

  it('is read by DuckDB: no "unsupported format" problem, sizes in the code lens', async () => {
    const published = await client.open('spec.segspec');
    expect(published.diagnostics.map((d) => d.code)).not.toContain('SEG102');
    const all = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri('spec.segspec') } });
    // within last 30 days of 2026-03-31: signup from 2026-03-02 to 2026-03-31 = p1 … p29 (p0 does not exist)
    expect(all?.find((l) => l.range.start.line === 10)?.command?.title).toBe('29 accounts · 29.0%');
    expect(all?.find((l) => l.range.start.line === 0)?.command?.title).toBe('100 rows · 2 fields');
  });
});
