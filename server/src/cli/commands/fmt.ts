import type { ParsedCommand } from '../args.js';
import { CliError } from '../errors.js';
import type { CliIO } from '../io.js';

/** `segspec fmt [paths…] [--check]` */
export async function runFmt(_cmd: ParsedCommand, _io: CliIO): Promise<number> {
  throw new CliError('the formatter is not part of this build yet');
}
