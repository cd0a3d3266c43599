import { flag, type ParsedCommand } from '../args.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { currentBundle } from '../../node/block-workers.js';

/** Returned by commands that keep running after `run` resolves (the language server). */
export const KEEP_RUNNING = -1;

/**
 * `segspec lsp --stdio`: the language server over stdin/stdout (or Node IPC
 * with `--node-ipc`); it runs until the client sends `exit`. Loaded lazily so
 * that the other commands do not pay for the server's start-up.
 */
export async function runLsp(cmd: ParsedCommand, _io: CliIO): Promise<number> {
  const stdio = flag(cmd, 'stdio');
  const ipc = flag(cmd, 'node-ipc');
  if (stdio === ipc) throw new UsageError('give exactly one transport: --stdio (or --node-ipc)', 'lsp');
  if (cmd.positionals.length > 0) throw new UsageError(`unexpected argument '${cmd.positionals[0]}'`, 'lsp');
  const { createConnection, ProposedFeatures, IPCMessageReader, IPCMessageWriter } = await import('vscode-languageserver/node');
  // The one place the CLI reaches into server code, as the brief for `segspec lsp` asks.
  const { startServer } = await import('../../lsp/server.js');
  const connection = stdio
    ? createConnection(ProposedFeatures.all, process.stdin, process.stdout)
    : createConnection(ProposedFeatures.all, new IPCMessageReader(process), new IPCMessageWriter(process));
  // Data files are parsed on a worker thread started from this same bundle (dist/cli.cjs), as in the extension's server.
  startServer(connection, { dataWorkerScript: currentBundle() });
  return KEEP_RUNNING;
}
