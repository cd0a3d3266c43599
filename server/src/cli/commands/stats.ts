import { analyzePaths } from '../analysis.js';
import { choice, type ParsedCommand } from '../args.js';
import { colorsFor } from '../colors.js';
import { EXIT_OK } from '../errors.js';
import type { CliIO } from '../io.js';
import { formatStatsCsv, formatStatsJson, formatStatsTable } from '../reporters/stats.js';
import { buildView } from '../view-builder.js';
import { applyEngineMeasures, engineOption, measureOnEngine } from '../engines.js';

/** `segspec stats [paths…] [--format table|csv|json] [--engine E [--db URL]]` */
export async function runStats(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const format = choice(cmd, 'format', ['table', 'csv', 'json'] as const, 'table');
  const engine = engineOption(cmd);
  const analysis = await analyzePaths(cmd.positionals, cmd.shared, io);
  const view = buildView(analysis.workspaces, analysis.findings, { cwd: io.cwd, sampleSize: 0 });
  if (engine.engine !== 'embedded') {
    const measures = await measureOnEngine(analysis.workspaces, engine);
    const failed = applyEngineMeasures(view, measures, io.cwd);
    for (const f of failed) io.stderr.write(`warning: ${engine.engine} could not size '${f.segment}' (embedded size shown): ${f.error ?? 'unknown error'}\n`);
  }
  if (format === 'csv') io.stdout.write(formatStatsCsv(view));
  else if (format === 'json') io.stdout.write(formatStatsJson(view));
  else io.stdout.write(formatStatsTable(view, colorsFor(io.stdout, io, cmd.shared.noColor)));
  return EXIT_OK;
}
