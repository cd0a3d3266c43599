/**
 * A large CSV file is loaded in blocks on worker threads (started from
 * dist/block-worker.cjs) on a machine with more than one core:
 * `check` and `stats` print exactly what the one-thread load
 * (`SEGSPEC_LOAD_THREADS=off`) prints, located findings included.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, segspec } from './helpers.js';

const ROWS = 150_000;

/** ~10 MB: above the size where blocks are used. A duplicate id, a bad age and a quoted line break deep in the file. */
function usersCsv(): string {
  const lines = ['user_id,age,plan,note,signup_date'];
  for (let i = 0; i < ROWS; i++) {
    const id = i === 140_000 ? 'u0000077' : `u${String(i).padStart(7, '0')}`;
    const age = i === 120_000 ? 'old' : String(18 + (i % 60));
    const note = i % 9_973 === 0 ? '"two\nlines, quoted"' : `note number ${i % 1000} for this user`;
    lines.push(`${id},${age},${['free', 'pro', 'team'][i % 3]},${note},2024-0${1 + (i % 9)}-1${i % 10}`);
  }
  return `${lines.join('\n')}\n`;
}

const SPEC = `dataset users "Users" {
  source "users.csv"
  key user_id
  as of 2026-06-30
  fields {
    user_id: string
    age: integer?
    plan: enum("free", "pro", "team")
    signup_date: date
  }
}

segment pro "Pro users" {
  from users
  where plan == "pro" and age >= 30
}
`;

describe('loading a large CSV file on worker threads', () => {
  let dir = '';
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'segspec-load-threads-'));
    writeFileSync(join(dir, 'users.csv'), usersCsv());
    writeFileSync(join(dir, 'spec.segspec'), SPEC);
  });

  for (const command of [['check', '.'], ['stats', '.']]) {
    it(`prints what the one-thread load prints: segspec ${command.join(' ')}`, async () => {
      const one = await segspec(command, { cwd: dir, env: { SEGSPEC_LOAD_THREADS: 'off' } });
      const threads = await segspec(command, { cwd: dir, env: { SEGSPEC_LOAD_THREADS: undefined } });
      expect(threads.stderr).not.toMatch(/internal error/);
      expect(threads.code).toBe(one.code);
      expect(threads.stdout).toBe(one.stdout);
      if (command[0] === 'check') {
        // The findings deep in the file are there, at their lines (row 120,000 is on line 120,002 plus the quoted line breaks before it).
        expect(threads.stdout).toMatch(/u0000077/);
        expect(threads.stdout).toMatch(/line 1200\d\d/);
      }
    }, 60_000);
  }
});
