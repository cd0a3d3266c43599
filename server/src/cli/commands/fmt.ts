import { readFile, writeFile } from 'node:fs/promises';
import { format } from '../../core/format/formatter.js';
import { flag, type ParsedCommand } from '../args.js';
import { CliError, EXIT_FINDINGS, EXIT_OK } from '../errors.js';
import type { CliIO } from '../io.js';
import { discoverWorkspaces } from '../discover.js';
import { NodeHost } from '../../node/fs-host.js';
import { displayPath } from '../reporters/findings.js';
import { escapeControls } from '../reporters/safe-text.js';

/**
 * `segspec fmt [paths…] [--check]`: rewrites `.segspec` files in the
 * canonical layout. With `--check`, writes nothing, lists the files that
 * would change and exits 1 when there are any. Files with syntax errors are
 * left alone and reported (exit 1).
 */
export async function runFmt(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const check = flag(cmd, 'check');
  const host = new NodeHost();
  const targets = await discoverWorkspaces(host, cmd.positionals, io.cwd);
  const files: string[] = [];
  for (const t of targets) {
    if (t.onlyFiles) files.push(...t.onlyFiles);
    else files.push(...(await host.listFiles(t.root)).filter((f) => f.endsWith('.segspec')));
  }
  let changed = 0;
  let broken = 0;
  for (const file of [...new Set(files)].sort()) {
    const shown = escapeControls(displayPath(file, io.cwd));
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read ${shown}: ${(e as Error).message}`);
    }
    const formatted = format(text);
    if (formatted === undefined) {
      broken++;
      io.stderr.write(`${shown}: not formatted, it has syntax errors (see segspec check)\n`);
      continue;
    }
    if (formatted === text) continue;
    changed++;
    if (check) {
      io.stdout.write(`${shown}\n`);
    } else {
      try {
        await writeFile(file, formatted);
      } catch (e) {
        throw new CliError(`cannot write ${shown}: ${(e as Error).message}`);
      }
      if (!cmd.shared.quiet) io.stdout.write(`formatted ${shown}\n`);
    }
  }
  if (check && changed > 0 && !cmd.shared.quiet) {
    io.stderr.write(`${changed} file${changed === 1 ? '' : 's'} would be reformatted (run segspec fmt)\n`);
  }
  return (check && changed > 0) || broken > 0 ? EXIT_FINDINGS : EXIT_OK;
}
