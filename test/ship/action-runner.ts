/**
 * Runs the composite GitHub Action in action.yml the way a runner does: the
 * steps in order, each `run:` written to a file and run with
 * `bash --noprofile --norc -eo pipefail FILE` (GitHub's `shell: bash`) in its
 * `working-directory` under GITHUB_WORKSPACE, with the `${{ … }}` expressions
 * the action uses substituted (inputs with their defaults, step outputs,
 * github.* and runner.*), the runner's environment variables (GITHUB_WORKSPACE,
 * GITHUB_STEP_SUMMARY, a fresh GITHUB_OUTPUT file per step, GITHUB_ENV,
 * GITHUB_EVENT_NAME, GITHUB_BASE_REF, GITHUB_ACTION_PATH, RUNNER_TEMP, INPUT_*),
 * and stops at the first failing step. An expression or step key it does not
 * know fails the run rather than being skipped.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { cleanEnv, repoRoot } from './helpers.js';

const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface ActionStep {
  name?: string;
  id?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
  [other: string]: unknown;
}

export interface ActionManifest {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export function readAction(): ActionManifest {
  return load(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as ActionManifest;
}

export interface ActionRunOptions {
  workspace: string;
  /** Scratch folder for RUNNER_TEMP and the runner's files. */
  temp: string;
  inputs: Record<string, string>;
  event: 'push' | 'pull_request';
  baseRef?: string;
}

export interface StepRun {
  name: string;
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

export interface ActionRun {
  steps: StepRun[];
  /** The stdout of every step, in order: where a runner looks for workflow commands (annotations). */
  log: string;
  summary: string;
  outputs: Record<string, string>;
  /** 0 when every step passed, else the failing step's exit code. */
  code: number;
}

/** `name=value` lines and `name<<DELIMITER` blocks, as the runner reads GITHUB_OUTPUT and GITHUB_ENV. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
      out[heredoc[1]] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`malformed command file line: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

const STEP_KEYS = new Set(['name', 'id', 'shell', 'run', 'env', 'working-directory']);

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const action = readAction();
  if (action.runs.using !== 'composite') throw new Error(`not a composite action: ${action.runs.using}`);
  for (const name of Object.keys(options.inputs)) {
    if (!(name in action.inputs)) throw new Error(`action.yml has no input '${name}'`);
  }
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = options.inputs[name] ?? spec.default ?? '';
  const stepOutputs: Record<string, Record<string, string>> = {};
  const runnerTemp = join(options.temp, 'runner');
  mkdirSync(runnerTemp, { recursive: true });
  const summaryFile = join(options.temp, 'step-summary.md');
  const envFile = join(options.temp, 'github-env');
  writeFileSync(summaryFile, '');
  writeFileSync(envFile, '');

  const expression = (text: string): string =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
      let m: RegExpExecArray | null;
      if ((m = /^inputs\.([\w-]+)$/.exec(expr))) {
        if (!(m[1] in inputs)) throw new Error(`action.yml uses unknown input ${m[1]}`);
        return inputs[m[1]];
      }
      if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr))) return stepOutputs[m[1]]?.[m[2]] ?? '';
      if (expr === 'github.action_path') return repoRoot;
      if (expr === 'github.workspace') return options.workspace;
      if (expr === 'github.event_name') return options.event;
      if (expr === 'github.base_ref') return options.baseRef ?? '';
      if (expr === 'runner.temp') return runnerTemp;
      throw new Error(`the test runner does not know the expression \${{ ${expr} }}`);
    });

  const extraEnv: Record<string, string> = {};
  const steps: StepRun[] = [];
  let code = 0;
  for (const [index, step] of action.runs.steps.entries()) {
    const unknown = Object.keys(step).filter((k) => !STEP_KEYS.has(k));
    if (unknown.length > 0) throw new Error(`step ${index} uses ${unknown.join(', ')}, which this test runner does not emulate`);
    if (step.run === undefined) throw new Error(`step ${index} has no run:`);
    if (step.shell !== 'bash') throw new Error(`step ${index} must say shell: bash (a composite step needs a shell)`);
    const outputFile = join(options.temp, `output-${index}`);
    writeFileSync(outputFile, '');
    const script = join(options.temp, `step-${index}.sh`);
    writeFileSync(script, expression(step.run));
    const env = cleanEnv({
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v])),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_ACTION_PATH: repoRoot,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_OUTPUT: outputFile,
      GITHUB_ENV: envFile,
      GITHUB_EVENT_NAME: options.event,
      GITHUB_BASE_REF: options.baseRef ?? '',
      GITHUB_HEAD_REF: options.event === 'pull_request' ? 'feature' : '',
      RUNNER_TEMP: runnerTemp,
      ...extraEnv,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expression(String(v))])),
    });
    const cwd = resolve(options.workspace, expression(step['working-directory'] ?? '.'));
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done, reject) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (c) => done({ code: c ?? -1, stdout, stderr }));
      child.stdin.end();
    });
    const outputs = parseCommandFile(readFileSync(outputFile, 'utf8'));
    if (step.id) stepOutputs[step.id] = outputs;
    Object.assign(extraEnv, parseCommandFile(readFileSync(envFile, 'utf8')));
    steps.push({ name: step.name ?? `step ${index}`, ...result, outputs });
    if (result.code !== 0) {
      code = result.code;
      break;
    }
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, expression(v.value)]));
  return { steps, log: steps.map((s) => s.stdout).join(''), summary: readFileSync(summaryFile, 'utf8'), outputs, code };
}
