/**
 * `segspec/discover` on a Parquet source (SPEC §13): the embedded reader does
 * not read Parquet, so the discovery worker has DuckDB draw the rows searched
 * and count the printed rules on every row, as `segspec discover` does: the
 * editor's answer is the CLI's report, numbers included, counted by DuckDB.
 * With `segspec.engine: embedded` (no DuckDB) the answer says why there is
 * no result instead of any number; without a target, likewise.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DidChangeConfigurationNotification } from 'vscode-languageserver-protocol';
import { TestClient } from './harness.js';
import { ensureBuilt, repoRoot, segspec } from '../cli/helpers.js';
import { AnalyzedNotificationMethod, DiscoverRequestMethod, type DiscoverParams, type DiscoverResponse } from '../../server/src/lsp/protocol.js';
import { DuckDbRunner } from '../../server/src/sqlengines/duckdb.js';

describe('segspec/discover on a Parquet source', () => {
  let root: string;
  let client: TestClient;
  beforeAll(async () => {
    ensureBuilt();
    root = mkdtempSync(join(tmpdir(), 'segspec-lsp-discover-parquet-'));
    mkdirSync(join(root, 'data'));
    cpSync(join(repoRoot, 'samples/b2b-saas/segments.segspec'), join(root, 'segments.segspec'));
    const spec = readFileSync(join(repoRoot, 'samples/b2b-saas/data.segspec'), 'utf8');
    expect(spec).toContain('source "data/accounts.csv"');
    writeFileSync(join(root, 'data.segspec'), spec.replace('source "data/accounts.csv"', 'source "data/accounts.parquet"'));
    const duck = await DuckDbRunner.open();
    try {
      const csv = join(repoRoot, 'samples/b2b-saas/data/accounts.csv');
      await duck.run(`COPY (SELECT * FROM read_csv('${csv}', header = true, all_varchar = true, quote = '"', escape = '"')) TO '${join(root, 'data/accounts.parquet')}' (FORMAT parquet)`);
    } finally {
      duck.close();
    }
    client = await TestClient.start(root);
    await client.open('segments.segspec');
  }, 180_000);
  afterAll(async () => {
    await client?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const discover = (params: DiscoverParams): Promise<DiscoverResponse> => client.connection.sendRequest<DiscoverResponse>(DiscoverRequestMethod, params);
  const configure = async (segspec: Record<string, unknown>): Promise<void> => {
    const analyzed = client.waitForNotification(AnalyzedNotificationMethod);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { segspec } });
    await analyzed;
  };

  it('answers what `segspec discover --format json` prints, every number counted by DuckDB', async () => {
    const [response, cli] = await Promise.all([
      discover({ target: 'nps <= 6', max: 5, uri: client.uri('segments.segspec') }),
      segspec(['discover', root, '--target', 'nps <= 6', '--max', '5', '--format', 'json']),
    ]);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(response.ok, response.ok ? '' : response.message).toBe(true);
    if (!response.ok) return;
    const report = JSON.parse(cli.stdout) as typeof response.report;
    expect(response.report).toEqual(report);
    expect(response.report).toMatchObject({ countedBy: 'duckdb', dataset: 'accounts' });
    expect(response.report.candidates.length).toBeGreaterThan(0);
    expect(response.file).toBe(client.uri('data.segspec'));
  }, 120_000);

  it('with segspec.engine embedded, or without a target, says why it cannot search the file and shows no number', async () => {
    await configure({ engine: 'embedded' });
    const embedded = await discover({ target: 'nps <= 6', max: 5 });
    expect(embedded).toEqual({ ok: false, message: expect.stringMatching(/accounts is a Parquet file.*segspec\.engine is embedded/) });
    await configure({ engine: 'auto' });
    const untargeted = await discover({ target: '', max: 4 });
    expect(untargeted).toEqual({ ok: false, message: expect.stringMatching(/accounts is a Parquet file.*without a target/) });
  }, 120_000);
});
