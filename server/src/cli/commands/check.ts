import { appendFile } from 'node:fs/promises';
import { analyzePaths } from '../analysis.js';
import { choice, type ParsedCommand } from '../args.js';
import { colorsFor } from '../colors.js';
import { catalog } from '../../core/diagnostics/catalog.js';
import { CliError, EXIT_FINDINGS, EXIT_OK } from '../errors.js';
import type { CliIO } from '../io.js';
import { VERSION_FOR_REPORTS } from '../version.js';
import { countFindings } from '../reporters/findings.js';
import { formatPretty } from '../reporters/pretty.js';
import { formatJson } from '../reporters/json.js';
import { formatSarif } from '../reporters/sarif.js';
import { formatGithub, githubStepSummary } from '../reporters/github.js';
import { engineOption, measureOnEngine, workspaceLabel } from '../engines.js';

const FORMATS = ['pretty', 'json', 'sarif', 'github'] as const;

export async function runCheck(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const format = choice(cmd, 'format', FORMATS, 'pretty');
  const failOn = choice(cmd, 'fail-on', ['error', 'warning'] as const, 'error');
  const engine = engineOption(cmd);
  const analysis = await analyzePaths(cmd.positionals, cmd.shared, io);
  const findings = analysis.findings;
  switch (format) {
    case 'pretty':
      io.stdout.write(
        formatPretty(findings, {
          cwd: io.cwd,
          colors: colorsFor(io.stdout, io, cmd.shared.noColor),
          sourceOf: analysis.sourceOf,
          workspaceCount: analysis.workspaces.length,
          fileCount: analysis.fileCount,
          quiet: cmd.shared.quiet,
        }),
      );
      break;
    case 'json':
      io.stdout.write(formatJson(findings, io.cwd));
      break;
    case 'sarif':
      io.stdout.write(formatSarif(findings, { cwd: io.cwd, catalog, toolVersion: VERSION_FOR_REPORTS }));
      break;
    case 'github': {
      io.stdout.write(formatGithub(findings, io.cwd));
      const summaryFile = io.env.GITHUB_STEP_SUMMARY;
      if (summaryFile) {
        try {
          await appendFile(summaryFile, githubStepSummary(findings, io.cwd, analysis.workspaces.length));
        } catch (e) {
          throw new CliError(`cannot write the step summary to ${summaryFile}: ${(e as Error).message}`);
        }
      }
      break;
    }
  }
  let mismatches = 0;
  if (engine.engine !== 'embedded') {
    for (const m of await measureOnEngine(analysis.workspaces, engine)) {
      const ws = workspaceLabel(m.workspace, io.cwd);
      for (const d of m.datasets) {
        for (const s of d.segments) {
          const embedded = m.workspace.analysis.results.segments.get(s.segment)?.size;
          if (s.size === embedded) continue;
          mismatches++;
          const got = s.size === undefined ? `failed (${s.error ?? 'unknown error'})` : String(s.size);
          io.stderr.write(`error: ${ws}: segment '${s.segment}' has ${embedded ?? 0} members on the embedded engine, ${engine.engine}: ${got}\n`);
        }
      }
    }
    if (mismatches === 0 && !cmd.shared.quiet) io.stderr.write(`${engine.engine} agrees with the embedded engine on every segment size\n`);
  }
  const n = countFindings(findings);
  return mismatches > 0 || n.errors > 0 || (failOn === 'warning' && n.warnings > 0) ? EXIT_FINDINGS : EXIT_OK;
}
