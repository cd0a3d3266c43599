/** The `segspec.asOf` setting moves "today" for datasets without `as of`, and the results follow. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeLensRequest, DidChangeConfigurationNotification } from 'vscode-languageserver-protocol';
import { TestClient, copyFixture } from './harness.js';
import { AnalyzedNotificationMethod } from '../../server/src/lsp/protocol.js';

describe('settings', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start(copyFixture('dates'));
    await client.open('spec.segspec');
  });
  afterAll(async () => {
    await client.stop();
  });

  const recentLens = async (): Promise<string | undefined> => {
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri('spec.segspec') } });
    return lenses?.find((l) => l.range.start.line === 10)?.command?.title;
  };

  const setAsOf = async (asOf: string): Promise<void> => {
    const analyzed = client.waitForNotification(AnalyzedNotificationMethod);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { segspec: { asOf } } });
    await analyzed;
  };

  it('reads at most segspec.maxRows records of each data file', async () => {
    const datasetLens = async (): Promise<string | undefined> => {
      const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri('spec.segspec') } });
      return lenses?.find((l) => l.range.start.line === 1)?.command?.title;
    };
    expect(await datasetLens()).toBe('6 rows · 2 fields');
    let analyzed = client.waitForNotification(AnalyzedNotificationMethod);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { segspec: { maxRows: 4, engine: 'embedded' } } });
    await analyzed;
    expect(await datasetLens()).toBe('4 rows · 2 fields');
    analyzed = client.waitForNotification(AnalyzedNotificationMethod);
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { segspec: { maxRows: 0 } } });
    await analyzed;
    expect(await datasetLens()).toBe('6 rows · 2 fields');
  });

  it('counts back from the configured date', async () => {
    // within last 30 days: the 30 calendar days that end with the reference date
    await setAsOf('2026-01-31');
    expect(await recentLens()).toBe('3 accounts · 50.0%');
    await setAsOf('2026-03-31');
    expect(await recentLens()).toBe('2 accounts · 33.3%');
    await setAsOf('2026-03-02');
    expect(await recentLens()).toBe('1 account · 16.7%');
  });
});
