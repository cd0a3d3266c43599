import { readFileSync } from 'node:fs';
import type { Finding } from '../core/diagnostics/types.js';
import { Workspace, type Analysis } from '../core/workspace.js';
import type { SharedOptions } from './args.js';
import { discoverWorkspaces, type WorkspaceTarget } from './discover.js';
import { CliError } from './errors.js';
import type { CliIO } from './io.js';
import { NodeHost } from '../node/fs-host.js';
import { withProgress } from './progress.js';
import { sortFindings } from '../core/diagnostics/sort.js';
import { displayPath } from './reporters/findings.js';
import { rowLimitedHost } from '../core/data/row-limit.js';
import { checkOnEngine, type EngineChoice } from './engines.js';
import { escapeControls } from './reporters/safe-text.js';
import { flagSystem } from '../core/flags/systems/index.js';
import { blockLoading } from '../node/block-workers.js';

export interface AnalyzedWorkspace {
  target: WorkspaceTarget;
  workspace: Workspace;
  analysis: Analysis;
  /** Findings of this workspace, restricted to the files the user named. */
  findings: Finding[];
}

export interface PathsAnalysis {
  workspaces: AnalyzedWorkspace[];
  /** All findings, sorted by file and position. */
  findings: Finding[];
  /** Number of `.segspec` files analysed. */
  fileCount: number;
  /** Text of a file, for code frames: spec files from the model, others from disk. */
  sourceOf(file: string): string | undefined;
}

/**
 * Rows of each data file the embedded reader takes when a SQL engine counts
 * the rows: enough for the field types, enum values and the checks on the
 * file's content, without holding a huge file in memory.
 */
export const SCHEMA_SAMPLE_ROWS = 100_000;

export interface AnalyzeOptions {
  /** Run the checks on the data on this SQL engine instead of the embedded one. */
  engine?: { choice: Exclude<EngineChoice, { engine: 'embedded' }>; overlaps: boolean; sampleSize?: number };
}

/** Finds the workspaces under `paths` and analyses each: static checks and data checks. */
export async function analyzePaths(paths: readonly string[], shared: SharedOptions, io: CliIO, options: AnalyzeOptions = {}): Promise<PathsAnalysis> {
  const files = new NodeHost();
  const host = options.engine ? rowLimitedHost(files, () => SCHEMA_SAMPLE_ROWS) : files;
  const targets = await discoverWorkspaces(files, [...paths], io.cwd);
  const workspaces: AnalyzedWorkspace[] = [];
  for (const target of targets) {
    const workspace = new Workspace(host, target.root, { asOf: shared.asOf, flagSystems: flagSystem, blocks: blockLoading() });
    let analysis: Analysis;
    try {
      analysis = await withProgress(io.stderr, `checking ${escapeControls(displayPath(target.root, io.cwd))}`, () => workspace.analyze());
    } catch (e) {
      throw new CliError(`cannot analyse ${displayPath(target.root, io.cwd)}: ${(e as Error).message}`);
    }
    const only = target.onlyFiles;
    const findings = only ? analysis.findings.filter((f) => only.has(f.file)) : analysis.findings;
    workspaces.push({ target, workspace, analysis, findings });
  }
  if (options.engine) {
    const { choice, overlaps, sampleSize } = options.engine;
    await withProgress(io.stderr, `checking on ${choice.engine}`, () => checkOnEngine(workspaces, choice, { overlaps, sampleSize, asOf: shared.asOf }));
  }
  const texts = new Map<string, string>();
  for (const w of workspaces) for (const [path, file] of w.analysis.model.files) texts.set(path, file.text);
  const fileCount = workspaces.reduce(
    (n, w) => n + (w.target.onlyFiles ? w.target.onlyFiles.size : w.analysis.model.files.size),
    0,
  );
  return {
    workspaces,
    findings: sortFindings(workspaces.flatMap((w) => w.findings)),
    fileCount,
    sourceOf: (file) => texts.get(file) ?? readTextOrUndefined(file, texts),
  };
}

function readTextOrUndefined(file: string, cache: Map<string, string>): string | undefined {
  try {
    // Findings in data files or Markdown: read once for the code frame.
    const text = readFileSync(file, 'utf8');
    cache.set(file, text);
    return text;
  } catch {
    return undefined;
  }
}
