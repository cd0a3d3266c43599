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
import { formatGitlab } from '../reporters/gitlab.js';
import { repositoryRoot } from '../repository-root.js';
import { engineOption } from '../engines.js';

const FORMATS = ['pretty', 'json', 'sarif', 'github', 'gitlab'] as const;

export async function runCheck(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const format = choice(cmd, 'format', FORMATS, 'pretty');
  const failOn = choice(cmd, 'fail-on', ['error', 'warning'] as const, 'error');
  const engine = engineOption(cmd);
  const onEngine = engine.engine === 'embedded' ? undefined : { choice: engine, overlaps: false };
  const analysis = await analyzePaths(cmd.positionals, cmd.shared, io, { engine: onEngine });
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
    case 'gitlab':
      io.stdout.write(formatGitlab(findings, { root: repositoryRoot(io.cwd), sourceOf: analysis.sourceOf }));
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
  const n = countFindings(findings);
  return n.errors > 0 || (failOn === 'warning' && n.warnings > 0) ? EXIT_FINDINGS : EXIT_OK;
}
