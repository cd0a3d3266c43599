import { analyzePaths } from '../analysis.js';
import { stringOption, type ParsedCommand } from '../args.js';
import { colorsFor } from '../colors.js';
import { CliError, EXIT_OK, UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { requireName, workspaceDefining } from '../lookup.js';
import { escapeControls } from '../reporters/safe-text.js';
import { parsePercent } from '../flag-options.js';
import { flagSystemNames, isFlagSystemName } from '../../core/flags/system.js';
import { RolloutError, rolloutReport, type RolloutGroup, type RolloutReport } from '../../core/flags/rollout-report.js';

/** `segspec rollout SEGMENT --system S [--flag KEY] --percent N [--seed S | --salt S] [--format table|json] [paths…]` */
export async function runRollout(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const { name, paths } = requireName(cmd.positionals, 'SEGMENT', 'rollout');
  const system = stringOption(cmd, 'system');
  if (system === undefined) throw new UsageError(`--system is required (one of ${flagSystemNames.join(', ')})`, 'rollout');
  if (!isFlagSystemName(system)) throw new UsageError(`--system must be one of ${flagSystemNames.join(', ')}; got '${system}'`, 'rollout');
  const percentText = stringOption(cmd, 'percent');
  if (percentText === undefined) throw new UsageError('--percent is required, like --percent 12.5%', 'rollout');
  const percent = parsePercent(percentText, '--percent', 'rollout');
  const format = stringOption(cmd, 'format') ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json; got '${format}'`, 'rollout');
  const flagKey = stringOption(cmd, 'flag') ?? name;

  const analysis = await analyzePaths(paths, cmd.shared, io);
  const w = workspaceDefining(analysis, 'segment', name);
  const { model, data, results, brokenRules } = w.analysis;
  const broken = brokenRules.get(name);
  if (broken !== undefined) throw new CliError(`cannot roll out '${name}': ${broken}`);
  const dataset = model.segments.get(name)?.dataset;
  const table = dataset ? data.get(dataset)?.table : undefined;
  if (!table) throw new CliError(`no data is loaded for ${name}${dataset ? ` (dataset ${dataset})` : ''}`);
  let report: RolloutReport;
  try {
    report = rolloutReport({ model, results, table, segment: name }, { system, flagKey, percent, seed: stringOption(cmd, 'seed'), salt: stringOption(cmd, 'salt') });
  } catch (e) {
    if (e instanceof RolloutError) throw new CliError(`cannot roll out '${name}': ${e.message}`);
    throw e;
  }
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT_OK;
  }
  const c = colorsFor(io.stdout, io, cmd.shared.noColor);
  const out: string[] = [];
  const by = report.seed !== undefined ? `, seed ${report.seed}` : report.salt !== undefined ? `, salt ${report.salt}` : '';
  out.push(c.bold(escapeControls(`${report.title} flag '${report.flagKey}' at ${report.percent}% of ${report.segment}${by}`)));
  out.push(`${num(report.target.getIt)} of ${num(report.target.members)} members get it (${pct(report.target.share)}); ${num(report.rows)} rows in ${escapeControls(report.dataset)}`);
  out.push('');
  out.push(...table2(['segment', 'members', 'get it', 'share'], report.segments.map(row)));
  if (report.personas.length > 0) {
    out.push('');
    out.push(...table2(['persona', 'segment', 'members', 'get it', 'share'], report.personas.map((p) => [p.name, p.segment, ...row(p).slice(1)])));
  }
  out.push('');
  out.push(`sample keys: ${report.sampleKeys.length > 0 ? escapeControls(report.sampleKeys.join(', ')) : '(none)'}`);
  for (const note of report.notes) out.push(`note: ${escapeControls(note)}`);
  io.stdout.write(`${out.join('\n')}\n`);
  return EXIT_OK;
}

function row(g: RolloutGroup): string[] {
  return [escapeControls(g.name), num(g.members), num(g.getIt), pct(g.share)];
}

function table2(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]].length)));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i === 0 || (headers.length === 5 && i === 1) ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)];
}

const num = (n: number): string => n.toLocaleString('en-US');
const pct = (share: number | undefined): string => (share === undefined ? '–' : `${(share * 100).toFixed(1)}%`);
