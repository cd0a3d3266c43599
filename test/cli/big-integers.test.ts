/**
 * Integers beyond 2^53 (issue 11): exact, and the same on every engine.
 * - `init` and inference read a column of 20-digit ids as `string` (as a
 *   double they would be rounded and collide);
 * - a declared `integer` cell beyond ±(2^53 − 1) is "too large for an
 *   integer" and missing on every engine;
 * - an integer literal beyond that range is kept exact: compared with an
 *   `integer` field exactly, emitted digit for digit in SQL; compared with a
 *   `number` field (a double on every engine) it is rounded to the nearest
 *   double, as the SQL engines do.
 * Sizes: embedded == DuckDB == PostgreSQL, and the integer ones equal an
 * independent count with BigInt.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRunner } from '../../server/src/sqlengines/postgres.js';
import { ensureBuilt, segspec } from './helpers.js';
import { freshPostgresDatabase } from './postgres-database.js';

const SAFE = 9007199254740991n;
const ROWS: Array<{ id: string; amount: string; x: string }> = [
  { id: '12345678901234567891', amount: '9007199254740991', x: '9007199254740992' },
  { id: '12345678901234567892', amount: '-9007199254740991', x: '12345678901234567168' },
  { id: '12345678901234567893', amount: '9007199254740990', x: '1.5' },
  { id: '1', amount: '9007199254740993', x: '-9007199254740993' },
  { id: '00042', amount: '1', x: '12345678901234567891' },
  { id: '99999999999999999999', amount: '-12345678901234567891', x: '' },
];
const CSV = ['id,amount,x', ...ROWS.map((r) => `${r.id},${r.amount},${r.x}`), ''].join('\n');

/** Integer conditions with literals beyond the safe range, and how to count them exactly. */
const INTEGER_CONDITIONS: Array<{ where: string; holds: (amount: bigint) => boolean }> = [
  { where: 'amount < 9007199254740993', holds: (a) => a < 9007199254740993n },
  { where: 'amount == 9007199254740993', holds: (a) => a === 9007199254740993n },
  { where: 'amount >= 9007199254740992', holds: (a) => a >= 9007199254740992n },
  { where: 'amount > -9007199254740993', holds: (a) => a > -9007199254740993n },
  { where: 'amount between -12345678901234567891 and 9_007_199_254_740_990', holds: (a) => a >= -12345678901234567891n && a <= 9007199254740990n },
  { where: 'amount != 12345678901234567891', holds: (a) => a !== 12345678901234567891n },
];
const OTHER_CONDITIONS = [
  'id == "12345678901234567891"',
  'id == "00042"',
  'id starts with "1234567890123456789"',
  'x < 12345678901234567891',
  'x == 12345678901234567891',
  'x >= 9007199254740993',
  'x > -9007199254740993',
];

function spec(): string {
  const segments = [...INTEGER_CONDITIONS.map((c) => c.where), ...OTHER_CONDITIONS].map((w, i) => `segment s${i} { where ${w} }`);
  return `dataset big {
  source "big.csv"
  key id
  fields {
    id: string
    amount: integer?
    x: number?
  }
}
${segments.join('\n')}
`;
}

/** The exact count of an integer condition: cells beyond the safe range are missing (never members). */
function exactCount(holds: (amount: bigint) => boolean): number {
  return ROWS.filter((r) => {
    const a = BigInt(r.amount);
    return a >= -SAFE && a <= SAFE && holds(a);
  }).length;
}

const pgUrl = process.env.SEGSPEC_PG_URL;
const pgDatabase = 'segspec_trust_big_integers';
let work = '';
let pgTarget = '';

beforeAll(async () => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'segspec-big-'));
  writeFileSync(join(work, 'big.csv'), CSV);
  writeFileSync(join(work, 'spec.segspec'), spec());
  if (!pgUrl) return;
  pgTarget = await freshPostgresDatabase(pgUrl, pgDatabase);
  const runner = await PostgresRunner.connect(pgTarget);
  try {
    const fields = [
      { name: 'id', type: 'string' as const },
      { name: 'amount', type: 'integer' as const },
      { name: 'x', type: 'number' as const },
    ];
    await runner.loadSample('big', { path: join(work, 'big.csv'), fields });
  } finally {
    await runner.close();
  }
}, 120_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

async function sizes(args: string[]): Promise<number[]> {
  const r = await segspec(['stats', work, '--format', 'json', ...args]);
  expect(r.stderr).toBe('');
  const doc = JSON.parse(r.stdout) as { segments: Array<{ name: string; size: number | null }> };
  return doc.segments.map((s) => s.size as number);
}

describe('integers beyond 2^53', () => {
  it('embedded: integer conditions count exactly (BigInt oracle); string ids compare digit for digit', async () => {
    const embedded = await sizes([]);
    expect(embedded.slice(0, INTEGER_CONDITIONS.length)).toEqual(INTEGER_CONDITIONS.map((c) => exactCount(c.holds)));
    const ids = embedded.slice(INTEGER_CONDITIONS.length, INTEGER_CONDITIONS.length + 3);
    expect(ids).toEqual([1, 1, 3]);
  });

  it('DuckDB counts every condition as the embedded engine does', async () => {
    expect(await sizes(['--engine', 'duckdb'])).toEqual(await sizes([]));
  });

  it.runIf(pgUrl)('PostgreSQL counts every condition as the embedded engine does', async () => {
    expect(await sizes(['--engine', 'postgres', '--db', pgTarget])).toEqual(await sizes([]));
  });

  it('a declared integer beyond the safe range is "too large for an integer", with its line', async () => {
    const r = await segspec(['check', work, '--no-color']);
    expect(r.stdout).toMatch(
      /SEG121 2 rows of `amount` have values too large for an integer \(beyond ±9,007,199,254,740,991, the range every engine reads exactly; declare the field `string` for ids\); first on line 5: "9007199254740993"/,
    );
    expect(r.stdout).not.toMatch(/not an integer/);
  });

  it('SQL keeps the literal digits', async () => {
    const r = await segspec(['sql', 's5', '--dialect', 'postgres', work]);
    expect(r.stdout.trim()).toBe('"amount" <> 12345678901234567891');
  });

  it('init --from infers 20-digit ids as string and writes them exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segspec-big-init-'));
    try {
      writeFileSync(join(dir, 'ids.csv'), 'account,balance\n12345678901234567891,10\n12345678901234567892,20\n12345678901234567893,30\n');
      const r = await segspec(['init', dir, '--from', join(dir, 'ids.csv')]);
      expect(r.code).toBe(0);
      const data = readFileSync(join(dir, 'data.segspec'), 'utf8');
      expect(data).toMatch(/account: string/);
      expect(data).toMatch(/key account/);
      const all = ['data.segspec', 'segments.segspec', 'personas.segspec'].map((f) => {
        try {
          return readFileSync(join(dir, f), 'utf8');
        } catch {
          return '';
        }
      });
      expect(all.join('\n')).not.toMatch(/12345678901234567000/);
      expect((await segspec(['check', dir])).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
