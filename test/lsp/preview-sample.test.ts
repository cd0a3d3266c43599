/**
 * The preview's sample members as a PM reads them: the fields the rule uses
 * (also through a referenced segment) in the order the rule uses them, then
 * the key; numbers with thousands separators and one number of decimals per
 * column; members taken from the whole file, evenly spaced.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from './harness.js';
import { PreviewRequestMethod, type PreviewData } from '../../server/src/lsp/protocol.js';

interface Row { id: string; region: string; amount: number; score: number; visits: number; StoreId: number }

// Deterministic rows: amounts with up to two decimals, thousands in places.
const rows: Row[] = Array.from({ length: 300 }, (_, i) => ({
  id: `c${String(i).padStart(4, '0')}`,
  region: ['EU', 'US', 'APAC'][i % 3],
  amount: ((i * 7919) % 5000) + (i % 4) * 0.25,
  score: ((i * 31) % 100) / 100,
  visits: (i * 13) % 40,
  StoreId: 10_000 + ((i * 37) % 5000),
}));
const isBase = (r: Row): boolean => r.amount >= 1000;
const isTarget = (r: Row): boolean => r.region !== 'US' && isBase(r) && r.score > 0.2 && r.StoreId >= 0;

describe('preview sample members', () => {
  let client: TestClient;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segspec-preview-sample-'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(
      join(dir, 'data', 'customers.csv'),
      `id,visits,score,amount,region,StoreId\n${rows.map((r) => [r.id, r.visits, r.score, r.amount, r.region, r.StoreId].join(',')).join('\n')}\n`,
    );
    writeFileSync(
      join(dir, 'spec.segspec'),
      `dataset customers { source "data/customers.csv" key id }
segment big_spenders { where amount >= 1_000 }
segment target "Target" { where region != "US" and big_spenders and score > 0.2 and StoreId >= 0 }
`,
    );
    client = await TestClient.start(dir);
    await client.open('spec.segspec');
  });
  afterAll(async () => {
    await client.stop();
  });

  it('shows the rule fields in order (through referenced segments), then the key, formatted, spread over the file', async () => {
    const data = await client.connection.sendRequest<PreviewData>(PreviewRequestMethod, { segment: 'target' });
    const selected = data.selected!;
    expect(selected.columns).toEqual(['region', 'amount', 'score', 'StoreId', 'id']);
    expect(selected.numericColumns).toEqual(['amount', 'score']);

    const members = rows.filter(isTarget);
    expect(members.length).toBeGreaterThan(40);
    const n = selected.sample.length;
    expect(n).toBe(20);
    const expected = Array.from({ length: n }, (_, i) => members[Math.floor((i * members.length) / n)]);
    expect(selected.sample.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    // Not the first rows only: the sample reaches the last tenth of the file.
    expect(rows.indexOf(expected[n - 1])).toBeGreaterThan(rows.length * 0.9);

    const decimals = (field: 'amount' | 'score'): number =>
      Math.max(...expected.map((r) => (String(r[field]).split('.')[1] ?? '').length));
    const shown = (field: 'amount' | 'score', r: Row): string =>
      r[field].toLocaleString('en-US', { minimumFractionDigits: decimals(field), maximumFractionDigits: decimals(field) });
    expect(selected.sample.map((r) => r.amount)).toEqual(expected.map((r) => shown('amount', r)));
    expect(selected.sample.map((r) => r.score)).toEqual(expected.map((r) => shown('score', r)));
    expect(selected.sample.some((r) => r.amount.includes(','))).toBe(true);
    expect(selected.sample.map((r) => r.region)).toEqual(expected.map((r) => r.region));
    // An identifier-like integer reads as written (no thousands separator).
    expect(selected.sample.map((r) => r.StoreId)).toEqual(expected.map((r) => String(r.StoreId)));
  });
});
