/**
 * `segspec init --from A --from B …`: one dataset per file, and `belongs to
 * PARENT by FIELD` proposed where a column's values are another file's keys
 * (SPEC §11), with `key` when that column is unique (one-to-one).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, segspec } from './helpers.js';

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'segspec-init-related-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The dataset block named `name` in a data.segspec text. */
function block(text: string, name: string): string {
  const start = text.indexOf(`dataset ${name} `);
  expect(start).toBeGreaterThanOrEqual(0);
  return text.slice(start, text.indexOf('\n}\n', start) + 2);
}

describe('segspec init --from several files', { timeout: 120_000 }, () => {
  it('proposes belongs to for event and answer files, key for the one-to-one one, nothing for unrelated ids', async () => {
    const listeners = join(work, 'listeners.csv');
    const plays = join(work, 'plays.jsonl');
    const survey = join(work, 'survey.csv');
    const tracks = join(work, 'tracks.csv');
    writeFileSync(listeners, 'listener_id,plan\nL1,free\nL2,duo\nL3,free\nL4,family\n');
    // One orphan in 12 plays (L9): exports have a few, the link is still proposed.
    const playRows = ['L1', 'L1', 'L2', 'L1', 'L3', 'L2', 'L1', 'L2', 'L3', 'L1', 'L2', 'L9'].map(
      (id, i) => JSON.stringify({ listener_id: id, track_id: `T${i % 5}`, at: `2026-06-${String(10 + i).padStart(2, '0')}T10:00:00Z`, ms_played: 1000 * (i + 1) }),
    );
    writeFileSync(plays, playRows.join('\n') + '\n');
    writeFileSync(survey, 'listener_id,nps\nL1,9\nL3,\nL4,4\n');
    // track ids match no file's key (tracks has its own key `id`, with other values).
    writeFileSync(tracks, 'id,title\nX1,One\nX2,Two\n');
    const dir = join(work, 'ws');
    const r = await segspec(['init', dir, '--from', listeners, '--from', plays, '--from', survey, '--from', tracks, '--as-of', '2026-06-30']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n  plays: 12 rows of 4 columns, belongs to listeners by listener_id \(11 of 12 rows name a listeners row\)\n/);
    const text = readFileSync(join(dir, 'data.segspec'), 'utf8');
    expect(block(text, 'listeners')).not.toContain('belongs to');
    expect(block(text, 'plays')).toContain('  belongs to listeners by listener_id\n');
    expect(block(text, 'plays')).not.toMatch(/\bkey /);
    expect(block(text, 'survey')).toContain('  key listener_id\n  belongs to listeners by listener_id\n');
    expect(block(text, 'tracks')).not.toContain('belongs to');
    // With several datasets the example segment names its own: the first file's.
    expect(readFileSync(join(dir, 'segments.segspec'), 'utf8')).toContain('  from listeners\n');
    const check = await segspec(['check', dir, '--format', 'json']);
    const report = JSON.parse(check.stdout) as { findings: Array<{ code: string; severity: string }> };
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('never proposes a cycle: two files keyed by the same ids link one way, into the larger one', async () => {
    const a = join(work, 'accounts.csv');
    const b = join(work, 'profiles.csv');
    writeFileSync(a, 'account_id,tier\n1,a\n2,b\n3,a\n');
    writeFileSync(b, 'account_id,score\n1,5\n2,7\n3,1\n');
    const dir = join(work, 'pair');
    const r = await segspec(['init', dir, '--from', a, '--from', b, '--as-of', '2026-06-30']);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'data.segspec'), 'utf8');
    const links = text.match(/belongs to \w+ by \w+/g) ?? [];
    expect(links).toEqual(['belongs to accounts by account_id']);
    expect(block(text, 'profiles')).toContain('belongs to accounts by account_id');
  });
});
