/**
 * Keeps one core `Workspace` per workspace folder in step with the editor:
 * open documents become overlays, edits schedule a debounced analysis, requests
 * wait for an analysis that has seen the latest edit, and diagnostics are
 * published only for the document versions they were computed from.
 */
import { dirname } from 'node:path';
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocuments } from 'vscode-languageserver/node';
import { CancelledError, Workspace, type Analysis, type WorkspaceOptions } from '../core/workspace.js';
import type { DataAnalysis } from '../core/engine/index.js';
import type { Host } from '../core/host.js';
import type { MarkdownDocument } from '../core/markdown/index.js';
import { raceCancellation, throwIfCancelled } from './cancellation.js';
import { DuckDbDatasets, duckDbReason, type EngineSetting } from '../sqlengines/duckdb-datasets.js';
import { isMarkdown, isSegspec, uriToPath } from './uris.js';
import { flagSystem } from '../core/flags/systems/index.js';

/**
 * Edits arriving within this time of each other are analysed together (a
 * newer edit also cancels a running analysis). An edit after a pause is
 * analysed at once: waiting only pays off while edits keep coming.
 */
export const ANALYSIS_DELAY_MS = 25;
/** Files whose change means a data load (anything but sources and documents). */
const DATA_FILE = /\.(csv|tsv|json|jsonl|ndjson|parquet)$/i;
export const UNTITLED_ROOT = '/__segspec_untitled__';

export interface Snapshot {
  root: string;
  generation: number;
  analysis: Analysis;
  /** Versions of the open documents this analysis has seen, by path. */
  versions: Map<string, number>;
  /** Parsed Markdown documents of the workspace, by path. */
  markdown: Map<string, MarkdownDocument>;
  /** Texts of the open documents this analysis has seen, by path. */
  texts: Map<string, string>;
}

export interface SessionSettings {
  asOf?: string;
  maxRows?: number;
  /** Which engine runs the checks on the data (default `auto`: DuckDB for Parquet and datasets above maxRows). */
  engine?: EngineSetting;
}

/** Member keys kept per segment when DuckDB runs the checks (hovers, the preview). */
const DUCKDB_SAMPLE_KEYS = 20;

class Project {
  dirty = true;
  generation = 0;
  timer: NodeJS.Timeout | undefined;
  running: Promise<Snapshot> | undefined;
  snapshot: Snapshot | undefined;
  /** The next analysis (re)loads sample data: show progress from its start. */
  loadPending = true;
  /** Datasets loaded in DuckDB, when the engine setting sends this project's checks there. */
  duck: DuckDbDatasets | undefined;
  /**
   * A data file is being read, or the data read last has not been evaluated
   * yet: requests that can answer from the model do so (`modelSnapshotFor`).
   * Set with `loadPending` too, so a request that comes before the analysis
   * reaches the data does not wait for it.
   */
  loading = true;
  /** Counts edits and file changes: a model-only snapshot is reused while it is unchanged. */
  edits = 0;
  /** When the latest edit or close arrived (ms, `performance.now()`). */
  lastEditAt = -Infinity;
  modelOnly: { edits: number; snapshot: Promise<Snapshot> } | undefined;
  constructor(
    readonly root: string,
    readonly workspace: Workspace,
  ) {}
}

export type AnalysisListener = (snapshot: Snapshot) => void;

export class Session {
  private readonly projects = new Map<string, Project>();
  private readonly listeners: AnalysisListener[] = [];
  private folders: string[] = [];
  settings: SessionSettings = {};

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly host: Host,
    private readonly progressSupported: () => boolean,
    /** How workspaces read data and whether they evaluate in slices (the server passes a worker and a pause). */
    private readonly workspaceOptions: Pick<WorkspaceOptions, 'parseData' | 'pause'> = {},
  ) {}

  setFolders(folders: string[]): void {
    this.folders = [...folders].sort((a, b) => b.length - a.length);
    for (const folder of folders) this.projectForRoot(folder);
  }

  onAnalyzed(listener: AnalysisListener): void {
    this.listeners.push(listener);
  }

  updateSettings(settings: SessionSettings): void {
    const reload = settings.maxRows !== this.settings.maxRows;
    this.settings = settings;
    for (const project of this.projects.values()) {
      if (settings.engine === 'embedded') this.closeDuckDb(project);
      project.workspace.options = { ...project.workspace.options, asOf: settings.asOf };
      // The data cache knows files by size and time, not by how much of them was read.
      if (reload) {
        project.workspace.invalidate();
        project.loadPending = true;
        project.loading = true;
      }
      this.schedule(project, 0);
    }
  }

  allProjects(): Project[] {
    return [...this.projects.values()];
  }

  rootFor(path: string): string {
    if (path.startsWith(`${UNTITLED_ROOT}/`)) return UNTITLED_ROOT;
    const folder = this.folders.find((f) => path === f || path.startsWith(f.endsWith('/') ? f : `${f}/`));
    return folder ?? dirname(path);
  }

  private projectForRoot(root: string): Project {
    let project = this.projects.get(root);
    if (!project) {
      project = new Project(root, new Workspace(this.host, root, { flagSystems: flagSystem, ...this.workspaceOptions, asOf: this.settings.asOf }));
      this.projects.set(root, project);
      this.schedule(project, 0);
    }
    return project;
  }

  projectFor(path: string): Project {
    return this.projectForRoot(this.rootFor(path));
  }

  /** Path the core sees for a document (untitled ones get a pseudo path). */
  pathOf(document: TextDocument): string {
    if (document.uri.startsWith('file:')) return uriToPath(document.uri);
    const suffix = document.languageId === 'markdown' ? '.md' : '.segspec';
    return `${UNTITLED_ROOT}/${document.uri.replace(/[^A-Za-z0-9_-]/g, '_')}${suffix}`;
  }

  /** Core path for a URI from a request (open untitled documents included). */
  pathFromUri(uri: string): string {
    const open = this.documents.get(uri);
    return open ? this.pathOf(open) : uriToPath(uri);
  }

  /** The URI of an open document with this path, else the file URI. */
  documentFor(path: string): TextDocument | undefined {
    return this.documents.all().find((d) => this.pathOf(d) === path);
  }

  documentChanged(document: TextDocument): void {
    const path = this.pathOf(document);
    const project = this.projectFor(path);
    project.workspace.setOverlay(path, document.getText(), document.version);
    project.edits++;
    this.schedule(project, this.editDelay(project));
  }

  /**
   * No wait for the first edit after a pause. Edits in quick succession wait
   * for each other, and so does an edit during an analysis: the delay gives
   * the running one time to notice it is stale and stop.
   */
  private editDelay(project: Project): number {
    const now = performance.now();
    const delay = analysisDelay(now - project.lastEditAt, project.running !== undefined);
    project.lastEditAt = now;
    return delay;
  }

  documentClosed(document: TextDocument): void {
    const path = this.pathOf(document);
    const project = this.projectFor(path);
    project.workspace.removeOverlay(path);
    project.edits++;
    this.schedule(project, ANALYSIS_DELAY_MS);
  }

  /** Files changed on disk: forget the file list; data loads notice new size or mtime. */
  filesChanged(paths: string[]): void {
    const touched = new Set<Project>();
    for (const path of paths) touched.add(this.projectFor(path));
    const dataChanged = paths.some((p) => DATA_FILE.test(p));
    for (const project of touched) {
      project.workspace.invalidate([]);
      project.edits++;
      if (dataChanged) project.loadPending = project.loading = true;
      this.schedule(project, ANALYSIS_DELAY_MS);
    }
  }

  /** An analysis that has seen every edit so far, waiting for it when needed. */
  async snapshotFor(path: string, token?: CancellationToken): Promise<Snapshot> {
    return this.fresh(this.projectFor(path), token);
  }

  async fresh(project: Project, token?: CancellationToken): Promise<Snapshot> {
    for (;;) {
      throwIfCancelled(token);
      if (!project.dirty && !project.running && project.snapshot) return project.snapshot;
      const pending = project.dirty ? this.start(project) : project.running;
      try {
        const snapshot = await raceCancellation(pending ?? this.start(project), token);
        if (!project.dirty) return snapshot;
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
      }
    }
  }

  /**
   * For requests that can answer from the model (completion, hover, symbols,
   * definition, references, rename, folding, semantic tokens):
   * while data loads, a snapshot of the current texts with the data results of
   * the last analysis (none before the first), at once; otherwise `snapshotFor`.
   */
  async modelSnapshotFor(path: string, token?: CancellationToken): Promise<Snapshot> {
    return this.modelSnapshotOf(this.projectFor(path), token);
  }

  private async modelSnapshotOf(project: Project, token?: CancellationToken): Promise<Snapshot> {
    if (!project.loading) return this.fresh(project, token);
    if (project.modelOnly?.edits !== project.edits) {
      project.modelOnly = { edits: project.edits, snapshot: this.modelOnlySnapshot(project) };
    }
    return raceCancellation(project.modelOnly.snapshot, token);
  }

  private async modelOnlySnapshot(project: Project): Promise<Snapshot> {
    const { versions, texts } = this.openTexts(project);
    const { model } = await project.workspace.modelOnly();
    const last = project.snapshot?.analysis;
    const analysis: Analysis = {
      model,
      // Findings of an older text would sit at old positions: the next analysis publishes them.
      findings: [],
      data: last?.data ?? new Map(),
      results: last?.results ?? noResults(),
      markdown: last?.markdown ?? new Map(),
      brokenRules: last?.brokenRules ?? new Map(),
      flags: last?.flags ?? new Map(),
    };
    return { root: project.root, generation: project.generation, analysis, versions, markdown: analysis.markdown, texts };
  }

  private openTexts(project: Project): { versions: Map<string, number>; texts: Map<string, string> } {
    const versions = new Map<string, number>();
    const texts = new Map<string, string>();
    for (const document of this.documents.all()) {
      const path = this.pathOf(document);
      if (this.rootFor(path) !== project.root) continue;
      versions.set(path, document.version);
      texts.set(path, document.getText());
    }
    return { versions, texts };
  }

  /** Latest snapshots of every project, fresh. */
  async allSnapshots(token?: CancellationToken): Promise<Snapshot[]> {
    return Promise.all(this.allProjects().map((p) => this.fresh(p, token)));
  }

  /** A snapshot of every project for requests that answer from the model (see `modelSnapshotFor`). */
  async allModelSnapshots(token?: CancellationToken): Promise<Snapshot[]> {
    return Promise.all(this.allProjects().map((p) => this.modelSnapshotOf(p, token)));
  }

  private schedule(project: Project, delay: number): void {
    project.dirty = true;
    if (project.timer) clearTimeout(project.timer);
    project.timer = setTimeout(() => {
      project.timer = undefined;
      if (project.dirty) this.start(project).catch(() => undefined);
    }, delay);
  }

  private start(project: Project): Promise<Snapshot> {
    if (project.timer) {
      clearTimeout(project.timer);
      project.timer = undefined;
    }
    project.dirty = false;
    const previous = project.running ?? Promise.resolve(undefined);
    const run = previous.catch(() => undefined).then(() => this.analyze(project));
    project.running = run;
    const clear = (): void => {
      if (project.running === run) project.running = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  private async analyze(project: Project): Promise<Snapshot> {
    const generation = ++project.generation;
    const { versions, texts } = this.openTexts(project);
    // Loading data is synchronous work in the core: the progress must begin before it, not on a timer.
    const progress = project.loadPending ? await this.beginProgress() : { done: () => undefined };
    try {
      // A newer edit makes this run pointless: the next one starts right after.
      let analysis = await project.workspace.analyze(() => project.dirty, { onDataLoad: () => (project.loading = true) });
      const reason = duckDbReason(analysis, this.settings.engine ?? 'auto', this.settings.maxRows);
      if (reason) analysis = await this.onDuckDb(project, analysis, reason);
      const snapshot: Snapshot = { root: project.root, generation, analysis, versions, markdown: analysis.markdown, texts };
      project.snapshot = snapshot;
      project.loadPending = false;
      project.loading = false;
      project.modelOnly = undefined;
      for (const listener of this.listeners) listener(snapshot);
      return snapshot;
    } catch (error) {
      // A cancelled run leaves its loaded data to the next run, which still has to evaluate it.
      if (!(error instanceof CancelledError)) {
        project.loading = false;
        this.connection.console.error(`Segspec analysis failed: ${describe(error)}`);
      }
      throw error;
    } finally {
      progress.done();
    }
  }

  /** The checks on the data run on DuckDB; when DuckDB fails, the embedded results stay, with the reason logged. */
  private async onDuckDb(project: Project, analysis: Analysis, reason: string): Promise<Analysis> {
    try {
      project.duck ??= new DuckDbDatasets();
      return await project.duck.analyze(analysis, {
        asOf: this.settings.asOf,
        sampleSize: DUCKDB_SAMPLE_KEYS,
        isCancelled: () => project.dirty,
      });
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      this.connection.console.error(`Segspec: DuckDB could not run the checks (${reason}); showing the embedded engine's results: ${describe(error)}`);
      this.closeDuckDb(project);
      return analysis;
    }
  }

  private closeDuckDb(project: Project): void {
    project.duck?.close();
    project.duck = undefined;
  }

  private async beginProgress(): Promise<{ done(): void }> {
    if (!this.progressSupported()) return { done: () => undefined };
    try {
      const progress = await this.connection.window.createWorkDoneProgress();
      progress.begin('Segspec', undefined, 'Loading sample data and checking segments…');
      return { done: () => progress.done() };
    } catch {
      return { done: () => undefined };
    }
  }
}

/** How long an edit waits before its analysis starts, from the time since the edit before it. */
export function analysisDelay(sinceLastEditMs: number, analysisRunning: boolean): number {
  return sinceLastEditMs < ANALYSIS_DELAY_MS || analysisRunning ? ANALYSIS_DELAY_MS : 0;
}

/** Data results before any analysis has finished: nothing measured yet. */
function noResults(): DataAnalysis {
  return { segments: new Map(), datasets: new Map(), overlaps: [], partitions: [], personas: new Map(), findings: [] };
}

export function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export { isMarkdown, isSegspec };
