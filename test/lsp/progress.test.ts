/** Loading a large data file shows work-done progress in the editor, begun and ended. */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from './harness.js';

const ROWS = 20_000;

function largeWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'segspec-lsp-large-'));
  mkdirSync(join(dir, 'data'));
  const plans = ['free', 'pro', 'team', 'enterprise'];
  const lines = ['id,age,plan,sessions'];
  for (let i = 0; i < ROWS; i++) lines.push(`u${i},${18 + (i % 60)},${plans[i % 4]},${(i * 7) % 90}`);
  writeFileSync(join(dir, 'data', 'users.csv'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(dir, 'spec.segspec'),
    'dataset users {\n  source "data/users.csv"\n  key id\n}\n\nsegment pros {\n  where plan == "pro" and sessions > 10\n}\n',
  );
  return dir;
}

describe('progress while data loads', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start(largeWorkspace());
  });
  afterAll(async () => {
    await client.stop();
  });

  it('reports a begin and an end on a server-created progress token', async () => {
    await client.waitForProgress('end');
    expect(client.progressTokens.length).toBeGreaterThan(0);
    const token = client.progressTokens[0];
    const kinds = client.progress.filter((p) => p.token === token).map((p) => p.value.kind);
    expect(kinds[0]).toBe('begin');
    expect(kinds.at(-1)).toBe('end');
    expect(client.progress.find((p) => p.value.kind === 'begin')?.value.title).toBe('Segspec');
    const published = await client.open('spec.segspec');
    expect(published.version).toBe(1);
  });
});
