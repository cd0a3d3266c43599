/**
 * `segspec check --format gitlab`: a GitLab Code Quality report, validated
 * against the documented report format (fixtures/gitlab-code-quality.schema.json),
 * with paths relative to the repository root and fingerprints that survive
 * re-runs, a different checkout folder and unrelated edits.
 */
import Ajv from 'ajv';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixtures, segspec } from '../cli/helpers.js';
import { removeDir, tempDir } from './helpers.js';

interface Issue {
  check_name: string;
  description: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number; end: number } };
}

const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/gitlab-code-quality.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

/** A git repository with the failing fixture under specs/failing and the clean one under specs/clean. */
function makeRepository(): string {
  const repo = tempDir('gitlab');
  cpSync(join(fixtures, 'failing'), join(repo, 'specs/failing'), { recursive: true });
  cpSync(join(fixtures, 'clean'), join(repo, 'specs/clean'), { recursive: true });
  execFileSync('git', ['init', '-q', repo]);
  return repo;
}

async function report(cwd: string, path: string): Promise<{ code: number; issues: Issue[] }> {
  const r = await segspec(['check', path, '--format', 'gitlab'], { cwd });
  expect(r.stderr).toBe('');
  const issues = JSON.parse(r.stdout) as Issue[];
  expect(validate(issues), JSON.stringify(validate.errors)).toBe(true);
  return { code: r.code, issues };
}

const byFingerprint = (issues: Issue[]) => Object.fromEntries(issues.map((i) => [i.fingerprint, `${i.check_name} ${i.location.path}`]));

describe('check --format gitlab', () => {
  const dirs: string[] = [];
  let repo: string;
  beforeAll(() => {
    ensureBuilt();
    repo = makeRepository();
    dirs.push(repo);
  }, 120_000);
  afterAll(() => dirs.forEach(removeDir));

  it('reports every finding with its code, mapped severity and one-based line, paths relative to the repository root', async () => {
    const { code, issues } = await report(join(repo, 'specs'), 'failing');
    expect(code).toBe(1);
    const json = await segspec(['check', 'failing', '--format', 'json'], { cwd: join(repo, 'specs') });
    const findings = (JSON.parse(json.stdout) as { findings: { code: string; severity: string; message: string; range: { start: { line: number } } }[] }).findings;
    expect(issues.length).toBe(findings.length);
    expect(findings.length).toBeGreaterThan(2);
    const severity = { error: 'major', warning: 'minor', info: 'info' } as Record<string, string>;
    issues.forEach((issue, i) => {
      expect(issue.check_name).toBe(findings[i].code);
      expect(issue.severity).toBe(severity[findings[i].severity]);
      expect(issue.description).toContain(findings[i].message);
      expect(issue.location.lines.begin).toBe(findings[i].range.start.line + 1);
      expect(issue.location.path).toBe('specs/failing/segments.segspec');
    });
    expect(issues.map((i) => i.severity)).toEqual(expect.arrayContaining(['major', 'minor']));
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
  });

  it('gives the same fingerprints on a re-run, from another folder and in another checkout', async () => {
    const first = await report(join(repo, 'specs'), 'failing');
    const again = await report(join(repo, 'specs'), 'failing');
    const fromRoot = await report(repo, 'specs/failing');
    const elsewhere = makeRepository();
    dirs.push(elsewhere);
    const moved = await report(elsewhere, 'specs/failing');
    expect(byFingerprint(again.issues)).toEqual(byFingerprint(first.issues));
    expect(byFingerprint(fromRoot.issues)).toEqual(byFingerprint(first.issues));
    expect(byFingerprint(moved.issues)).toEqual(byFingerprint(first.issues));
  });

  it('keeps fingerprints when an unrelated edit moves the findings down', async () => {
    const copy = makeRepository();
    dirs.push(copy);
    const before = await report(copy, 'specs/failing');
    const file = join(copy, 'specs/failing/segments.segspec');
    writeFileSync(file, '// a comment added above everything\n\n' + readFileSync(file, 'utf8'));
    const after = await report(copy, 'specs/failing');
    expect(after.issues.map((i) => i.location.lines.begin)).toEqual(before.issues.map((i) => i.location.lines.begin + 2));
    expect(after.issues.map((i) => i.fingerprint)).toEqual(before.issues.map((i) => i.fingerprint));
  });

  it('writes an empty array for a clean workspace and exits 0', async () => {
    const r = await segspec(['check', 'specs/clean', '--format', 'gitlab'], { cwd: repo });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('uses paths relative to the working directory outside a git repository', async () => {
    const plain = tempDir('gitlab-plain');
    dirs.push(plain);
    cpSync(join(fixtures, 'failing'), join(plain, 'failing'), { recursive: true });
    const { issues } = await report(plain, 'failing');
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.location.path).toBe('failing/segments.segspec');
  });
});
