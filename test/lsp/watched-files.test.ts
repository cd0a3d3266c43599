/** A data file changed on disk reaches the editor: watched-file events reload the data and the lenses follow. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeLensRequest, DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { TestClient, copySample } from './harness.js';
import { AnalyzedNotificationMethod, type AnalyzedParams } from '../../server/src/lsp/protocol.js';

describe('watched files', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start(copySample('productivity'));
    await client.open('data.segspec');
    await client.open('segments.segspec');
  });
  afterAll(async () => {
    await client.stop();
  });

  const lensTitles = async (file: string): Promise<string[]> => {
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri(file) } });
    return (lenses ?? []).map((l) => l.command?.title ?? '');
  };

  it('reloads sample data changed on disk and updates the code lenses', async () => {
    expect(await lensTitles('data.segspec')).toContain('8,000 rows · 14 fields');
    const before = await lensTitles('segments.segspec');

    const csv = client.path('data/users.csv');
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    writeFileSync(csv, `${lines.slice(0, 2001).join('\n')}\n`);
    const analyzed = client.waitForNotification<AnalyzedParams>(AnalyzedNotificationMethod);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uri('data/users.csv'), type: FileChangeType.Changed }],
    });
    const params = await analyzed;
    expect(params.datasets).toEqual([{ name: 'users', rows: 2000, loaded: true, unit: 'users', unitOne: 'user' }]);

    expect(await lensTitles('data.segspec')).toContain('2,000 rows · 14 fields');
    const after = await lensTitles('segments.segspec');
    expect(after).toHaveLength(before.length);
    expect(after).not.toEqual(before);
    const size = (title: string): number => Number(/^([\d,]+) users/.exec(title)?.[1].replace(/,/g, '') ?? NaN);
    const measured = after.map(size).filter((n) => !Number.isNaN(n));
    expect(measured.length).toBeGreaterThan(10);
    expect(Math.max(...measured)).toBeLessThanOrEqual(2000);
  });
});
