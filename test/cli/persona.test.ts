/**
 * `segspec persona SEGMENT`: a persona whose profile is a real member closest
 * to the segment's typical values, which the engine checks to be a member,
 * with the attributes that set the segment apart as starting points.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot, segspec } from './helpers.js';

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'segspec-persona-'));
  cpSync(join(repoRoot, 'samples/b2b-saas/data'), join(dir, 'data'), { recursive: true });
  cpSync(join(repoRoot, 'samples/b2b-saas/data.segspec'), join(dir, 'data.segspec'));
  cpSync(join(repoRoot, 'samples/b2b-saas/segments.segspec'), join(dir, 'segments.segspec'));
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CSV row of the account named in the profile. */
function csvRows(): Array<Record<string, string>> {
  const [head, ...lines] = readFileSync(join(dir, 'data/accounts.csv'), 'utf8').trim().split('\n');
  const names = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [names[i], v])));
}

describe('segspec persona', () => {
  for (const segment of ['promoters', 'revenue_at_risk', 'sso_accounts']) {
    it(`drafts a persona of ${segment} whose profile is a member, from a real row`, async () => {
      const out = join(dir, `persona-${segment}.segspec`);
      writeFileSync(out, '');
      const r = await segspec(['persona', segment, dir, '--write', out]);
      expect(r.stderr).toMatch(/appended persona/);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^persona ${segment}_persona \\{$`, 'm'));
      expect(r.stdout).toMatch(new RegExp(`^  segment ${segment}$`, 'm'));
      expect(r.stdout).toMatch(/goals \[/);
      // The profile's values are one real row's.
      const profile = /profile \{([^}]*)\}/.exec(r.stdout.replace(/\n\s*/g, ' '))![1];
      const employees = /employees: (\d+)/.exec(profile)?.[1];
      const seats = /seats: (\d+)/.exec(profile)?.[1];
      const country = /country: "(\w+)"/.exec(profile)?.[1];
      expect([employees, seats, country]).not.toContain(undefined);
      expect(csvRows().some((row) => row.employees === employees && row.seats === seats && row.country === country)).toBe(true);
      // The written persona checks clean: its profile is a member of the segment.
      const check = await segspec(['check', dir, '--format', 'json']);
      const findings = (JSON.parse(check.stdout) as { findings: Array<{ file: string; code: string; message: string }> }).findings.filter((f) => f.file === out);
      rmSync(out);
      expect(findings).toEqual([]);
    }, 60_000);
  }

  it('refuses a segment with no members to draw from, or an unknown one', async () => {
    const unknown = await segspec(['persona', 'promotors', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/did you mean 'promoters'/);
  }, 60_000);
});
