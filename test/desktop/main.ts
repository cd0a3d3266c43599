/**
 * Runs the extension-host suite (suite.ts, bundled to out/desktop/suite.cjs)
 * against a private copy of samples/productivity:
 *
 * - in desktop VS Code through @vscode/test-electron's `runTests`, when
 *   VSCODE_EXECUTABLE_PATH names a VS Code executable;
 * - with `--code-server`, in the remote extension host of the cached
 *   code-server (VS Code 1.100.3), opened through headless Chromium: the same
 *   suite on a machine where desktop VS Code cannot be downloaded;
 * - otherwise it says why it skipped, and exits 0.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, prepareServerDirs, startCodeServer } from '../e2e/support/code-server.js';
import { until } from '../e2e/support/wait.js';
import type { Summary } from './harness.js';

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'git.enabled': false,
};

function log(text: string): void {
  process.stdout.write(`${text}\n`);
}

function copySample(repoRoot: string, scratch: string): string {
  const workspace = join(scratch, 'workspace');
  cpSync(join(repoRoot, 'samples', 'productivity'), workspace, { recursive: true });
  return workspace;
}

async function runInDesktop(repoRoot: string, executable: string, suite: string, scratch: string): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  const workspace = copySample(repoRoot, scratch);
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suite,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir',
        join(scratch, 'user-data'),
      ],
    });
    return 0;
  } catch (error) {
    log(`desktop suite failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function runInCodeServer(repoRoot: string, suite: string, scratch: string): Promise<number> {
  const { chromium } = await import('playwright-core');
  const workspace = copySample(repoRoot, scratch);
  const resultsFile = join(scratch, 'results.json');
  process.env.SEGSPEC_DESKTOP_RESULTS = resultsFile;
  const entry = await ensureCodeServer(repoRoot);
  const dirs = prepareServerDirs(join(scratch, 'server'), SETTINGS);
  const server = await startCodeServer(entry, dirs, join(scratch, 'code-server.log'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const authority = new URL(server.url).host;
    const remote = (path: string): string => `vscode-remote://${authority}${path}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(suite)],
    ]);
    const page = await browser.newPage();
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    await until('the suite to write its results', async () => existsSync(resultsFile), { timeoutMs: 300_000, intervalMs: 500 });
    const summary = JSON.parse(readFileSync(resultsFile, 'utf8')) as Summary;
    for (const line of summary.lines) log(line);
    return summary.failed === 0 && summary.passed > 0 ? 0 : 1;
  } catch (error) {
    log(`suite in code-server failed: ${error instanceof Error ? error.message : String(error)}`);
    log(`server log: ${readFileSync(server.logFile, 'utf8').split('\n').slice(-30).join('\n')}`);
    return 1;
  } finally {
    await browser.close();
    await server.stop();
  }
}

export async function main(repoRoot: string, suite: string, argv: string[]): Promise<number> {
  const executable = process.env.VSCODE_EXECUTABLE_PATH;
  const inCodeServer = argv.includes('--code-server');
  if (!executable && !inCodeServer) {
    log(
      'desktop tests skipped: VSCODE_EXECUTABLE_PATH is not set, and desktop VS Code cannot be downloaded on this machine. ' +
        'Set it to a VS Code executable to run them, or pass --code-server to run the same suite in the cached code-server.',
    );
    return 0;
  }
  if (!argv.includes('--skip-build')) execFileSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  const scratch = mkdtempSync(join(tmpdir(), 'segspec-desktop-'));
  mkdirSync(scratch, { recursive: true });
  try {
    return executable ? await runInDesktop(repoRoot, executable, suite, scratch) : await runInCodeServer(repoRoot, suite, scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
