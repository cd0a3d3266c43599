/**
 * The GitHub Action (action.yml at the repository root), run step by step as
 * a runner runs a composite action (see action-runner.ts): on a push with a
 * failing spec (segspec installed from the packed tarball), and on a pull
 * request with a clean one (the project's own segspec), checking the
 * annotations, the step summary, the outputs and the exit code.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, segspec } from '../cli/helpers.js';
import { readAction, runAction } from './action-runner.js';
import { packTarball, removeDir, repoRoot, tempDir } from './helpers.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'pipe', encoding: 'utf8' });

/** A checkout with `specs/` from a fixture, committed on main. */
function workspaceWith(fixture: string): string {
  const dir = tempDir('action-ws');
  cpSync(join(fixtures, fixture), join(dir, 'specs'), { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'specs');
  return dir;
}

/** The project's own segspec, as `npm install --save-dev segspec` leaves it: node_modules/.bin/segspec. */
function linkProjectSegspec(dir: string): void {
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(join(repoRoot, 'bin/segspec.cjs'), join(dir, 'node_modules/.bin/segspec'));
}

describe('action.yml', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('is a composite action with the documented inputs and outputs', () => {
    const action = readAction();
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['paths', 'format', 'fail-on', 'engine', 'db', 'diff', 'version', 'working-directory']),
    );
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description.length, name).toBeGreaterThan(10);
    expect(Object.keys(action.outputs)).toEqual(['exit-code', 'report']);
  });

  describe('on a push, with a failing spec and segspec from the package tarball', () => {
    let run: Awaited<ReturnType<typeof runAction>>;
    let workspace: string;
    beforeAll(async () => {
      const tarball = packTarball();
      dirs.push(join(tarball, '..'));
      workspace = workspaceWith('failing');
      const temp = tempDir('action-temp');
      dirs.push(workspace, temp);
      run = await runAction({ workspace, temp, event: 'push', inputs: { paths: 'specs', version: tarball, format: 'gitlab' } });
    }, 240_000);

    it('installs segspec and fails with the check exit code', () => {
      expect(run.steps[0].stdout).toMatch(/Using segspec \d+\.\d+\.\d+/);
      expect(run.outputs['exit-code']).toBe('1');
      expect(run.code).toBe(1);
      expect(run.steps.map((s) => s.code)).toEqual([0, 0, 0, 1]);
    });

    it('writes annotations a runner turns into pull request comments', () => {
      const annotations = run.log.split('\n').filter((l) => l.startsWith('::error ') || l.startsWith('::warning '));
      expect(annotations).toContain(
        '::error file=specs/segments.segspec,line=3,col=24,endLine=3,endColumn=27,title=SEG004::unknown field `agee`: `users` has no such field and there is no segment of that name — did you mean `age`?',
      );
      expect(annotations.filter((a) => a.startsWith('::warning ')).length).toBeGreaterThan(0);
      expect(annotations.every((a) => /file=specs\/[\w.]+\.segspec,line=\d+,/.test(a))).toBe(true);
    });

    it('writes the step summary and the GitLab report asked for', async () => {
      const json = await segspec(['check', 'specs', '--format', 'json'], { cwd: workspace });
      const counts = (JSON.parse(json.stdout) as { summary: { errors: number; warnings: number } }).summary;
      expect(counts.errors).toBeGreaterThan(0);
      expect(run.summary).toContain('## Segspec check');
      expect(run.summary).toContain(`❌ ${counts.errors} errors, ${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}`);
      expect(run.summary).toContain('`SEG004`');
      expect(run.steps[2].stdout).toMatch(/Not a pull request \(push\)/);
      const report = run.outputs.report;
      expect(report).toBe(join(workspace, 'gl-code-quality-report.json'));
      const issues = JSON.parse(readFileSync(report, 'utf8')) as { check_name: string }[];
      expect(issues.map((i) => i.check_name)).toContain('SEG004');
    });
  });

  describe('on a pull request, with a clean spec and the project\'s own segspec', () => {
    let run: Awaited<ReturnType<typeof runAction>>;
    let strict: Awaited<ReturnType<typeof runAction>>;
    beforeAll(async () => {
      const origin = workspaceWith('clean');
      const workspace = tempDir('action-pr');
      const temp = tempDir('action-temp');
      dirs.push(origin, workspace, temp);
      git(workspace, 'clone', '-q', origin, '.');
      git(workspace, 'checkout', '-qb', 'feature');
      const segments = join(workspace, 'specs/segments.segspec');
      writeFileSync(segments, readFileSync(segments, 'utf8').replace('age between 16 and 30', 'age between 16 and 23'));
      git(workspace, 'commit', '-qam', 'students: up to 23');
      linkProjectSegspec(workspace);
      run = await runAction({ workspace, temp, event: 'pull_request', baseRef: 'main', inputs: { paths: 'specs' } });
      const strictTemp = tempDir('action-temp');
      dirs.push(strictTemp);
      strict = await runAction({ workspace, temp: strictTemp, event: 'pull_request', baseRef: 'main', inputs: { paths: 'specs', 'diff-fail-on': 'change' } });
    }, 240_000);

    it('passes with no annotations and a clean summary', () => {
      expect(run.steps[0].stdout).toMatch(/Using the project's segspec/);
      expect(run.log.split('\n').filter((l) => /^::(error|warning) /.test(l))).toEqual([]);
      expect(run.summary).toMatch(/## Segspec check\n\n✅ No problems in 1 workspace\./);
      expect(run.outputs['exit-code']).toBe('0');
      expect(run.code).toBe(0);
    });

    it('appends the segment diff against the base branch to the summary', () => {
      expect(run.steps[2].code).toBe(0);
      expect(run.steps[2].outputs['exit-code']).toBe('0');
      const diff = run.summary.slice(run.summary.indexOf('## Segspec check'));
      expect(diff).toMatch(/### Segspec diff: `origin\/main`/);
      // students was narrowed from 16–30 to 16–23 years: the fixture's u12 (24) leaves it.
      expect(diff).toMatch(/^\|[^|\n]*\| `students` \| 4 → 3 \| \+0 \| −1 \|$/m);
      expect(diff).toContain('lost: `u12`');
    });

    it('fails the run on a membership change with diff-fail-on: change', () => {
      expect(strict.outputs['exit-code']).toBe('0');
      expect(strict.steps[2].outputs['exit-code']).toBe('1');
      expect(strict.code).toBe(1);
      expect(strict.steps[3].stdout).toMatch(/segspec diff failed \(exit 1\)/);
    });
  });

  it('passes inputs to the scripts as data, never as shell code', async () => {
    const workspace = workspaceWith('clean');
    const temp = tempDir('action-temp');
    dirs.push(workspace, temp);
    linkProjectSegspec(workspace);
    const run = await runAction({ workspace, temp, event: 'push', inputs: { paths: 'specs $(touch injected)', 'fail-on': 'warning' } });
    expect(existsSync(join(workspace, 'injected'))).toBe(false);
    expect(run.outputs['exit-code']).toBe('2');
    expect(run.code).toBe(2);
  });
});
