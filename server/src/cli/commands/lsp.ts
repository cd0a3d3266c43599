import { flag, type ParsedCommand } from '../args.js';
import { CliError, UsageError } from '../errors.js';
import type { CliIO } from '../io.js';

/** `segspec lsp --stdio`: the language server over stdin/stdout; runs until the client exits it. */
export async function runLsp(cmd: ParsedCommand, _io: CliIO): Promise<number> {
  if (!flag(cmd, 'stdio') && !flag(cmd, 'node-ipc')) throw new UsageError('only --stdio (or --node-ipc) is supported', 'lsp');
  throw new CliError('the language server is not part of this build yet');
}
