import { parseCommandLine, type CommandName, type ParsedCommand } from './args.js';
import { CliError, EXIT_FAILURE, EXIT_OK, UsageError } from './errors.js';
import { helpText } from './help.js';
import type { CliIO } from './io.js';
import { VERSION_FOR_REPORTS } from './version.js';
import { escapeControls } from './reporters/safe-text.js';

export const VERSION = VERSION_FOR_REPORTS;

type CommandRunner = (cmd: ParsedCommand, io: CliIO) => Promise<number>;

/**
 * Commands are loaded on first use, so that `--help`, `--version` and `init`
 * do not pay for initialising the parser, the engine or the language server.
 */
const RUNNERS: Record<CommandName, () => Promise<CommandRunner>> = {
  check: async () => (await import('./commands/check.js')).runCheck,
  stats: async () => (await import('./commands/stats.js')).runStats,
  diff: async () => (await import('./commands/diff.js')).runDiff,
  report: async () => (await import('./commands/report.js')).runReport,
  explain: async () => (await import('./commands/explain.js')).runExplain,
  init: async () => (await import('./commands/init.js')).runInit,
  sql: async () => (await import('./commands/sql.js')).runSql,
  export: async () => (await import('./commands/export.js')).runExport,
  import: async () => (await import('./commands/import.js')).runImport,
  rollout: async () => (await import('./commands/rollout.js')).runRollout,
  fmt: async () => (await import('./commands/fmt.js')).runFmt,
  lsp: async () => (await import('./commands/lsp.js')).runLsp,
  discover: async () => (await import('./commands/discover-segments.js')).runDiscover,
  persona: async () => (await import('./commands/persona-draft.js')).runPersona,
};

/**
 * Runs `segspec` with the arguments after the program name and returns the
 * exit code: 0 clean, 1 findings at or above the failing severity, 2 usage
 * error or tool failure (with a one-line reason on stderr).
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const args = parseCommandLine(argv);
    if (args.kind === 'help') {
      io.stdout.write(helpText(args.command));
      return EXIT_OK;
    }
    if (args.kind === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return EXIT_OK;
    }
    const runner = await RUNNERS[args.parsed.command]();
    return await runner(args.parsed, io);
  } catch (e) {
    if (e instanceof UsageError) {
      const hint = e.command ? `segspec ${e.command} --help` : 'segspec --help';
      io.stderr.write(`segspec: ${escapeControls(e.message)} (see '${hint}')\n`);
      return EXIT_FAILURE;
    }
    if (e instanceof CliError) {
      io.stderr.write(`segspec: ${escapeControls(e.message)}\n`);
      return EXIT_FAILURE;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr.write(`segspec: internal error: ${escapeControls(err.message.split('\n')[0])}\n`);
    if (io.env.SEGSPEC_DEBUG) io.stderr.write(`${err.stack ?? ''}\n`);
    return EXIT_FAILURE;
  }
}
