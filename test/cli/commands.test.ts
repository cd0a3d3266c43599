import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DuckDbRunner } from '../../server/src/sqlengines/duckdb.js';
import { ensureBuilt, fixtures, segspec } from './helpers.js';

const clean = join(fixtures, 'clean');
const statsSchema = z.object({
  datasets: z.array(z.object({ name: z.string(), source: z.string(), rows: z.number().int().nullable() })),
  segments: z.array(
    z.object({
      name: z.string(),
      dataset: z.string().nullable(),
      size: z.number().int().min(0),
      share: z.number().min(0).max(1),
      status: z.enum(['ok', 'draft', 'empty', 'failing']),
    }),
  ),
  overlaps: z.array(z.object({ a: z.string(), b: z.string(), count: z.number().int().min(0) })),
  coverage: z.array(z.object({ dataset: z.string(), rows: z.number().int(), covered: z.number().int(), share: z.number() })),
});

/** The fixture CSV as records (no quoting in it), for expectations computed independently of segspec. */
function fixtureRows(): Array<Record<string, string>> {
  const [head, ...lines] = readFileSync(join(clean, 'data/users.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'segspec-cmd-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('segspec stats', { timeout: 120_000 }, () => {
  it('prints sizes, shares and statuses as JSON that agree with the data', async () => {
    const r = await segspec(['stats', clean, '--format', 'json']);
    expect(r.code).toBe(0);
    const stats = statsSchema.parse(JSON.parse(r.stdout));
    const rows = fixtureRows();
    expect(stats.datasets).toEqual([expect.objectContaining({ name: 'users', source: 'data/users.csv', rows: rows.length })]);
    const bySegment = new Map(stats.segments.map((s) => [s.name, s]));
    const free = rows.filter((x) => x.plan === 'free').length;
    const paying = rows.filter((x) => x.plan !== 'free').length;
    expect(bySegment.get('free_users')).toMatchObject({ size: free, share: free / rows.length, status: 'ok' });
    expect(bySegment.get('paying')).toMatchObject({ size: paying, status: 'ok' });
    const students = rows.filter((x) => x.is_student === 'true' && +x.age >= 16 && +x.age <= 30).length;
    expect(bySegment.get('students')?.size).toBe(students);
    const pair = stats.overlaps.find((o) => [o.a, o.b].sort().join() === 'free_users,students');
    expect(pair?.count).toBe(rows.filter((x) => x.plan === 'free' && x.is_student === 'true').length);
    expect(stats.coverage[0]).toMatchObject({ dataset: 'users', rows: rows.length });
  });

  it('prints an aligned table with a bar per segment, and CSV', async () => {
    const json = statsSchema.parse(JSON.parse((await segspec(['stats', clean, '--format', 'json'])).stdout));
    const table = await segspec(['stats', clean]);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    const header = lines.findIndex((l) => /^segment\s+dataset\s+size\s+share\s+status/.test(l));
    expect(header).toBeGreaterThan(0);
    const segmentLines = lines.slice(header + 1, header + 1 + json.segments.length);
    const statusColumn = lines[header].indexOf('status');
    for (const [i, s] of json.segments.entries()) {
      expect(segmentLines[i].startsWith(s.name)).toBe(true);
      expect(segmentLines[i].indexOf(s.status)).toBe(statusColumn);
      expect(segmentLines[i]).toContain(`${(s.share * 100).toFixed(1)}%`);
    }
    // The largest segment has the longest bar.
    const barLength = (l: string) => (l.match(/[█▏▎▍▌▋▊▉]/g) ?? []).length;
    const largest = json.segments.reduce((a, b) => (b.size > a.size ? b : a));
    const longest = segmentLines.reduce((a, b) => (barLength(b) > barLength(a) ? b : a));
    expect(longest.startsWith(largest.name)).toBe(true);

    const csv = await segspec(['stats', clean, '--format', 'csv']);
    const [head, ...records] = csv.stdout.trim().split('\r\n');
    expect(head).toBe('workspace,segment,dataset,size,share,status');
    expect(records.map((l) => l.split(',')[1])).toEqual(json.segments.map((s) => s.name));
    expect(records.map((l) => Number(l.split(',')[3]))).toEqual(json.segments.map((s) => s.size));
  });
});

describe('--as-of', { timeout: 120_000 }, () => {
  it('sets the reference date of datasets that have no `as of`', async () => {
    const dir = join(work, 'dated');
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data/users.csv'), readFileSync(join(clean, 'data/users.csv')));
    writeFileSync(
      join(dir, 'spec.segspec'),
      'dataset users { source "data/users.csv" key user_id }\nsegment recent { kind behavioral where signup_date within last 30 days }\n',
    );
    const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    for (const asOf of ['2026-06-30', '2026-01-31']) {
      const r = await segspec(['stats', dir, '--format', 'json', '--as-of', asOf]);
      expect(r.code).toBe(0);
      const stats = statsSchema.parse(JSON.parse(r.stdout));
      // within last 30 days: the 30 calendar days that end with the reference date.
      const expected = fixtureRows().filter((x) => days(x.signup_date) > days(asOf) - 30 && days(x.signup_date) <= days(asOf)).length;
      expect(stats.segments[0].size).toBe(expected);
    }
    const bad = await segspec(['stats', dir, '--as-of', '2026-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--as-of expects a date/);
  });
});

describe('segspec sql', { timeout: 120_000 }, () => {
  it('prints SQL that counts the same members on DuckDB as the embedded engine', async () => {
    const stats = statsSchema.parse(JSON.parse((await segspec(['stats', clean, '--format', 'json'])).stdout));
    const runner = await DuckDbRunner.open();
    try {
      await runner.loadDataset({
        table: 'users',
        path: join(clean, 'data/users.csv'),
        fields: [
          { name: 'user_id', type: 'string' },
          { name: 'age', type: 'integer' },
          { name: 'country', type: 'string' },
          { name: 'plan', type: 'enum' },
          { name: 'sessions_30d', type: 'integer' },
          { name: 'is_student', type: 'boolean' },
          { name: 'signup_date', type: 'date' },
        ],
      });
      const counts = await Promise.all(stats.segments.map((s) => segspec(['sql', s.name, '--dialect', 'duckdb', '--count', clean])));
      const selects = await Promise.all(stats.segments.map((s) => segspec(['sql', s.name, '--dialect', 'duckdb', '--select', clean])));
      for (const [i, s] of stats.segments.entries()) {
        expect(counts[i].code).toBe(0);
        const [row] = await runner.query(counts[i].stdout);
        expect(Number(row.members)).toBe(s.size);
        expect(await runner.query(selects[i].stdout)).toHaveLength(s.size);
      }
    } finally {
      runner.close();
    }
  });

  it('refuses a segment whose rule has an error, and the segments built on it, instead of printing SQL', async () => {
    const dir = join(work, 'broken-rule');
    cpSync(clean, dir, { recursive: true });
    writeFileSync(
      join(dir, 'broken.segspec'),
      'segment recent_broken {\n  from users\n  where signup_date within last oops days\n}\n\nsegment built_on_it {\n  from users\n  where recent_broken and age > 20\n}\n',
    );
    for (const name of ['recent_broken', 'built_on_it']) {
      for (const dialect of ['postgres', 'duckdb']) {
        const r = await segspec(['sql', name, '--dialect', dialect, dir]);
        expect(r.code, `${name} ${dialect}: ${r.stderr}`).not.toBe(0);
        expect(r.stderr).toMatch(new RegExp(`cannot compile '${name}' to SQL: .*error`));
        expect(r.stderr).not.toMatch(/internal error/);
        expect(r.stdout).toBe('');
      }
    }
  });

  it('needs a known dialect and segment', async () => {
    const noDialect = await segspec(['sql', 'students', clean]);
    expect(noDialect.code).toBe(2);
    expect(noDialect.stderr).toMatch(/--dialect is required/);
    const typo = await segspec(['sql', 'studnets', '--dialect', 'postgres', clean]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/did you mean 'students'/);
  });
});

describe('segspec explain', { timeout: 120_000 }, () => {
  it('explains a row clause by clause, with the values it saw', async () => {
    const rows = fixtureRows();
    const member = rows.find((x) => x.is_student === 'true')!;
    const nonmember = rows.find((x) => x.is_student === 'false' && +x.age <= 30)!;
    const yes = await segspec(['explain', 'students', '--key', member.user_id, clean]);
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(new RegExp(`^${member.user_id} \\(.*users\\.csv:\\d+\\) is a member of students`));
    expect(yes.stdout).toContain(`✓ age between 16 and 30  —  age = ${member.age}, needs between 16 and 30`);
    const no = await segspec(['explain', 'students', '--key', nonmember.user_id, clean]);
    expect(no.stdout).toContain('is not a member of students');
    expect(no.stdout).toContain('✗ is_student  —  is_student = false, needs true');
  });

  it('shows each value against its threshold, drilling into referenced segments', async () => {
    const dir = join(work, 'bank');
    mkdirSync(join(dir, 'data'), { recursive: true });
    // p75 of five balances is the fourth one under every usual percentile definition: 127644.
    const balances = [0, 100_000, 120_000, 127_644, 200_000];
    const ages = ['31', '22', '', '40', '19'];
    writeFileSync(
      join(dir, 'data/customers.csv'),
      `id,Balance,age\n${balances.map((b, i) => `c${i},${b},${ages[i]}`).join('\n')}\n`,
    );
    writeFileSync(
      join(dir, 'bank.segspec'),
      `dataset customers "Customers" {
  source "data/customers.csv"
  key id
  fields {
    id: string
    Balance: integer
    age: integer
  }
}
segment rich "Wealthy" {
  where Balance >= p75(Balance)
}
segment young_not_rich "Young, not wealthy" {
  where age < 25 and not rich
}
`,
    );
    const out = await segspec(['explain', 'young_not_rich', '--key', 'c0', dir, '--no-color']);
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toMatch(/^c0 \(.*customers\.csv:2\) is not a member of young_not_rich$/);
    expect(lines.slice(1, 6)).toEqual([
      '✗ all of:',
      '  ✗ age < 25  —  age = 31, needs < 25',
      '  ✓ not rich',
      '    ✗ rich: not a member of rich "Wealthy"',
      '      ✗ Balance >= p75(Balance)  —  Balance = 0, needs ≥ p75(Balance) = 127,644',
    ]);
    const missing = await segspec(['explain', 'young_not_rich', '--key', 'c2', dir, '--no-color']);
    expect(missing.stdout).toContain('? age < 25  —  age is missing (unknown), needs < 25');
  });

  it('explains a persona profile, and fails clearly on unknown keys', async () => {
    const r = await segspec(['explain', '--profile', 'sam', clean]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^profile of sam is a member of students/);
    const missing = await segspec(['explain', 'students', '--key', 'nobody', clean]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no row of users has user_id = 'nobody'/);
    const both = await segspec(['explain', 'students', clean]);
    expect(both.code).toBe(2);
  });
});

describe('segspec init', { timeout: 120_000 }, () => {
  it('scaffolds a workspace that passes its own check', async () => {
    const dir = join(work, 'fresh');
    const r = await segspec(['init', dir]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['data', 'data.segspec', 'personas.segspec', 'roadmap.md', 'segments.segspec']);
    const roadmap = readFileSync(join(dir, 'roadmap.md'), 'utf8');
    expect(roadmap).toContain('@segment(first_segment)');
    expect(roadmap).toContain('@persona(first_persona)');
    const check = await segspec(['check', dir, '--format', 'json']);
    expect(JSON.parse(check.stdout).summary).toEqual({ errors: 0, warnings: 0, infos: 0 });
    expect(check.code).toBe(0);
  });

  it('infers fields from --from data and copies it into the workspace', async () => {
    const dir = join(work, 'from');
    const csv = join(work, 'Sign Ups.csv');
    writeFileSync(csv, 'id,tier,seats,trial,signed_up\n1,basic,3,yes,2026-01-02\n2,plus,10,no,2026-02-03\n3,basic,,no,2026-03-04\n4,basic,7,yes,2026-04-05\n');
    const r = await segspec(['init', dir, '--from', csv]);
    expect(r.code).toBe(0);
    const spec = readFileSync(join(dir, 'data.segspec'), 'utf8');
    expect(spec).toContain('dataset sign_ups');
    expect(spec).toContain('source "data/Sign Ups.csv"');
    expect(spec).toContain('key id');
    expect(spec).toMatch(/seats: integer\?/);
    expect(spec).toMatch(/trial: boolean/);
    expect(spec).toMatch(/signed_up: date/);
    expect(readFileSync(join(dir, 'data/Sign Ups.csv'), 'utf8')).toBe(readFileSync(csv, 'utf8'));
    const check = await segspec(['check', dir]);
    expect(check.code).toBe(0);
    const stats = statsSchema.parse(JSON.parse((await segspec(['stats', dir, '--format', 'json'])).stdout));
    expect(stats.segments[0].size).toBeGreaterThan(0);
  });

  it('refuses to overwrite existing files', async () => {
    const dir = join(work, 'taken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'roadmap.md'), '# mine\n');
    const r = await segspec(['init', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to overwrite existing file: .*roadmap\.md/);
    expect(readFileSync(join(dir, 'roadmap.md'), 'utf8')).toBe('# mine\n');
    expect(readdirSync(dir)).toEqual(['roadmap.md']);
    const missing = await segspec(['init', join(work, 'x'), '--from', join(work, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.csv/);
  });
});
