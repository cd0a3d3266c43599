/**
 * `segspec stats` lists each related dataset with its rows, its parent and
 * the share of parent rows that have related rows (SPEC §11), in the table
 * and in JSON; the expected counts are computed here from the CSV files.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, segspec } from './helpers.js';

const listeners = ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8'];
// L9 names no listener (an orphan); one play has no listener at all.
const plays = ['L1', 'L1', 'L2', 'L5', 'L5', 'L5', 'L9', ''];
const answers = ['L2', 'L3'];

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'segspec-stats-related-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data/listeners.csv'), `listener_id,plan\n${listeners.map((l, i) => `${l},${i % 2 ? 'free' : 'duo'}`).join('\n')}\n`);
  writeFileSync(join(dir, 'data/plays.csv'), `listener_id,ms_played\n${plays.map((l, i) => `${l},${1000 * (i + 1)}`).join('\n')}\n`);
  writeFileSync(join(dir, 'data/survey.csv'), `listener_id,nps\n${answers.map((l, i) => `${l},${i + 5}`).join('\n')}\n`);
  writeFileSync(
    join(dir, 'spec.segspec'),
    [
      'dataset listeners { source "data/listeners.csv" key listener_id as of 2026-06-30 }',
      'dataset plays { source "data/plays.csv" belongs to listeners by listener_id fields { listener_id: string?, ms_played: integer } }',
      'dataset survey { source "data/survey.csv" key listener_id belongs to listeners by listener_id }',
      'segment free { from listeners where plan == "free" }',
      '',
    ].join('\n'),
  );
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const linked = (links: string[]) => listeners.filter((l) => links.includes(l)).length;
const orphans = (links: string[]) => links.filter((l) => !listeners.includes(l)).length;

describe('segspec stats with related datasets', { timeout: 120_000 }, () => {
  it('lists rows, parent and the share of parents linked in JSON', async () => {
    const r = await segspec(['stats', dir, '--format', 'json']);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { datasets: Array<{ name: string; rows: number; belongsTo?: Record<string, unknown> }> };
    const byName = new Map(doc.datasets.map((d) => [d.name, d]));
    expect(byName.get('listeners')?.belongsTo).toBeUndefined();
    expect(byName.get('plays')?.rows).toBe(plays.length);
    expect(byName.get('plays')?.belongsTo).toEqual({
      parent: 'listeners',
      by: 'listener_id',
      oneToOne: false,
      parents: listeners.length,
      linkedParents: linked(plays),
      share: linked(plays) / listeners.length,
      orphans: orphans(plays),
    });
    expect(byName.get('survey')?.belongsTo).toMatchObject({ oneToOne: true, linkedParents: linked(answers), orphans: 0 });
  });

  it('says it in the table', async () => {
    const r = await segspec(['stats', dir, '--no-color']);
    const share = ((100 * linked(plays)) / listeners.length).toFixed(1);
    const line = (name: string) => r.stdout.split('\n').find((l) => l.startsWith(`dataset ${name} `)) ?? '';
    expect(line('plays')).toMatch(new RegExp(`^dataset plays \\(data/plays\\.csv\\): ${plays.length} rows, `));
    expect(line('plays')).toContain(
      `, belongs to listeners by listener_id: ${share}% of listeners have plays (${linked(plays)} of ${listeners.length}); ${orphans(plays)} rows name no listeners`,
    );
    expect(line('survey')).toMatch(/, belongs to listeners by listener_id \(one-to-one\): 25\.0% of listeners have survey \(2 of 8\)$/);
    expect(line('listeners')).not.toContain('belongs to');
  });
});
