/**
 * The comparison behind `segspec diff` on small in-memory workspaces: members
 * matched by key or by row, and sides that could not be measured shown as
 * unavailable (never as 0).
 */
import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../../server/src/core/diff/compare.js';
import { snapshotOf } from '../../../server/src/core/diff/from-analysis.js';
import { FULL_CONTENTS, type DiffSnapshot } from '../../../server/src/core/diff/snapshot.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { makeColors } from '../../../server/src/cli/colors.js';
import { formatDiffMarkdown, formatDiffPretty } from '../../../server/src/cli/reporters/diff.js';
import { MemoryHost } from '../workspace/memory-host.js';

const csv = ['user_id,age,plan', 'u1,19,free', 'u2,34,pro', 'u3,41,team', 'u4,,free', 'u5,22,pro'].join('\n');

function dataset(key: boolean): string {
  return `dataset users {
  source "users.csv"
  ${key ? 'key user_id' : ''}
  as of 2026-06-30
  fields { age: integer? plan: enum("free", "pro", "team") }
}
`;
}

async function snapshot(spec: string, data = csv, fingerprint?: string, markdown?: string): Promise<DiffSnapshot> {
  const files: Record<string, string> = { '/ws/users.csv': data, '/ws/spec.segspec': spec };
  if (markdown !== undefined) files['/ws/roadmap.md'] = markdown;
  const analysis = await new Workspace(new MemoryHost(files), '/ws').analyze();
  return { workspaces: [snapshotOf(analysis, { workspace: 'ws', fingerprint: () => fingerprint })], contents: FULL_CONTENTS };
}

describe('diffSnapshots', () => {
  it('matches members by key: gained and lost with their keys', async () => {
    const base = await snapshot(`${dataset(true)}segment young { where age < 30 }`);
    const head = await snapshot(`${dataset(true)}segment young { where age < 40 }`);
    const [young] = diffSnapshots(base, head).segments;
    expect(young).toMatchObject({ change: 'changed', size: { before: 2, after: 3 }, membershipChanged: true });
    expect(young.members).toEqual({ known: true, by: 'key', field: 'user_id', gained: 1, lost: 0, gainedExamples: ['u2'], lostExamples: [] });
  });

  it('without a key: by row when the data is the same, else sizes only and says why', async () => {
    const base = await snapshot(`${dataset(false)}segment young { where age < 30 }`, csv, 'same');
    const head = await snapshot(`${dataset(false)}segment young { where age < 40 }`, csv, 'same');
    expect(diffSnapshots(base, head).segments[0].members).toMatchObject({ known: true, by: 'row', gained: 1, lost: 0, gainedExamples: ['line 3'] });

    const changedData = await snapshot(`${dataset(false)}segment young { where age < 40 }`, `${csv}\nu6,18,free`, 'other');
    const d = diffSnapshots(base, changedData);
    expect(d.segments[0].size).toEqual({ before: 2, after: 4 });
    expect(d.segments[0].members).toEqual({ known: false, reason: 'users has no `key` and its data changed, so members cannot be matched' });
    expect(d.segments[0].membershipChanged).toBe(true);
  });

  it('a rule that stops being measurable is unavailable with its reason, not 0', async () => {
    const base = await snapshot(`${dataset(true)}segment young { where age < 30 }`);
    const head = await snapshot(`${dataset(true)}segment young { where agee < 30 }`);
    const d = diffSnapshots(base, head);
    const [young] = d.segments;
    expect(young.size).toEqual({ before: 2, after: undefined });
    expect(young.status.after).toBe('unavailable');
    expect(young.unavailable.after).toBeTruthy();
    expect(young.membershipChanged).toBe(true);
    const pretty = formatDiffPretty(d, { base: { kind: 'stats', file: 'x.json' }, head: 'working tree' }, makeColors(false));
    expect(pretty).toMatch(/young\s+2 → unavailable/);
    expect(pretty).toContain(`after: unavailable — ${young.unavailable.after}`);
    expect(formatDiffMarkdown(d, { base: { kind: 'stats', file: 'x.json' }, head: 'working tree' })).toContain('| `young` | 2 → unavailable |');
  });

  it('a rule error makes its dependents and partitions unavailable on that side, with the reason', async () => {
    const partition = 'partition ages { segments [young, rest] exclusive exhaustive }';
    const base = await snapshot(`${dataset(true)}segment young { where age < 30 }\nsegment rest { where not young }\n${partition}`);
    const head = await snapshot(`${dataset(true)}segment young { where agee < 30 }\nsegment rest { where not young }\n${partition}`);
    const d = diffSnapshots(base, head);
    const rest = d.segments.find((s) => s.name === 'rest');
    expect(rest).toMatchObject({ change: 'affected', size: { before: 3, after: undefined }, status: { before: 'ok', after: 'unavailable' } });
    expect(rest?.unavailable.after).toBeTruthy();
    const [ages] = d.partitions;
    expect(ages).toMatchObject({ name: 'ages', holds: { before: true, after: undefined }, gaps: { before: 0, after: undefined }, startsFailing: false });
    expect(ages.unavailable.after).toBeTruthy();
    const pretty = formatDiffPretty(d, { base: { kind: 'stats', file: 'x.json' }, head: 'working tree' }, makeColors(false));
    expect(pretty).toContain(`ages: holds → unavailable · rows in none 0 → unavailable · rows in two members 0 → unavailable · after: unavailable — ${ages.unavailable.after}`);
  });

  it('a draft is shown as a draft, and an unchanged workspace lists nothing', async () => {
    const spec = `${dataset(true)}segment young { where age < 30 }\nsegment later { kind needs }`;
    const same = diffSnapshots(await snapshot(spec), await snapshot(spec));
    expect(same.segments).toEqual([]);
    expect(same.summary.membershipChanged).toBe(0);
    const d = diffSnapshots(await snapshot(`${dataset(true)}segment later { where age < 30 }`), await snapshot(spec));
    const later = d.segments.find((s) => s.name === 'later');
    expect(later).toMatchObject({ change: 'changed', size: { before: 2, after: undefined }, status: { before: 'ok', after: 'draft' } });
  });

  it('references: one that resolved and no longer does breaks; a new problem on one is listed', async () => {
    const md = 'We build for @segment(young) and @segment(old).\n';
    const base = await snapshot(`${dataset(true)}segment young { where age < 30 }\nsegment old { where age >= 40 }`, csv, undefined, md);
    const head = await snapshot(`${dataset(true)}segment young { where age < 30 expect size >= 90% }`, csv, undefined, md);
    const d = diffSnapshots(base, head);
    expect(d.references.map((r) => [r.name, r.change, r.lines])).toEqual([
      ['young', 'new-problem', [1]],
      ['old', 'breaks', [1]],
    ]);
    expect(d.summary.referencesBroken).toBe(1);
    expect(d.checks).toEqual([expect.objectContaining({ segment: 'young', text: 'expect size >= 90%', transition: 'starts-failing' })]);
    expect(d.summary.failures).toBe(2);
  });
});
