import { analyzePaths } from '../analysis.js';
import { choice, type ParsedCommand } from '../args.js';
import { colorsFor } from '../colors.js';
import { EXIT_OK } from '../errors.js';
import type { CliIO } from '../io.js';
import { formatStatsCsv, formatStatsJson, formatStatsTable, type StatsMembers } from '../reporters/stats.js';
import { buildView } from '../view-builder.js';
import { engineOption } from '../engines.js';
import { UsageError } from '../errors.js';
import { snapshotOf } from '../../core/diff/from-analysis.js';
import { displayPath } from '../reporters/findings.js';
import type { MemberIds } from '../../core/diff/snapshot.js';

/** `segspec stats [paths…] [--format table|csv|json] [--engine E [--db URL]]` */
export async function runStats(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const format = choice(cmd, 'format', ['table', 'csv', 'json'] as const, 'table');
  const engine = engineOption(cmd);
  const withMembers = cmd.values.members === true;
  if (withMembers && format !== 'json') throw new UsageError('--members adds member keys to --format json', 'stats');
  // With --members on a SQL engine, the sample keys are every member's key.
  const sampleSize = withMembers ? Number.MAX_SAFE_INTEGER : undefined;
  const onEngine = engine.engine === 'embedded' ? undefined : { choice: engine, overlaps: true, sampleSize };
  const analysis = await analyzePaths(cmd.positionals, cmd.shared, io, { engine: onEngine });
  const view = buildView(analysis.workspaces, analysis.findings, { cwd: io.cwd, sampleSize: 0 });
  if (format === 'csv') io.stdout.write(formatStatsCsv(view));
  else if (format === 'json') io.stdout.write(formatStatsJson(view, withMembers ? membersOf(analysis.workspaces, io.cwd, onEngine !== undefined) : undefined));
  else io.stdout.write(formatStatsTable(view, colorsFor(io.stdout, io, cmd.shared.noColor)));
  return EXIT_OK;
}

/** Member keys per workspace and segment (as the view names them), for `--members`. */
function membersOf(workspaces: Parameters<typeof buildView>[0], cwd: string, fromSampleKeys: boolean): StatsMembers {
  const members = new Map<string, MemberIds>();
  const keys = new Map<string, string | undefined>();
  for (const w of workspaces) {
    const workspace = displayPath(w.target.root, cwd) || '.';
    const snapshot = snapshotOf(w.analysis, { workspace, membersFromSampleKeys: fromSampleKeys });
    for (const d of snapshot.datasets) keys.set(`${workspace}\u0000${d.name}`, d.key);
    for (const s of snapshot.segments) {
      // Row labels of a dataset without key would not identify anyone in another version of the data.
      const keyed = s.dataset !== undefined && keys.get(`${workspace}\u0000${s.dataset}`) !== undefined;
      members.set(`${workspace}\u0000${s.name}`, keyed ? s.members : { kind: 'unknown', reason: `${s.dataset ?? 'its dataset'} has no \`key\`` });
    }
  }
  return {
    segment: (workspace, name) => members.get(`${workspace}\u0000${name}`),
    key: (workspace, dataset) => keys.get(`${workspace}\u0000${dataset}`),
  };
}
