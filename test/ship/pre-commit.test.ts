/**
 * The hooks in .pre-commit-hooks.yaml, run by pre-commit itself (from PyPI;
 * .ci/run installs it in a venv): a temporary git repository whose
 * .pre-commit-config.yaml declares them as `repo: local` hooks, each with the
 * packed tarball as its npm dependency, so pre-commit builds its own Node
 * environment with segspec in it. `pre-commit run --all-files` must pass on a
 * clean spec and fail, naming the problems, on a broken and badly formatted one.
 *
 * Without pre-commit on the PATH (or in $SEGSPEC_PRE_COMMIT) the test is
 * skipped and says so, unless SEGSPEC_REQUIRE_PRE_COMMIT=1 (set by .ci/run).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../cli/helpers.js';
import { cleanEnv, packTarball, removeDir, repoRoot, run, tempDir } from './helpers.js';

const { load, dump } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown; dump(value: unknown): string };

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files: string;
  pass_filenames?: boolean;
}

function findPreCommit(): string | undefined {
  const candidates = [process.env.SEGSPEC_PRE_COMMIT, 'pre-commit'].filter((c): c is string => !!c);
  return candidates.find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0);
}

const preCommit = findPreCommit();
const required = process.env.SEGSPEC_REQUIRE_PRE_COMMIT === '1';
const hooks = load(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

describe('.pre-commit-hooks.yaml', () => {
  it('declares segspec check and segspec fmt --check on .segspec files', () => {
    const byId = Object.fromEntries(hooks.map((h) => [h.id, h]));
    expect(byId['segspec-check']).toMatchObject({ entry: 'segspec check', language: 'node', files: '\\.segspec$', pass_filenames: false });
    expect(byId['segspec-fmt-check']).toMatchObject({ entry: 'segspec fmt --check', language: 'node', files: '\\.segspec$' });
    for (const h of hooks) expect(new RegExp(h.files).test('specs/segments.segspec') && !new RegExp(h.files).test('README.md')).toBe(true);
  });

  it.runIf(!preCommit && !required)('is run by pre-commit — SKIPPED here: pre-commit is not installed (pip install pre-commit, or set SEGSPEC_PRE_COMMIT)', () => {
    expect(preCommit).toBeUndefined();
  });

  it.runIf(!preCommit && required)('finds pre-commit, which SEGSPEC_REQUIRE_PRE_COMMIT=1 requires', () => {
    expect(preCommit, 'pre-commit is not on the PATH nor in $SEGSPEC_PRE_COMMIT').toBeDefined();
  });

  describe.runIf(!!preCommit)('run by pre-commit', () => {
    const dirs: string[] = [];
    let repo: string;
    let env: NodeJS.ProcessEnv;
    beforeAll(() => {
      const tarball = packTarball();
      dirs.push(join(tarball, '..'));
      repo = tempDir('pre-commit');
      const home = tempDir('pre-commit-home');
      dirs.push(repo, home);
      cpSync(join(fixtures, 'clean'), join(repo, 'specs'), { recursive: true });
      const used = hooks.filter((h) => h.id === 'segspec-check' || h.id === 'segspec-fmt-check');
      const config = { repos: [{ repo: 'local', hooks: used.map((h) => ({ ...h, additional_dependencies: [tarball] })) }] };
      writeFileSync(join(repo, '.pre-commit-config.yaml'), dump(config));
      execFileSync('git', ['init', '-q'], { cwd: repo });
      execFileSync('git', ['add', '-A'], { cwd: repo });
      // Its own cache, so that the environment is built from this tarball; npm installs from its cache when it can.
      env = cleanEnv({ PRE_COMMIT_HOME: home, npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' });
    }, 120_000);
    afterAll(() => dirs.forEach(removeDir));

    it('passes on a clean spec', async () => {
      const r = await run(preCommit as string, ['run', '--all-files', '--color', 'never'], { cwd: repo, env });
      expect(r.stdout, r.stderr).toMatch(/^segspec check\.+Passed$/m);
      expect(r.stdout).toMatch(/^segspec fmt --check\.+Passed$/m);
      expect(r.code).toBe(0);
    }, 300_000);

    it('fails on a broken, badly formatted spec and shows why', async () => {
      const file = join(repo, 'specs/segments.segspec');
      writeFileSync(file, readFileSync(file, 'utf8').replace('where is_student and age', 'where   is_student and agee'));
      execFileSync('git', ['add', '-A'], { cwd: repo });
      const r = await run(preCommit as string, ['run', '--all-files', '--color', 'never'], { cwd: repo, env });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^segspec check\.+Failed$/m);
      expect(r.stdout).toMatch(/specs\/segments\.segspec:\d+:\d+ error SEG004 unknown field `agee`/);
      expect(r.stdout).toMatch(/^segspec fmt --check\.+Failed$/m);
      expect(r.stdout).toMatch(/specs\/segments\.segspec/);
    }, 300_000);
  });
});
