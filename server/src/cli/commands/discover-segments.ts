/**
 * `segspec discover [paths…] --target EXPR`: segments proposed from the data
 * (SPEC §13). The search is core/discover; this command picks the workspace
 * and dataset, has the engine evaluate the target, prints the rules as
 * declarations, and re-counts every printed rule with the engine before
 * showing a number.
 */
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DiscoverResult } from '../../core/discover/index.js';
import { percentText, type RenderedRule } from '../../core/discover/render.js';
import { discoverInWorkspace, discoveryReport, parseMinSize, type Discovery, type DiscoveryEngines, type MinSize } from '../../core/discover/run.js';
import { analyzePaths, type AnalyzedWorkspace } from '../analysis.js';
import { choice, stringOption, flag, type ParsedCommand } from '../args.js';
import { recountOnEngine } from '../discover-recount.js';
import { DiscoverSampleError, isParquetSource, sampleWithDuckDb } from '../../sqlengines/discover-sample.js';
import { engineOption, type EngineChoice } from '../engines.js';
import { CliError, EXIT_OK, UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { escapeControls } from '../reporters/safe-text.js';
import { runUntargeted } from './discover-untargeted.js';

export async function runDiscover(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const target = stringOption(cmd, 'target');
  if (target === undefined) {
    const engine = stringOption(cmd, 'engine');
    if (engine !== undefined && engine !== 'embedded') throw new UsageError('--engine counts the rules of a discovery with --target; without a target the embedded engine counts them', 'discover');
    return runUntargeted(cmd, io);
  }
  if (target.trim() === '') throw new UsageError('--target expects a segment name or an expression over the dataset (leave it out to discover segments without a target)', 'discover');
  const format = choice(cmd, 'format', ['text', 'json'] as const, 'text');
  const quality = choice(cmd, 'quality', ['wracc', 'purer'] as const, 'wracc');
  const max = positiveInteger(cmd, 'max', 10, 100);
  const depth = positiveInteger(cmd, 'depth', 3, 6);
  const minSize = minSizeOption(cmd);
  const engine = engineOption(cmd);
  const analysis = await analyzePaths(cmd.positionals, cmd.shared, io);
  const w = pickWorkspace(analysis.workspaces, target.trim());
  const outcome = await discoverInWorkspace(w.workspace, w.analysis, {
    target,
    dataset: stringOption(cmd, 'dataset'),
    max,
    depth,
    minSize,
    quality,
    diverse: !flag(cmd, 'plain'),
  }, sqlEngines(w, engine, cmd.shared.asOf));
  if (!outcome.ok) throw new CliError(outcome.message);
  const { result, rendered } = outcome;
  const out = format === 'json' ? `${JSON.stringify(discoveryReport(outcome), null, 2)}\n` : textReport(outcome);
  const file = stringOption(cmd, 'write');
  if (file !== undefined) {
    const path = resolve(io.cwd, file);
    await appendFile(path, declarationsText(result, rendered, quality));
    io.stderr.write(`segspec: appended ${rendered.length} segment${rendered.length === 1 ? '' : 's'} to ${escapeControls(file)}\n`);
  }
  io.stdout.write(out);
  return EXIT_OK;
}

/**
 * A Parquet source (which the embedded reader does not read): DuckDB draws
 * the rows the search runs on. A Parquet source or `--engine`: the printed
 * rules are counted on every row by SQL, and every number shown is that count.
 */
function sqlEngines(w: AnalyzedWorkspace, engine: EngineChoice, asOf: string | undefined): DiscoveryEngines {
  const { model } = w.analysis;
  return {
    drawSample: async (dataset, limit) => {
      if (!isParquetSource(model, dataset)) return undefined;
      try {
        return await sampleWithDuckDb(model, dataset, limit);
      } catch (e) {
        throw e instanceof DiscoverSampleError ? new CliError(e.message) : e;
      }
    },
    recounter: (dataset) => {
      const choice = engine.engine !== 'embedded' ? engine : isParquetSource(model, dataset) ? ({ engine: 'duckdb' } as const) : undefined;
      return choice && { engine: choice.engine, count: (request) => recountOnEngine(w, request, choice, asOf) };
    },
  };
}

export function positiveInteger(cmd: ParsedCommand, name: string, fallback: number, most: number): number {
  const raw = stringOption(cmd, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > most) throw new UsageError(`--${name} expects a whole number from 1 to ${most}, got '${raw}'`, 'discover');
  return n;
}

/** `--min-size 5%` (a share of the rows) or `--min-size 50` (rows). */
export function minSizeOption(cmd: ParsedCommand): MinSize | undefined {
  const raw = stringOption(cmd, 'min-size');
  if (raw === undefined) return undefined;
  const parsed = parseMinSize(raw);
  if (parsed) return parsed;
  throw new UsageError(`--min-size expects a share like 5% or a row count like 50, got '${raw}'`, 'discover');
}

export function pickWorkspace(workspaces: AnalyzedWorkspace[], target: string): AnalyzedWorkspace {
  if (workspaces.length === 1) return workspaces[0];
  const defining = workspaces.filter((w) => w.analysis.model.segments.has(target));
  if (defining.length === 1) return defining[0];
  if (workspaces.length === 0) throw new CliError('no workspace found (a folder with .segspec files)');
  throw new CliError(`${workspaces.length} workspaces found: name one folder as a path`);
}

function summaryLine(result: DiscoverResult, i: number, quality: string): string {
  const r = result.rules[i];
  const top = r.overlaps[0];
  const overlap = top ? `largest overlap ${top.segment}: ${top.count.toLocaleString('en-US')} rows (Jaccard ${top.jaccard.toFixed(2)})` : 'no overlap with existing segments';
  return `// ${i + 1}. size ${r.size.toLocaleString('en-US')} (${percentText(r.share)}) · target rate ${percentText(r.targetRate)} (lift ${r.lift.toFixed(2)}) · ${quality === 'wracc' ? 'WRAcc' : 'quality'} ${r.quality.toFixed(4)} · ${overlap}`;
}

/** A comment line with the data's control characters, line breaks and tabs escaped, so it stays one comment line. */
export function commentLine(text: string): string {
  return escapeControls(text).replace(/[\n\t]/g, (ch) => (ch === '\n' ? '\\n' : '\\t'));
}

/** The declarations as the formatter wrote them (their strings already escaped); only the comment lines need escaping. */
function declarationsText(result: DiscoverResult, rendered: RenderedRule[], quality: string): string {
  return rendered.map((r, i) => `\n${commentLine(summaryLine(result, i, quality))}\n${r.text}`).join('');
}

function textReport({ result, rendered, dataset, target, quality }: Discovery): string {
  const head = [
    `// segspec discover: target ${target} on ${dataset}`,
    `// ${result.rows.toLocaleString('en-US')} rows, ${result.targetCount.toLocaleString('en-US')} in the target (${percentText(result.baseRate)}); ${result.candidates} candidate clauses` +
      (result.sampledRows !== undefined ? `; searched on a sample of ${result.sampledRows.toLocaleString('en-US')} rows, counted on all` : '') +
      (result.countedBy !== undefined ? `; every number counted by ${result.countedBy} (SQL) on all rows` : ''),
  ];
  if (rendered.length === 0) head.push('// no rule found that beats the overall rate with enough members (try a smaller --min-size)');
  return `${head.map(commentLine).join('\n')}\n${declarationsText(result, rendered, quality)}`;
}
