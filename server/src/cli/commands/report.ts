import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { analyzePaths } from '../analysis.js';
import { stringOption, type ParsedCommand } from '../args.js';
import { CliError, EXIT_OK } from '../errors.js';
import type { CliIO } from '../io.js';
import { loadEchartsSource } from '../report/echarts-source.js';
import { renderReport } from '../report/html.js';
import { displayPath, plural } from '../reporters/findings.js';
import { VERSION_FOR_REPORTS } from '../version.js';
import { buildView } from '../view-builder.js';
import { engineOption } from '../engines.js';
import { escapeControls } from '../reporters/safe-text.js';

const SAMPLE_MEMBERS = 5;

/** `segspec report [paths…] --out report.html [--engine E [--db URL]]` */
export async function runReport(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const out = resolve(io.cwd, stringOption(cmd, 'out') ?? 'report.html');
  const echartsSource = loadEchartsSource();
  const engine = engineOption(cmd);
  const onEngine = engine.engine === 'embedded' ? undefined : { choice: engine, overlaps: true, sampleSize: SAMPLE_MEMBERS };
  const analysis = await analyzePaths(cmd.positionals, cmd.shared, io, { engine: onEngine });
  const view = buildView(analysis.workspaces, analysis.findings, { cwd: io.cwd, sampleSize: SAMPLE_MEMBERS });
  // The workspace folder's name, as the editor calls it: never a machine's absolute path.
  const names = analysis.workspaces.map((w) => basename(resolve(io.cwd, w.target.root)) || displayPath(w.target.root, io.cwd));
  const asOf = [...new Set(analysis.workspaces.flatMap((w) => [...w.analysis.results.datasets.values()].map((d) => d.asOf)))];
  const html = renderReport(view, {
    title: `Segspec report — ${names.join(', ')}`,
    generatedAt: generatedAt(io.env.SOURCE_DATE_EPOCH),
    asOf: asOf.length === 1 ? asOf[0] : undefined,
    toolVersion: VERSION_FOR_REPORTS,
    echartsSource,
  });
  try {
    await writeFile(out, html);
  } catch (e) {
    throw new CliError(`cannot write ${displayPath(out, io.cwd)}: ${(e as Error).message}`);
  }
  if (!cmd.shared.quiet) {
    const n = view.summary;
    io.stderr.write(
      `wrote ${escapeControls(displayPath(out, io.cwd))} (${plural(view.segments.length, 'segment')}, ${plural(n.errors, 'error')}, ${plural(n.warnings, 'warning')})\n`,
    );
  }
  return EXIT_OK;
}

/** Now, or SOURCE_DATE_EPOCH (seconds) for reproducible reports. */
function generatedAt(sourceDateEpoch: string | undefined): string {
  const seconds = sourceDateEpoch !== undefined && /^\d+$/.test(sourceDateEpoch) ? Number(sourceDateEpoch) : undefined;
  const date = seconds !== undefined ? new Date(seconds * 1000) : new Date();
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}
