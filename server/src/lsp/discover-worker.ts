/**
 * "Discover segments" runs on a worker thread: the search can take seconds on
 * a large dataset, and the server's thread must keep answering completion and
 * hover meanwhile. The worker runs the same bundle (dist/server.cjs) with a
 * marker in its `workerData`, keeps a workspace per folder (data loaded once,
 * the editor's open texts as overlays) and runs the core discovery the CLI
 * runs, so the editor and `segspec discover` report the same candidates.
 * Cancelling a running search terminates the worker: it stops at once, and
 * the next search starts a new one. On a Parquet source, which the embedded
 * reader does not read, DuckDB draws the rows searched and counts the
 * printed rules on every row, as in `segspec discover`.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { CancellationToken } from 'vscode-languageserver/node';
import { rowLimitedHost } from '../core/data/row-limit.js';
import { recountWithOverlay, RecountError } from '../core/discover/recount-overlay.js';
import { discoverInWorkspace, discoveryReport, type DiscoveryEngines, type DiscoveryReport, type DiscoveryRequest } from '../core/discover/run.js';
import { discoverUntargetedInWorkspace, untargetedReport, type UntargetedReport, type UntargetedRequest } from '../core/discover/run-untargeted.js';
import type { Host } from '../core/host.js';
import { Workspace, type Analysis } from '../core/workspace.js';
import { NodeHost } from '../node/fs-host.js';
import { DiscoverSampleError, isParquetSource, sampleWithDuckDb } from '../sqlengines/discover-sample.js';
import { DuckDbDatasets, type EngineSetting } from '../sqlengines/duckdb-datasets.js';
import { cancelledError, throwIfCancelled } from './cancellation.js';

const MARKER = 'segspecDiscoverWorker';

export interface DiscoverJob {
  root: string;
  /** The editor's texts of open documents, by path: they win over the files on disk. */
  texts: Array<[string, string]>;
  asOf?: string;
  maxRows?: number;
  /** The editor's `segspec.engine`: `embedded` keeps DuckDB out, so a Parquet source cannot be searched. */
  engine?: EngineSetting;
  /** With a target (subgroups that differ most on it), or without one (segments from clusters). */
  request: ({ kind: 'target' } & DiscoveryRequest) | ({ kind: 'clusters' } & UntargetedRequest);
}

export type DiscoverJobResult = { ok: true; report: DiscoveryReport | UntargetedReport } | { ok: false; message: string };

/** Workspaces of the discovery, one per folder, kept so that data is loaded once. */
export class DiscoveryWorkspaces {
  private readonly workspaces = new Map<string, { workspace: Workspace; overlays: Set<string>; duck?: DuckDbDatasets }>();
  private maxRows: number | undefined;
  private readonly host: Host;

  constructor(files: Host = new NodeHost()) {
    this.host = rowLimitedHost(files, () => this.maxRows);
  }

  async run(job: DiscoverJob): Promise<DiscoverJobResult> {
    const rowsChanged = job.maxRows !== this.maxRows;
    this.maxRows = job.maxRows;
    let entry = this.workspaces.get(job.root);
    if (!entry) {
      entry = { workspace: new Workspace(this.host, job.root, { asOf: job.asOf }), overlays: new Set() };
      this.workspaces.set(job.root, entry);
    }
    const { workspace, overlays } = entry;
    workspace.options = { ...workspace.options, asOf: job.asOf };
    // Files may have appeared or changed on disk since the last run; a data file is re-read only when its size or time changed.
    workspace.invalidate(rowsChanged ? undefined : []);
    const open = new Set(job.texts.map(([path]) => path));
    for (const path of overlays) if (!open.has(path)) workspace.removeOverlay(path);
    for (const [path, text] of job.texts) workspace.setOverlay(path, text, 1);
    entry.overlays = open;
    const analysis = await workspace.analyze();
    if (job.request.kind === 'clusters') {
      const outcome = await discoverUntargetedInWorkspace(workspace, analysis, job.request);
      return outcome.ok ? { ok: true, report: untargetedReport(outcome) } : { ok: false, message: outcome.message };
    }
    try {
      const outcome = await discoverInWorkspace(workspace, analysis, job.request, this.sqlEngines(entry, analysis, job));
      return outcome.ok ? { ok: true, report: discoveryReport(outcome) } : { ok: false, message: outcome.message };
    } catch (e) {
      if (e instanceof DiscoverSampleError || e instanceof RecountError) return { ok: false, message: e.message };
      throw e;
    }
  }

  /**
   * On a Parquet source, which the embedded reader does not read, DuckDB
   * draws the rows the search runs on and counts the printed rules on every
   * row (the dataset stays loaded in DuckDB between searches).
   */
  private sqlEngines(entry: { workspace: Workspace; duck?: DuckDbDatasets }, analysis: Analysis, job: DiscoverJob): DiscoveryEngines {
    const model = analysis.model;
    return {
      drawSample: async (dataset, limit) => {
        if (!isParquetSource(model, dataset)) return undefined;
        if (job.engine === 'embedded') throw new DiscoverSampleError(`dataset ${dataset} is a Parquet file, which only DuckDB reads, and segspec.engine is embedded: set it to auto to discover segments in it`);
        return sampleWithDuckDb(model, dataset, limit);
      },
      recounter: (dataset) => {
        if (!isParquetSource(model, dataset)) return undefined;
        const duck = (entry.duck ??= new DuckDbDatasets());
        const measure = async (counted: Analysis) => (await duck.analyze(counted, { asOf: job.asOf, sampleSize: 0, isCancelled: () => false })).results;
        return { engine: 'duckdb', count: (request) => recountWithOverlay(entry.workspace, request, 'duckdb', measure) };
      },
    };
  }

  /** Closes the DuckDB databases of the workspaces. */
  close(): void {
    for (const entry of this.workspaces.values()) entry.duck?.close();
  }
}

interface JobMessage {
  id: number;
  job: DiscoverJob;
}

type ReplyMessage = { id: number; result: DiscoverJobResult } | { id: number; error: string };

/** In the worker: serves discovery jobs one after the other and returns true; on the main thread: false. */
export function runDiscoverWorkerIfAsked(): boolean {
  if (isMainThread || !parentPort || (workerData as Record<string, unknown> | null)?.[MARKER] !== true) return false;
  const port = parentPort;
  const workspaces = new DiscoveryWorkspaces();
  let queue = Promise.resolve();
  port.on('message', (message: JobMessage) => {
    queue = queue.then(async () => {
      let reply: ReplyMessage;
      try {
        reply = { id: message.id, result: await workspaces.run(message.job) };
      } catch (error) {
        reply = { id: message.id, error: error instanceof Error ? error.message : String(error) };
      }
      port.postMessage(reply);
    });
  });
  return true;
}

interface Running {
  id: number;
  resolve(result: DiscoverJobResult): void;
  reject(error: unknown): void;
}

/**
 * Runs discovery jobs one at a time: on a worker thread started from
 * `script`, or without one (in-process servers in tests) on this thread.
 */
export class DiscoverRunner {
  private worker: Worker | undefined;
  private running: Running | undefined;
  private nextId = 1;
  private tail: Promise<unknown> = Promise.resolve();
  private local: DiscoveryWorkspaces | undefined;

  constructor(
    private readonly script: string | undefined,
    private readonly localHost: Host,
  ) {}

  run(job: DiscoverJob, token?: CancellationToken): Promise<DiscoverJobResult> {
    const previous = this.tail;
    const run = previous.then(() => {
      throwIfCancelled(token);
      return this.script ? this.onWorker(this.script, job, token) : this.onThisThread(job, token);
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async onThisThread(job: DiscoverJob, token?: CancellationToken): Promise<DiscoverJobResult> {
    this.local ??= new DiscoveryWorkspaces(this.localHost);
    const result = await this.local.run(job);
    throwIfCancelled(token);
    return result;
  }

  private onWorker(script: string, job: DiscoverJob, token?: CancellationToken): Promise<DiscoverJobResult> {
    const worker = this.started(script);
    return new Promise<DiscoverJobResult>((resolve, reject) => {
      const id = this.nextId++;
      const running: Running = {
        id,
        resolve: (result) => {
          settle();
          resolve(result);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      const settle = (): void => {
        subscription?.dispose();
        if (this.running === running) this.running = undefined;
      };
      this.running = running;
      // Declared after `settle`, which runs only once the job ends (a cancelled token fires on a later tick).
      const subscription = token?.onCancellationRequested(() => {
        this.close();
        running.reject(cancelledError());
      });
      worker.postMessage({ id, job } satisfies JobMessage);
    });
  }

  private started(script: string): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(script, { workerData: { [MARKER]: true } });
    worker.unref();
    worker.on('message', (reply: ReplyMessage) => {
      const running = this.running;
      if (running?.id !== reply.id) return;
      if ('error' in reply) running.reject(new Error(`discovery failed: ${reply.error}`));
      else running.resolve(reply.result);
    });
    const fail = (error: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.running?.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the discovery worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** Stops the worker (and the search it runs). */
  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    this.local?.close();
  }
}
