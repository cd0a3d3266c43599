/**
 * `segspec diff` on a git repository made here: the productivity sample is
 * committed on main, a feature branch changes a segment's rule, adds one,
 * removes one that the roadmap references, and moves a partition member's
 * boundary. Every number is checked against counts taken from the CSV by
 * plain code below.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceRoots } from '../../server/src/cli/diff/git.js';
import { ensureBuilt, repoRoot, segspec } from './helpers.js';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

let repo: string;
let ws: string;
let outside: string;

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, env: { ...process.env, ...GIT_ENV, HOME: repo }, encoding: 'utf8' });
}

// ---------------------------------------------------------------- independent counts from the CSV

interface User {
  user_id: string;
  age: number;
  is_student: boolean;
  sessions_30d: number;
  last_seen: number;
  integrations: string;
}

function users(): User[] {
  const [head, ...lines] = readFileSync(join(repoRoot, 'samples/productivity/data/users.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((line) => {
    const r = Object.fromEntries(line.split(',').map((v, i) => [cols[i], v]));
    return {
      user_id: r.user_id,
      age: Number(r.age),
      is_student: r.is_student === 'true',
      sessions_30d: Number(r.sessions_30d),
      last_seen: Date.parse(r.last_seen),
      integrations: r.integrations,
    };
  });
}

// The dataset is `as of 2026-06-30`: `now` is the end of that day.
const NOW = Date.parse('2026-07-01T00:00:00Z');
const DAY = 86_400_000;
const withinLast = (t: number, days: number) => NOW - days * DAY <= t && t < NOW;

const rows = users();
const keys = (pred: (u: User) => boolean) => rows.filter(pred).map((u) => u.user_id);
const studentsBefore = (u: User) => u.is_student && u.age >= 16 && u.age <= 30;
const studentsAfter = (u: User) => u.is_student && u.age >= 16 && u.age <= 24;
const power = (u: User) => u.sessions_30d >= 40 && withinLast(u.last_seen, 7);
const recentlyActive = (u: User) => withinLast(u.last_seen, 30);
const lapsing = (u: User) => withinLast(u.last_seen, 90) && !recentlyActive(u);
const dormantBefore = (u: User) => u.last_seen < NOW - 90 * DAY;
const dormantAfter = (u: User) => u.last_seen < NOW - 120 * DAY;
const minus = (a: string[], b: string[]) => {
  const drop = new Set(b);
  return a.filter((k) => !drop.has(k));
};
const fmt = (n: number) => n.toLocaleString('en-US');

beforeAll(() => {
  ensureBuilt();
  repo = mkdtempSync(join(tmpdir(), 'segspec-diff-'));
  ws = join(repo, 'ws');
  cpSync(join(repoRoot, 'samples/productivity'), ws, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'sample workspace');
  git('checkout', '-q', '-b', 'feature');
  const file = join(ws, 'segments.segspec');
  let text = readFileSync(file, 'utf8');
  const replace = (from: string | RegExp, to: string) => {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`fixture edit found nothing to replace: ${String(from)}`);
    text = next;
  };
  replace('where is_student and age between 16 and 30', 'where is_student and age between 16 and 24');
  replace('where last_seen before 90 days ago', 'where last_seen before 120 days ago');
  replace(/segment integrators [\s\S]*?\n}\n/, '');
  text += '\nsegment teens "Teens" {\n  kind demographic\n  where age < 20\n}\n';
  writeFileSync(file, text);
  git('commit', '-q', '-a', '-m', 'narrow students, add teens, drop integrators, dormant after 120 days');
  outside = mkdtempSync(join(tmpdir(), 'segspec-diff-nogit-'));
  cpSync(ws, join(outside, 'ws'), { recursive: true });
});

afterAll(() => {
  for (const dir of [repo, outside]) if (dir) rmSync(dir, { recursive: true, force: true });
});

interface JsonDiff {
  base: { kind: string; ref: string | null; label?: string; commit?: string; file?: string };
  compared: { rules: boolean; checks: boolean; references: boolean };
  summary: Record<string, number>;
  segments: Array<{
    name: string;
    change: string;
    rule: { before: string | null; after: string | null } | null;
    size: { before: number | null; after: number | null };
    members: null | { known: true; by: string; field?: string; gained: number; lost: number; gainedExamples: string[]; lostExamples: string[] } | { known: false; reason: string };
    membershipChanged: boolean;
  }>;
  checks: Array<{ segment: string; text: string; transition: string; state: { before: string; after: string }; message: { after: string | null } }>;
  partitions: Array<{ name: string; holds: { before: boolean | null; after: boolean | null }; gaps: { before: number | null; after: number | null }; startsFailing: boolean }>;
  references: Array<{ file: string; kind: string; name: string; lines: number[]; change: string }>;
  flags: unknown[];
}

async function diffJson(args: string[], cwd = ws): Promise<JsonDiff> {
  const r = await segspec(['diff', ...args, '--format', 'json'], { cwd });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as JsonDiff;
}

const segment = (d: JsonDiff, name: string) => {
  const s = d.segments.find((x) => x.name === name);
  if (!s) throw new Error(`no segment ${name} in the diff: ${d.segments.map((x) => x.name).join(', ')}`);
  return s;
};

function expectMembers(d: JsonDiff, name: string, before: string[], after: string[]): void {
  const m = segment(d, name).members;
  const gained = minus(after, before);
  const lost = minus(before, after);
  expect(m).toEqual({ known: true, by: 'key', field: 'user_id', gained: gained.length, lost: lost.length, gainedExamples: gained.slice(0, 5), lostExamples: lost.slice(0, 5) });
}

describe('segspec diff against a git base', () => {
  it('--base HEAD~1: segments, members gained and lost, checks, partitions and references, as counted from the CSV', async () => {
    const d = await diffJson(['--base', 'HEAD~1']);
    expect(d.base).toMatchObject({ kind: 'git', ref: 'HEAD~1', commit: git('rev-parse', 'HEAD~1').trim() });

    const students = segment(d, 'students');
    expect(students.change).toBe('changed');
    expect(students.rule).toEqual({ before: 'is_student and age between 16 and 30', after: 'is_student and age between 16 and 24' });
    expect(students.size).toEqual({ before: keys(studentsBefore).length, after: keys(studentsAfter).length });
    expectMembers(d, 'students', keys(studentsBefore), keys(studentsAfter));

    // Same rule, other members: it uses `students`.
    const core = segment(d, 'core_power_users');
    expect(core.change).toBe('affected');
    const coreBefore = keys((u) => power(u) && !studentsBefore(u));
    const coreAfter = keys((u) => power(u) && !studentsAfter(u));
    expect(core.size).toEqual({ before: coreBefore.length, after: coreAfter.length });
    expectMembers(d, 'core_power_users', coreBefore, coreAfter);

    expect(segment(d, 'teens')).toMatchObject({ change: 'added', size: { before: null, after: keys((u) => u.age < 20).length }, members: null, membershipChanged: true });
    const integrators = keys((u) => u.integrations !== '' && u.integrations.split(';').length >= 4).length;
    expect(segment(d, 'integrators')).toMatchObject({ change: 'removed', size: { before: integrators, after: null } });
    expectMembers(d, 'dormant', keys(dormantBefore), keys(dormantAfter));
    // Unchanged segments are not listed.
    expect(d.segments.map((s) => s.name).sort()).toEqual(['core_power_users', 'dormant', 'integrators', 'students', 'teens']);

    // `expect size between 12% and 22%` of students: does the narrowed rule leave that range?
    const share = keys(studentsAfter).length / rows.length;
    const sizeCheck = d.checks.find((c) => c.segment === 'students' && c.text === 'expect size between 12% and 22%');
    if (share < 0.12 || share > 0.22) {
      expect(sizeCheck).toMatchObject({ transition: 'starts-failing', state: { before: 'passed', after: 'failed' } });
      expect(sizeCheck?.message.after).toContain(`(${fmt(keys(studentsAfter).length)} of ${fmt(rows.length)})`);
    } else {
      expect(sizeCheck).toBeUndefined();
    }

    const gapsOf = (dormant: (u: User) => boolean) => rows.filter((u) => !recentlyActive(u) && !lapsing(u) && !dormant(u)).length;
    const activity = d.partitions.find((p) => p.name === 'activity');
    expect(activity?.gaps).toEqual({ before: gapsOf(dormantBefore), after: gapsOf(dormantAfter) });
    expect(gapsOf(dormantAfter)).toBeGreaterThan(0);
    expect(activity).toMatchObject({ holds: { before: gapsOf(dormantBefore) === 0, after: false }, startsFailing: gapsOf(dormantBefore) === 0 });

    const roadmap = readFileSync(join(ws, 'roadmap.md'), 'utf8').split('\n');
    const integratorLines = roadmap.flatMap((l, i) => (/@segment\(integrators\)|^segments:.*\bintegrators\b/.test(l) ? [i + 1] : []));
    expect(d.references.find((r) => r.name === 'integrators')).toEqual(
      expect.objectContaining({ file: 'roadmap.md', kind: 'segment', change: 'breaks', lines: integratorLines }),
    );
    expect(d.flags).toEqual([]);
    expect(d.summary).toMatchObject({ segmentsAdded: 1, segmentsRemoved: 1, segmentsChanged: 2, segmentsAffected: 1, membershipChanged: 5, referencesBroken: 1 });
  });

  it('defaults to the merge base with main on a feature branch, and compares the working tree', async () => {
    const byDefault = await diffJson([]);
    expect(byDefault.base).toMatchObject({ kind: 'git', ref: null, label: 'merge base with main', commit: git('rev-parse', 'main').trim() });
    const explicit = await diffJson(['--base', 'main']);
    // In a pull-request job the pull request's base branch comes first.
    git('branch', 'release', 'main');
    const r = await segspec(['diff', '--format', 'json'], { cwd: ws, env: { GITHUB_BASE_REF: 'release' } });
    expect(JSON.parse(r.stdout).base).toMatchObject({ label: 'merge base with release', commit: git('rev-parse', 'main').trim() });
    expect({ ...byDefault, base: null }).toEqual({ ...explicit, base: null });

    // An uncommitted edit is part of the head; it changes members but fails nothing.
    const file = join(ws, 'segments.segspec');
    const committed = readFileSync(file, 'utf8');
    writeFileSync(file, `${committed}\nsegment seniors "Seniors" {\n  kind demographic\n  where age >= 60\n}\n`);
    try {
      const d = await diffJson(['--base', 'HEAD']);
      expect(d.segments).toEqual([expect.objectContaining({ name: 'seniors', change: 'added', size: { before: null, after: keys((u) => u.age >= 60).length } })]);
      expect((await segspec(['diff', '--base', 'HEAD', '--fail-on', 'change'], { cwd: ws })).code).toBe(1);
      expect((await segspec(['diff', '--base', 'HEAD', '--fail-on', 'failure'], { cwd: ws })).code).toBe(0);
    } finally {
      writeFileSync(file, committed);
    }
    const none = await segspec(['diff', '--base', 'HEAD', '--fail-on', 'change,failure'], { cwd: ws });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('no change to segments, checks, partitions or references');
  });

  it('takes paths relative to the working folder, like check', async () => {
    const fromRoot = await diffJson(['--base', 'HEAD~1', 'ws'], repo);
    const fromWs = await diffJson(['--base', 'HEAD~1']);
    expect(fromRoot.segments.map((s) => [s.name, s.size])).toEqual(fromWs.segments.map((s) => [s.name, s.size]));
  });

  it('--engine duckdb measures both sides on DuckDB with the same result', async () => {
    const embedded = await diffJson(['--base', 'HEAD~1']);
    const duckdb = await diffJson(['--base', 'HEAD~1', '--engine', 'duckdb']);
    expect(duckdb).toEqual(embedded);
  });

  it('--fail-on: change and failure exit 1 when they apply', async () => {
    expect((await segspec(['diff', '--base', 'HEAD~1'], { cwd: ws })).code).toBe(0);
    expect((await segspec(['diff', '--base', 'HEAD~1', '--fail-on', 'change'], { cwd: ws })).code).toBe(1);
    expect((await segspec(['diff', '--base', 'HEAD~1', '--fail-on', 'failure'], { cwd: ws })).code).toBe(1);
  });

  it('pretty output: sizes before → after, gained and lost keys, no colour unless a terminal asks', async () => {
    const r = await segspec(['diff', '--base', 'HEAD~1'], { cwd: ws });
    expect(r.code).toBe(0);
    const before = keys(studentsBefore);
    const after = keys(studentsAfter);
    const lost = minus(before, after);
    expect(r.stdout).toMatch(new RegExp(`rule changed\\s+students\\s+${fmt(before.length)} →\\s+${fmt(after.length)}`));
    expect(r.stdout).toContain(`members +0 −${fmt(lost.length)} (by key user_id)`);
    expect(r.stdout).toContain(`lost (${fmt(lost.length)}): ${lost.slice(0, 5).join(', ')}, …`);
    expect(r.stdout).toMatch(/breaks: roadmap\.md:[\d,]+ @segment\(integrators\)/);
    expect(r.stdout).not.toContain('\u001b[');
    const coloured = await segspec(['diff', '--base', 'HEAD~1'], { cwd: ws, env: { FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\u001b[');
    const plain = await segspec(['diff', '--base', 'HEAD~1', '--no-color'], { cwd: ws, env: { FORCE_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\u001b[');
  });

  it('Markdown output: a compact table, details collapsed', async () => {
    const r = await segspec(['diff', '--base', 'HEAD~1', '--format', 'markdown'], { cwd: ws });
    expect(r.code).toBe(0);
    const lost = minus(keys(studentsBefore), keys(studentsAfter));
    expect(r.stdout).toContain('| change | segment | size before → after | gained | lost |');
    expect(r.stdout).toContain(`| ✏️ rule changed | \`students\` | ${fmt(keys(studentsBefore).length)} → ${fmt(keys(studentsAfter).length)} | +0 | −${fmt(lost.length)} |`);
    expect(r.stdout).toContain(`| ➕ added | \`teens\` | — → ${fmt(keys((u) => u.age < 20).length)} |`);
    expect(r.stdout).toMatch(/\| ❌ breaks \| `roadmap\.md:[\d,]+` `@segment\(integrators\)` \|/);
    expect(r.stdout).toContain('<details><summary>Rules and members</summary>');
    expect(r.stdout).toContain(`- lost: ${lost.slice(0, 5).map((k) => `\`${k}\``).join(', ')}, …`);
    expect(r.stdout.indexOf('<details>')).toBeLessThan(r.stdout.indexOf('</details>'));
  });
});

describe('segspec diff against a saved stats file', () => {
  let statsWithMembers: string;
  let statsPlain: string;
  beforeAll(async () => {
    git('checkout', '-q', 'main');
    try {
      const a = await segspec(['stats', '--format', 'json', '--members'], { cwd: ws });
      const b = await segspec(['stats', '--format', 'json'], { cwd: ws });
      expect(a.code).toBe(0);
      statsWithMembers = join(outside, 'base-members.json');
      statsPlain = join(outside, 'base.json');
      writeFileSync(statsWithMembers, a.stdout);
      writeFileSync(statsPlain, b.stdout);
    } finally {
      git('checkout', '-q', 'feature');
    }
  });

  it('stats --members lists every member key of a keyed dataset', () => {
    const doc = JSON.parse(readFileSync(statsWithMembers, 'utf8')) as { segments: Array<{ name: string; members: string[] | null }>; datasets: Array<{ key: string | null }> };
    expect(doc.datasets[0].key).toBe('user_id');
    expect(doc.segments.find((s) => s.name === 'students')?.members).toEqual(keys(studentsBefore));
  });

  it('sizes and members gained/lost from the file; rules, checks and references are said not to be compared', async () => {
    const d = await diffJson(['--base', statsWithMembers]);
    expect(d.base).toMatchObject({ kind: 'stats' });
    expect(d.compared).toEqual({ rules: false, checks: false, references: false });
    expect(segment(d, 'students').size).toEqual({ before: keys(studentsBefore).length, after: keys(studentsAfter).length });
    expectMembers(d, 'students', keys(studentsBefore), keys(studentsAfter));
    expect(segment(d, 'teens').change).toBe('added');
    expect(segment(d, 'integrators').change).toBe('removed');
    expect(d.checks).toEqual([]);
    expect(d.references).toEqual([]);
    expect(d.partitions.find((p) => p.name === 'activity')).toMatchObject({ holds: { before: true, after: false } });
    const pretty = await segspec(['diff', '--base', statsWithMembers], { cwd: ws });
    expect(pretty.stdout).toContain('not compared (the base is a stats file, which holds none): rules, checks, Markdown references');
  });

  it('without --members in the file: counts only, and says why', async () => {
    const d = await diffJson(['--base', statsPlain]);
    const students = segment(d, 'students');
    expect(students.size).toEqual({ before: keys(studentsBefore).length, after: keys(studentsAfter).length });
    expect(students.members).toMatchObject({ known: false });
    expect((students.members as { reason: string }).reason).toContain('--members');
  });
});

describe('reading the base from git', () => {
  it('takes only the workspaces: the topmost folders with .segspec files', () => {
    expect(workspaceRoots(['README.md', 'src/app.ts', 'specs/a.segspec', 'specs/data/u.csv', 'specs/sub/b.segspec', 'other/c.segspec', 'other/x/d.segspec'])).toEqual([
      'other',
      'specs',
    ]);
    expect(workspaceRoots(['a.segspec', 'specs/b.segspec'])).toEqual(['']);
  });

  it('a data file stored in Git LFS whose content is not here stops the command with a clear message', async () => {
    const lfsRepo = mkdtempSync(join(tmpdir(), 'segspec-diff-lfs-'));
    const run = (...args: string[]) => execFileSync('git', args, { cwd: lfsRepo, env: { ...process.env, ...GIT_ENV, HOME: lfsRepo }, encoding: 'utf8' });
    try {
      cpSync(join(repoRoot, 'test/cli/fixtures/clean'), lfsRepo, { recursive: true });
      const data = join(lfsRepo, 'data/users.csv');
      const real = readFileSync(data);
      writeFileSync(data, `version https://git-lfs.github.com/spec/v1\noid sha256:${'0'.repeat(64)}\nsize ${real.length}\n`);
      run('init', '-q', '-b', 'main');
      run('add', '-A');
      run('commit', '-q', '-m', 'data in LFS');
      writeFileSync(data, real);
      const r = await segspec(['diff', '--base', 'HEAD'], { cwd: lfsRepo });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('data/users.csv is stored in Git LFS in the base and its content is not available here');
    } finally {
      rmSync(lfsRepo, { recursive: true, force: true });
    }
  });
});

describe('segspec diff usage errors', () => {
  it('a ref git does not know is a usage error (exit 2) with a clear message', async () => {
    const r = await segspec(['diff', '--base', 'no-such-branch'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--base 'no-such-branch' is not a commit in this repository");
    expect(r.stdout).toBe('');
  });

  it('outside a git repository: exit 2 and what to do instead', async () => {
    const r = await segspec(['diff'], { cwd: join(outside, 'ws') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not inside a git repository');
    expect(r.stderr).toContain('--base stats.json');
  });

  it('a missing stats file and a bad --fail-on are usage errors', async () => {
    const missing = await segspec(['diff', '--base', 'nowhere.json'], { cwd: ws });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the base stats file nowhere.json: no such file');
    const bad = await segspec(['diff', '--base', 'HEAD~1', '--fail-on', 'warning'], { cwd: ws });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on must be change, failure or both');
  });
});
