/**
 * Helpers for the distribution tests: the npm tarball made from this
 * checkout, temporary projects outside the repository, and child processes
 * with an environment that does not leak this repository's npm settings.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, repoRoot } from '../cli/helpers.js';

export { repoRoot };

/**
 * The environment of a process run from a fresh shell: without the `npm_*`
 * variables that `npm test` sets (npm_config_local_prefix would point a child
 * npm back at this repository), without colours, with `extra` on top.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE_PATH' || k === 'FORCE_COLOR' || /^GITHUB_|^RUNNER_|^INPUT_/.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, { NO_COLOR: '1' }, extra);
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env as NodeJS.ProcessEnv;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and collects its output (never throws on a non-zero exit). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? cleanEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A new empty directory under the system temp folder (outside the repository). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `segspec-${prefix}-`));
  if (dir.startsWith(repoRoot)) throw new Error(`temp folder ${dir} is inside the repository`);
  return dir;
}

/**
 * `npm pack` of this checkout into a temp folder; returns the tarball's path.
 * Scripts are skipped (prepack would rebuild dist/ while other test files read
 * it): the bundle is the one `ensureBuilt` keeps fresh.
 */
export function packTarball(): string {
  ensureBuilt();
  for (const file of ['dist/cli.cjs', 'dist/echarts.min.js']) {
    if (!existsSync(join(repoRoot, file))) throw new Error(`${file} is missing: run 'npm run build' first`);
  }
  const out = tempDir('pack');
  execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', out], { cwd: repoRoot, env: cleanEnv(), stdio: 'pipe' });
  const tarball = readdirSync(out).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${out}`);
  return join(out, tarball);
}

/**
 * A fresh npm project outside the repository with the tarball installed as a
 * dev dependency (the README's `npm install --save-dev`), optionally without
 * the optional database drivers. Installs from the npm cache when it can.
 */
export async function installedProject(tarball: string, options: { omitOptional: boolean }): Promise<string> {
  const dir = tempDir(options.omitOptional ? 'project-bare' : 'project-drivers');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'uses-segspec', version: '1.0.0', private: true }, null, 2) + '\n');
  const args = ['install', '--save-dev', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
  if (options.omitOptional) args.push('--omit=optional');
  const r = await run('npm', args, { cwd: dir });
  if (r.code !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
  return dir;
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
