/**
 * `segspec discover [paths…] --target EXPR`: segments proposed from the data
 * (SPEC §13). The search is core/discover; this command picks the workspace
 * and dataset, has the engine evaluate the target, prints the rules as
 * declarations, and re-counts every printed rule with the engine before
 * showing a number.
 */
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { discoverSubgroups, type DiscoverResult } from '../../core/discover/index.js';
import { renderRules, percentText, type RenderedRule } from '../../core/discover/render.js';
import { chooseDataset, evaluateTarget, TARGET_SEGMENT } from '../../core/discover/target.js';
import { prop } from '../../core/syntax/ast.js';
import type { Analysis, Workspace } from '../../core/workspace.js';
import { analyzePaths, type AnalyzedWorkspace } from '../analysis.js';
import { choice, stringOption, flag, type ParsedCommand } from '../args.js';
import { CliError, EXIT_OK, UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { escapeControls } from '../reporters/safe-text.js';
import { runUntargeted } from './discover-untargeted.js';

const DEFAULT_MIN_SHARE = 0.02;

export async function runDiscover(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const target = stringOption(cmd, 'target');
  if (target === undefined) return runUntargeted(cmd, io);
  if (target.trim() === '') throw new UsageError('--target expects a segment name or an expression over the dataset (leave it out to discover segments without a target)', 'discover');
  const format = choice(cmd, 'format', ['text', 'json'] as const, 'text');
  const quality = choice(cmd, 'quality', ['wracc', 'purer'] as const, 'wracc');
  const max = positiveInteger(cmd, 'max', 10, 100);
  const depth = positiveInteger(cmd, 'depth', 3, 6);
  const analysis = await analyzePaths(cmd.positionals, cmd.shared, io);
  const w = pickWorkspace(analysis.workspaces, target.trim());
  const chosen = chooseDataset(w.analysis.model, stringOption(cmd, 'dataset'), target);
  if ('error' in chosen) throw new CliError(chosen.error);
  const { dataset } = chosen;
  const table = w.analysis.data.get(dataset)?.table;
  if (!table) throw new CliError(`no data is loaded for dataset ${dataset}: run 'segspec check' to see why`);
  const evaluated = await evaluateTarget(w.workspace, dataset, target);
  if (!evaluated.ok) throw new CliError(evaluated.message);
  const model = evaluated.analysis.model;
  const minSize = minSizeRows(cmd, table.rowCount);
  const keyField = prop(model.datasets.get(dataset)!.decl, 'key')?.value?.name;
  const exclude = new Set(evaluated.fields);
  if (keyField) exclude.add(keyField);
  const targetSegment = model.segments.has(target.trim()) ? target.trim() : undefined;
  const existing = [...evaluated.analysis.results.segments.values()]
    .filter((s) => s.dataset === dataset && s.members && s.name !== TARGET_SEGMENT && s.name !== targetSegment && s.status !== 'unavailable')
    .map((s) => ({ name: s.name, members: s.members! }));
  const result = discoverSubgroups({
    table,
    target: evaluated.members,
    today: evaluated.today,
    exclude,
    reserved: new Set([...model.segments.keys(), ...model.personas.keys(), ...model.datasets.keys()]),
    existing,
    options: { max, depth, minSize, quality, diverse: !flag(cmd, 'plain') },
  });
  const taken = new Set<string>([...model.segments.keys(), ...model.personas.keys(), ...model.datasets.keys(), ...model.partitions.keys(), ...table.byName.keys()]);
  const rendered = renderRules(result, { dataset, target: target.trim(), taken });
  await verifyWithEngine(w.workspace, rendered, result);
  const out = format === 'json' ? jsonReport(result, rendered, dataset, target.trim(), quality) : textReport(result, rendered, dataset, target.trim(), quality);
  const file = stringOption(cmd, 'write');
  if (file !== undefined) {
    const path = resolve(io.cwd, file);
    await appendFile(path, declarationsText(result, rendered, quality));
    io.stderr.write(`segspec: appended ${rendered.length} segment${rendered.length === 1 ? '' : 's'} to ${escapeControls(file)}\n`);
  }
  io.stdout.write(out);
  return EXIT_OK;
}

export function positiveInteger(cmd: ParsedCommand, name: string, fallback: number, most: number): number {
  const raw = stringOption(cmd, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > most) throw new UsageError(`--${name} expects a whole number from 1 to ${most}, got '${raw}'`, 'discover');
  return n;
}

/** `--min-size 5%` (a share of the rows) or `--min-size 50` (rows). */
export function minSizeRows(cmd: ParsedCommand, rows: number): number {
  const raw = stringOption(cmd, 'min-size');
  if (raw === undefined) return Math.max(1, Math.ceil(DEFAULT_MIN_SHARE * rows));
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(raw);
  if (percent && Number(percent[1]) <= 100) return Math.max(1, Math.ceil((Number(percent[1]) / 100) * rows));
  if (/^\d+$/.test(raw)) return Math.max(1, Number(raw));
  throw new UsageError(`--min-size expects a share like 5% or a row count like 50, got '${raw}'`, 'discover');
}

export function pickWorkspace(workspaces: AnalyzedWorkspace[], target: string): AnalyzedWorkspace {
  if (workspaces.length === 1) return workspaces[0];
  const defining = workspaces.filter((w) => w.analysis.model.segments.has(target));
  if (defining.length === 1) return defining[0];
  if (workspaces.length === 0) throw new CliError('no workspace found (a folder with .segspec files)');
  throw new CliError(`${workspaces.length} workspaces found: name one folder as a path`);
}

/**
 * Evaluates the printed declarations with the engine, as a user's file would
 * be: their sizes must be the numbers shown, and they must check clean.
 */
export async function verifyWithEngine(workspace: Workspace, rendered: RenderedRule[], result: { rules: ReadonlyArray<{ size: number }> }): Promise<void> {
  if (rendered.length === 0) return;
  const path = `${workspace.root.replace(/[\\/]+$/, '')}/__segspec_discover_check__.segspec`;
  workspace.setOverlay(path, rendered.map((r) => r.text).join('\n'), 1);
  let analysis: Analysis;
  try {
    analysis = await workspace.analyze();
  } finally {
    workspace.removeOverlay(path);
  }
  const problems = analysis.findings.filter((f) => f.file === path && f.severity !== 'info');
  if (problems.length > 0) throw new CliError(`internal error: a proposed rule does not check clean: ${problems[0].code} ${problems[0].message}`);
  rendered.forEach((r, i) => {
    const counted = analysis.results.segments.get(r.name);
    if (counted?.size !== result.rules[i].size) {
      throw new CliError(`internal error: ${r.name} counts ${counted?.size ?? 'nothing'} on the engine, not ${result.rules[i].size}`);
    }
  });
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

function textReport(result: DiscoverResult, rendered: RenderedRule[], dataset: string, target: string, quality: string): string {
  const head = [
    `// segspec discover: target ${target} on ${dataset}`,
    `// ${result.rows.toLocaleString('en-US')} rows, ${result.targetCount.toLocaleString('en-US')} in the target (${percentText(result.baseRate)}); ${result.candidates} candidate clauses` +
      (result.sampledRows !== undefined ? `; searched on a sample of ${result.sampledRows.toLocaleString('en-US')} rows, counted on all` : ''),
  ];
  if (rendered.length === 0) head.push('// no rule found that beats the overall rate with enough members (try a smaller --min-size)');
  return `${head.map(commentLine).join('\n')}\n${declarationsText(result, rendered, quality)}`;
}

function jsonReport(result: DiscoverResult, rendered: RenderedRule[], dataset: string, target: string, quality: string): string {
  return `${JSON.stringify(
    {
      dataset,
      target,
      quality,
      rows: result.rows,
      targetCount: result.targetCount,
      targetRate: result.baseRate,
      sampledRows: result.sampledRows ?? null,
      candidateClauses: result.candidates,
      candidates: result.rules.map((r, i) => ({
        name: rendered[i].name,
        where: r.where,
        declaration: rendered[i].text,
        size: r.size,
        share: r.share,
        targetCount: r.targetCount,
        targetRate: r.targetRate,
        lift: r.lift,
        quality: r.quality,
        overlaps: r.overlaps,
      })),
    },
    null,
    2,
  )}\n`;
}
