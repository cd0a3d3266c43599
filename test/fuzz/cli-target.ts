/**
 * The CLI under fuzz: `run` (what bin/segspec.cjs calls) in a worker thread,
 * so that a case that never returns can be stopped, plus, for a sample of the
 * cases, the real bin spawned on the same files. Each case writes its damaged
 * files into a workspace, runs one command there, checks the output, and puts
 * the original files back.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { run } from '../../server/src/cli/cli.js';
import { rangeProblem, textOfBytes, type Range } from './located.js';

export interface CliJob {
  id: number;
  dir: string;
  files: Array<{ file: string; bytes: Uint8Array }>;
  args: string[];
  /** Run the command in-process. */
  inProcess: boolean;
  /** Also spawn the built bin on the same files (and compare the exit codes). */
  spawn: boolean;
  budgetMs: number;
}

export interface CliOutcome {
  id: number;
  code: number;
  ms: number;
  spawnMs?: number;
  problems: string[];
  /** The run ended with an engine's refusal to read a damaged file (see isEngineRefusal). */
  refused?: boolean;
}

const clip = (s: string, n = 300): string => (s.length > n ? `${s.slice(0, n)}…` : s);

interface JsonFinding {
  code?: string;
  file?: string;
  message?: string;
  range?: Range;
  related?: Array<{ file?: string; range?: Range }>;
}

function locationProblem(dir: string, file: string | undefined, range: Range | undefined, what: string): string | undefined {
  if (!file) return `${what}: no file`;
  const path = resolve(dir, file);
  if (!existsSync(path)) return `${what}: file ${file} does not exist`;
  const problem = rangeProblem(textOfBytes(readFileSync(path)), range);
  return problem ? `${what}: ${problem} of ${file}` : undefined;
}

/**
 * A SQL engine that cannot read a damaged data file stops the run with one
 * message naming the dataset or workspace (exit 2, by design, see
 * cli/engines.ts): clear, but not located at a line. Counted, not failed.
 */
export function isEngineRefusal(args: readonly string[], code: number, stderr: string): boolean {
  return code === 2 && args.includes('--engine') && /could not (read dataset '|run the checks of )/u.test(stderr);
}

/** What is wrong with one command's result: a crash, an unparsable JSON output, an unlocated finding. */
export function outputProblems(dir: string, args: readonly string[], code: number, stdout: string, stderr: string): string[] {
  const problems: string[] = [];
  if (/internal error/u.test(stderr)) problems.push(`internal error: ${clip(stderr)}`);
  const command = args[0];
  if (command === 'check' && code !== 0 && code !== 1 && !isEngineRefusal(args, code, stderr)) problems.push(`check exited ${code}: ${clip(stderr)}`);
  const json = args.includes('json') && (code === 0 || code === 1);
  if (!json) return problems;
  let doc: { findings?: JsonFinding[] };
  try {
    doc = JSON.parse(stdout) as { findings?: JsonFinding[] };
  } catch {
    problems.push(`${args.join(' ')}: output is not JSON: ${clip(stdout)}`);
    return problems;
  }
  for (const f of doc.findings ?? []) {
    const what = `${f.code} "${clip(f.message ?? '', 120)}"`;
    const p = locationProblem(dir, f.file, f.range, what);
    if (p) problems.push(p);
    for (const r of f.related ?? []) {
      const q = locationProblem(dir, r.file, r.range, `${what} (related)`);
      if (q) problems.push(q);
    }
  }
  return problems;
}

async function runInProcess(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: { write: (t) => void (stdout += t), isTTY: false },
    stderr: { write: (t) => void (stderr += t), isTTY: false },
    env: { NO_COLOR: '1' },
    cwd: dir,
  });
  return { code, stdout, stderr };
}

/** Runs one job in this thread (the worker's side). */
export async function runCliJob(job: CliJob, bin: string): Promise<CliOutcome> {
  const originals = job.files.map((f) => ({ file: f.file, bytes: readFileSync(resolve(job.dir, f.file)) }));
  for (const f of job.files) writeFileSync(resolve(job.dir, f.file), f.bytes);
  const problems: string[] = [];
  let code = -1;
  let ms = 0;
  let spawnMs: number | undefined;
  let refused = false;
  try {
    if (job.inProcess) {
      const started = performance.now();
      const out = await runInProcess(job.dir, job.args);
      ms = performance.now() - started;
      code = out.code;
      problems.push(...outputProblems(job.dir, job.args, out.code, out.stdout, out.stderr));
    }
    if (job.spawn) {
      const started = performance.now();
      const out = spawnSync(process.execPath, [bin, ...job.args], { cwd: job.dir, encoding: 'utf8', timeout: job.budgetMs, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
      spawnMs = performance.now() - started;
      if (out.error || out.signal) problems.push(`spawned bin: ${out.error?.message ?? `killed by ${out.signal}`} after ${Math.round(spawnMs)} ms`);
      else {
        problems.push(...outputProblems(job.dir, job.args, out.status ?? -1, out.stdout, out.stderr).map((p) => `spawned bin: ${p}`));
        if (job.inProcess && out.status !== code) problems.push(`spawned bin exited ${out.status}, in-process run ${code}`);
        if (!job.inProcess) code = out.status ?? -1;
        if (isEngineRefusal(job.args, out.status ?? -1, out.stderr)) refused = true;
      }
    }
  } catch (e) {
    problems.push(`uncaught: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } finally {
    for (const o of originals) writeFileSync(resolve(job.dir, o.file), o.bytes);
  }
  return { id: job.id, code, ms, spawnMs, problems, refused };
}

export const WORKER_ROLE = 'segspec-fuzz-cli';

/**
 * The main thread's handle on the worker: one job at a time, a watchdog per
 * job. A job over its budget (a hang) or a worker that dies (an uncaught
 * error) is reported; the damaged files are put back and a fresh worker
 * takes the next job.
 */
export class CliPool {
  private worker: Worker | undefined;
  private pending: { job: CliJob; resolve: (o: CliOutcome) => void; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly script: string,
    private readonly bin: string,
  ) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { workerData: { role: WORKER_ROLE, bin: this.bin } });
    worker.on('message', (o: CliOutcome) => this.finish(o));
    worker.on('error', (e) => {
      if (this.worker === worker) this.fail(`uncaught in the CLI: ${e.stack ?? e.message}`);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail(`CLI worker exited (${code})`);
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private finish(outcome: CliOutcome): void {
    const p = this.pending;
    if (!p || p.job.id !== outcome.id) return;
    clearTimeout(p.timer);
    this.pending = undefined;
    p.resolve(outcome);
  }

  private fail(problem: string): void {
    const p = this.pending;
    if (!p) return;
    clearTimeout(p.timer);
    this.pending = undefined;
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    // The worker could not restore what it damaged: the main thread holds the originals.
    p.resolve({ id: p.job.id, code: -1, ms: p.job.budgetMs, problems: [problem] });
  }

  run(job: CliJob, restore: () => void): Promise<CliOutcome> {
    return new Promise((resolveOutcome) => {
      const timer = setTimeout(() => this.fail(`hang: ${job.args.join(' ')} gave no answer within ${job.budgetMs} ms`), job.budgetMs * (job.spawn ? 2 : 1) + 1000);
      this.pending = {
        job,
        timer,
        resolve: (o) => {
          if (o.code === -1 && o.problems.length > 0) restore();
          resolveOutcome(o);
        },
      };
      this.ensureWorker().postMessage(job);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
