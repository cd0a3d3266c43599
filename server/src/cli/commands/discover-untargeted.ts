/**
 * `segspec discover [paths…]` without `--target` (SPEC §13): readable
 * segments that together cover most rows, from clusters of the data
 * (core/discover/untargeted). Like the targeted path, every printed rule is
 * re-counted by the engine before a number is shown.
 */
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { discoverUntargetedInWorkspace, untargetedReport, type UntargetedDiscovery } from '../../core/discover/run-untargeted.js';
import type { UntargetedResult } from '../../core/discover/untargeted.js';
import type { RenderedRule } from '../../core/discover/render.js';
import { percentText } from '../../core/discover/render.js';
import { analyzePaths } from '../analysis.js';
import { choice, stringOption, type ParsedCommand } from '../args.js';
import { CliError, EXIT_OK, UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { escapeControls } from '../reporters/safe-text.js';
import { commentLine, minSizeOption, pickWorkspace, positiveInteger } from './discover-segments.js';

export async function runUntargeted(cmd: ParsedCommand, io: CliIO): Promise<number> {
  if (stringOption(cmd, 'quality') !== undefined) throw new UsageError('--quality scores rules against a target: give --target too, or leave --quality out', 'discover');
  const format = choice(cmd, 'format', ['text', 'json'] as const, 'text');
  const clustersRaw = stringOption(cmd, 'clusters');
  const clusters = clustersRaw === undefined ? undefined : positiveInteger(cmd, 'clusters', 1, 30);
  const max = clusters ?? positiveInteger(cmd, 'max', 8, 30);
  const depth = positiveInteger(cmd, 'depth', 3, 6);
  const analysis = await analyzePaths(cmd.positionals, cmd.shared, io);
  const w = pickWorkspace(analysis.workspaces, '');
  const outcome = await discoverUntargetedInWorkspace(w.workspace, w.analysis, { dataset: stringOption(cmd, 'dataset'), max, clusters, depth, minSize: minSizeOption(cmd) });
  if (!outcome.ok) throw new CliError(outcome.message);
  const { result, rendered, dataset } = outcome;
  const out = format === 'json' ? jsonReport(outcome) : textReport(result, rendered, dataset);
  const file = stringOption(cmd, 'write');
  if (file !== undefined) {
    await appendFile(resolve(io.cwd, file), declarationsText(result, rendered));
    io.stderr.write(`segspec: appended ${rendered.length} segment${rendered.length === 1 ? '' : 's'} to ${escapeControls(file)}\n`);
  }
  io.stdout.write(out);
  return EXIT_OK;
}

function kText(result: UntargetedResult): string {
  const c = result.choice;
  if (c.method === 'fixed') return `${result.k} cluster${result.k === 1 ? '' : 's'} (fixed)`;
  return `${result.k} clusters (the best simplified silhouette, ${c.silhouette.toFixed(2)}, of K = ${c.tried[0].k}–${c.tried[c.tried.length - 1].k} on ${c.rows.toLocaleString('en-US')} rows)`;
}

function summaryLine(result: UntargetedResult, i: number): string {
  const r = result.rules[i];
  const top = r.overlaps[0];
  const overlap = top ? `largest overlap ${top.segment}: ${top.count.toLocaleString('en-US')} rows (Jaccard ${top.jaccard.toFixed(2)})` : 'no overlap with existing segments';
  return (
    `// ${i + 1}. size ${r.size.toLocaleString('en-US')} (${percentText(r.share)}) · cluster ${r.cluster}: ${r.clusterSize.toLocaleString('en-US')} rows · ` +
    `fidelity F1 ${r.f1.toFixed(2)} (precision ${r.precision.toFixed(2)}, recall ${r.recall.toFixed(2)}) · ${overlap}`
  );
}

function declarationsText(result: UntargetedResult, rendered: RenderedRule[]): string {
  return rendered.map((r, i) => `\n${commentLine(summaryLine(result, i))}\n${r.text}`).join('');
}

function textReport(result: UntargetedResult, rendered: RenderedRule[], dataset: string): string {
  const head = [
    `// segspec discover: no target, ${dataset}: ${result.rows.toLocaleString('en-US')} rows; ${kText(result)},` +
      ` clustered on ${result.fields.length} fields of ${result.clusteredRows.toLocaleString('en-US')} rows; ${result.candidates} candidate clauses` +
      (result.sampledRows !== undefined ? `; rules searched on a sample of ${result.sampledRows.toLocaleString('en-US')} rows, counted on all` : ''),
    `// set: ${rendered.length} rule${rendered.length === 1 ? '' : 's'} cover ${percentText(result.coverage)} of rows; pairwise Jaccard mean ${result.meanJaccard.toFixed(2)}, max ${result.maxJaccard.toFixed(2)}`,
  ];
  for (const c of result.clusters) if (c.note !== undefined) head.push(`// cluster ${c.cluster} (${c.size.toLocaleString('en-US')} rows, ${percentText(c.share)}): no rule proposed: ${c.note}`);
  return `${head.map(commentLine).join('\n')}\n${declarationsText(result, rendered)}`;
}

function jsonReport(discovery: UntargetedDiscovery): string {
  return `${JSON.stringify(untargetedReport(discovery), null, 2)}\n`;
}
