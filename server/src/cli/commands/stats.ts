import { analyzePaths } from '../analysis.js';
import { choice, type ParsedCommand } from '../args.js';
import { colorsFor } from '../colors.js';
import { EXIT_OK } from '../errors.js';
import type { CliIO } from '../io.js';
import { formatStatsCsv, formatStatsJson, formatStatsTable } from '../reporters/stats.js';
import { buildView } from '../view-builder.js';
import { engineOption } from '../engines.js';

/** `segspec stats [paths…] [--format table|csv|json] [--engine E [--db URL]]` */
export async function runStats(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const format = choice(cmd, 'format', ['table', 'csv', 'json'] as const, 'table');
  const engine = engineOption(cmd);
  const onEngine = engine.engine === 'embedded' ? undefined : { choice: engine, overlaps: true };
  const analysis = await analyzePaths(cmd.positionals, cmd.shared, io, { engine: onEngine });
  const view = buildView(analysis.workspaces, analysis.findings, { cwd: io.cwd, sampleSize: 0 });
  if (format === 'csv') io.stdout.write(formatStatsCsv(view));
  else if (format === 'json') io.stdout.write(formatStatsJson(view));
  else io.stdout.write(formatStatsTable(view, colorsFor(io.stdout, io, cmd.shared.noColor)));
  return EXIT_OK;
}
