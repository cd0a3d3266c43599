/**
 * End-to-end tests in a real VS Code (1.100.3, served by code-server) driven
 * through headless Chromium: build and package the extension, install the
 * .vsix into a fresh extensions folder, open a private copy of the sample
 * workspace per scenario, and assert what a person would see.
 *
 *   node test/e2e/run.mjs [--skip-build | --vsix=FILE] [--only=a-valid-file,d-hover] [--keep] [--self-test]
 *
 * Screenshots and, for failures, the server and extension logs go to
 * test-results/e2e/. The last line is `N passed, N failed`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { ensureCodeServer, installExtension, prepareServerDirs, startCodeServer, type RunningServer } from './support/code-server.js';
import { loadSampleFacts } from './support/sample-facts.js';
import { copyWorkspace } from './support/workspace.js';
import { Workbench } from './support/workbench.js';
import type { Scenario, ScenarioContext } from './support/scenario.js';
import { validFile } from './scenarios/a-valid-file.js';
import { misspelledField } from './scenarios/b-misspelled-field.js';
import { completion } from './scenarios/c-completion.js';
import { hover } from './scenarios/d-hover.js';
import { markdown } from './scenarios/e-markdown.js';
import { previewPanel } from './scenarios/f-preview.js';
import { rename } from './scenarios/g-rename.js';
import { parquetOnDuckDb } from './scenarios/h-parquet.js';
import { previewDesign } from './scenarios/i-preview-design.js';
import { harnessSelfTest } from './scenarios/selftest.js';
import { explainScenario } from './scenarios/k-explain.js';
import { wordsScenario } from './scenarios/l-words.js';
import { discoverScenario } from './scenarios/m-discover.js';

const SCENARIOS: Scenario[] = [validFile, misspelledField, completion, hover, markdown, previewPanel, rename, parquetOnDuckDb, previewDesign, explainScenario, wordsScenario, discoverScenario];

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** User settings for the test profile: no welcome page, no telemetry, nothing that pops up by itself. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'editor.codeLens': true,
  'editor.hover.delay': 300,
  'files.autoSave': 'off',
  'chat.commandCenter.enabled': false,
};

interface Options {
  skipBuild: boolean;
  selfTest: boolean;
  /** A prebuilt .vsix to install instead of building one. */
  vsix?: string;
  keep: boolean;
  only: string[];
}

interface Outcome {
  id: string;
  ok: boolean;
  ms: number;
  error?: string;
}

function parseOptions(argv: string[]): Options {
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? argv[argv.indexOf('--only') + 1];
  return {
    skipBuild: argv.includes('--skip-build'),
    selfTest: argv.includes('--self-test'),
    vsix: argv.find((a) => a.startsWith('--vsix='))?.slice('--vsix='.length),
    keep: argv.includes('--keep') || process.env.SEGSPEC_E2E_KEEP === '1',
    only: argv.includes('--only') || argv.some((a) => a.startsWith('--only=')) ? (only ?? '').split(',').filter(Boolean) : [],
  };
}

const transcript: string[] = [];

function log(text: string): void {
  transcript.push(text);
  process.stdout.write(`${text}\n`);
}

async function timed<T>(label: string, step: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  const value = await step();
  log(`[e2e] ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return value;
}

/** `npm run build`, then `npm run package` when the manifest has it; returns the .vsix. */
function buildExtension(repoRoot: string, scratch: string): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (manifest.scripts?.package) {
    execFileSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: 'inherit' });
    return findVsix(repoRoot);
  }
  // No package script yet: package with vsce directly into the scratch folder.
  const out = join(scratch, 'segspec.vsix');
  execFileSync(
    'npx',
    ['--no-install', 'vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  return out;
}

function findVsix(repoRoot: string): string {
  const preferred = join(repoRoot, 'segspec.vsix');
  if (existsSync(preferred)) return preferred;
  const candidates = readdirSync(repoRoot)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => join(repoRoot, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (candidates.length === 0) throw new Error('no .vsix in the repository root after `npm run package`');
  return candidates[0];
}

/** The Segspec output channel logs (one per extension host) under code-server's logs folder. */
function segspecLogs(logsDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/segspec/i.test(entry.name)) found.push(full);
    }
  };
  walk(logsDir);
  return found;
}

function logTails(files: string[], lines = 30): string {
  return files
    .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')}`)
    .join('\n');
}

async function runScenario(
  scenario: Scenario,
  browser: BrowserContext,
  server: RunningServer,
  sample: string,
  scratch: string,
  results: string,
): Promise<Outcome> {
  const started = Date.now();
  const earlierLogs = new Set(segspecLogs(server.logsDir));
  const workspace = copyWorkspace(sample, join(scratch, 'workspaces', scenario.id));
  // The expected numbers come from the sample as copied, before a scenario changes its files.
  const facts = loadSampleFacts(workspace);
  await scenario.prepare?.(workspace);
  // One browser context for all scenarios shares the HTTP cache (the workbench
  // loads faster); each scenario has its own page and its own workspace folder.
  const page = await browser.newPage();
  const consoleLines: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`[${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  const workbench = new Workbench(page);
  const ctx: ScenarioContext = {
    workbench,
    workspace,
    facts,
    note: (text) => log(`    [${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`),
    shot: async (name) => {
      mkdirSync(results, { recursive: true });
      const file = join(results, `${scenario.id}-${name}.png`);
      await workbench.screenshot(file);
      return file;
    },
  };
  log(`[e2e] ${scenario.id}: ${scenario.title}`);
  try {
    await workbench.openFolder(server.url, workspace);
    log(`    workbench ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await scenario.run(ctx);
    const ms = Date.now() - started;
    log(`  ok   ${scenario.id} (${(ms / 1000).toFixed(1)} s)`);
    return { id: scenario.id, ok: true, ms };
  } catch (error) {
    const ms = Date.now() - started;
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`  FAIL ${scenario.id} (${(ms / 1000).toFixed(1)} s)\n${message.replace(/^/gm, '       ')}`);
    mkdirSync(results, { recursive: true });
    try {
      await workbench.screenshot(join(results, `${scenario.id}-failure.png`));
    } catch {
      // the page may be gone
    }
    const logs = join(results, `${scenario.id}-logs`);
    if (existsSync(server.logsDir)) cpSync(server.logsDir, logs, { recursive: true });
    mkdirSync(logs, { recursive: true });
    cpSync(server.logFile, join(logs, 'code-server.log'));
    writeFileSync(join(logs, 'browser-console.log'), consoleLines.join('\n'));
    const tail = logTails(segspecLogs(server.logsDir).filter((f) => !earlierLogs.has(f)));
    if (tail) log(tail.replace(/^/gm, '       '));
    log(`       screenshot and logs: ${results}/${scenario.id}-failure.png, ${logs}/`);
    return { id: scenario.id, ok: false, ms, error: message };
  } finally {
    await page.close();
  }
}

export async function main(repoRoot: string, argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const started = Date.now();
  const results = join(repoRoot, 'test-results', 'e2e');
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'segspec-e2e-'));
  const all = options.selfTest ? [harnessSelfTest] : SCENARIOS;
  const scenarios = options.only.length > 0 ? all.filter((s) => options.only.includes(s.id)) : all;
  const sample = join(repoRoot, 'samples', 'productivity');

  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const outcomes: Outcome[] = [];
  try {
    const vsix = options.vsix ?? (options.skipBuild ? findVsix(repoRoot) : undefined) ??
      (await timed('build and package', () => buildExtension(repoRoot, scratch)));
    const entry = await timed('code-server install (cached)', () => ensureCodeServer(repoRoot));
    const dirs = prepareServerDirs(join(scratch, 'server'), SETTINGS);
    await timed(`install ${vsix}`, () => installExtension(entry, vsix, dirs));
    server = await timed('code-server start', () => startCodeServer(entry, dirs, join(scratch, 'code-server.log')));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    for (const scenario of scenarios) {
      outcomes.push(await runScenario(scenario, context, server, sample, scratch, results));
    }
  } catch (error) {
    log(`[e2e] setup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    for (const scenario of scenarios.slice(outcomes.length)) outcomes.push({ id: scenario.id, ok: false, ms: 0, error: 'setup failed' });
  } finally {
    await browser?.close();
    await server?.stop();
    mkdirSync(results, { recursive: true });
    if (server && existsSync(server.logFile)) cpSync(server.logFile, join(results, 'code-server.log'));
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
    else log(`[e2e] kept ${scratch}`);
  }

  const passed = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.length - passed;
  log(`[e2e] total ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${results}`);
  log(`${passed} passed, ${failed} failed`);
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'run.log'), `${transcript.join('\n')}\n`);
  return failed === 0 && outcomes.length > 0 ? 0 : 1;
}
