/**
 * A lookup into a one-to-one dataset whose link names a parent twice (SEG132)
 * has no value to stand behind (which of the two rows?): the segment, and every
 * segment that uses it, is unavailable with the reason, on the embedded engine
 * and on DuckDB alike; a rule without the lookup is still measured.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, segspec } from './helpers.js';

const SPEC = `dataset users {
  source "users.csv"
  key id
}
dataset survey {
  source "survey.csv"
  key id
  belongs to users by id
}
segment happy { from users where survey.nps >= 8 }
segment happy_or_a { from users where happy or plan == "a" }
segment answered { from users where exists(survey) }
segment plan_a { from users where plan == "a" }
`;

interface Segment {
  name: string;
  status: string;
  size: number | null;
  reason?: string;
}

describe('lookups through a link that names a parent twice', () => {
  let work = '';
  beforeAll(() => {
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'segspec-ambiguous-'));
    writeFileSync(join(work, 'users.csv'), 'id,plan\nu1,a\nu2,b\nu3,a\n');
    writeFileSync(join(work, 'survey.csv'), 'id,nps\nu1,9\nu1,3\nu2,5\nzz,7\n');
    writeFileSync(join(work, 'spec.segspec'), SPEC);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const segments = async (args: string[]): Promise<Map<string, Segment>> => {
    const r = await segspec(['stats', work, '--format', 'json', ...args]);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { segments: Segment[] };
    return new Map(doc.segments.map((s) => [s.name, s]));
  };

  it.each([[[]], [['--engine', 'duckdb']]])('are unavailable with the reason, also through a reference (%j)', async (args) => {
    const found = await segments(args);
    expect(found.get('happy')).toMatchObject({ status: 'unavailable', size: null, reason: '`survey.nps` cannot be read: 1 users row has more than one `survey` row' });
    expect(found.get('happy_or_a')).toMatchObject({ status: 'unavailable', size: null });
    expect(found.get('happy_or_a')?.reason).toMatch(/^depends on `happy`, which is unavailable: `survey.nps` cannot be read/);
    // Counting related rows needs no choice between them; plain rules are measured as always.
    expect(found.get('answered')).toMatchObject({ status: 'ok', size: 2 });
    expect(found.get('plan_a')).toMatchObject({ status: 'ok', size: 2 });
  });
});
