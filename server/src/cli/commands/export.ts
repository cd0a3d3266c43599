import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyzePaths } from '../analysis.js';
import { stringOption, type ParsedCommand } from '../args.js';
import { CliError, EXIT_OK, UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { requireName, workspaceDefining } from '../lookup.js';
import { displayPath } from '../reporters/findings.js';
import { escapeControls } from '../reporters/safe-text.js';
import { ExportRefusal, exportSegment, SYSTEM_TITLES, type SpecLocation } from '../../core/flags/export/index.js';
import { flagSystemNames, isFlagSystemName } from '../../core/flags/system.js';
import { parseContextMapping, parsePercent } from '../flag-options.js';

/** `segspec export SEGMENT --to SYSTEM [--flag KEY] [--rollout N%] [--context attr=field,…] [--out F] [paths…]` */
export async function runExport(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const { name, paths } = requireName(cmd.positionals, 'SEGMENT', 'export');
  const system = stringOption(cmd, 'to');
  if (system === undefined) throw new UsageError(`--to is required (one of ${flagSystemNames.join(', ')})`, 'export');
  if (!isFlagSystemName(system)) throw new UsageError(`--to must be one of ${flagSystemNames.join(', ')}; got '${system}'`, 'export');
  const rollout = stringOption(cmd, 'rollout');
  const rolloutPercent = rollout === undefined ? undefined : parsePercent(rollout, '--rollout', 'export');
  const context = parseContextMapping(stringOption(cmd, 'context'), 'export');
  const flagKey = stringOption(cmd, 'flag');
  if (flagKey !== undefined && flagKey.trim() === '') throw new UsageError('--flag needs a key', 'export');

  const analysis = await analyzePaths(paths, cmd.shared, io);
  const w = workspaceDefining(analysis, 'segment', name);
  const { model, data, brokenRules } = w.analysis;
  const broken = brokenRules.get(name);
  if (broken !== undefined) throw new CliError(`cannot export '${name}': ${broken}`);
  const dataset = model.segments.get(name)?.dataset;
  let result;
  try {
    result = exportSegment({
      model,
      segment: name,
      system,
      flagKey,
      rolloutPercent,
      seed: stringOption(cmd, 'seed'),
      salt: stringOption(cmd, 'salt'),
      context,
      asOf: cmd.shared.asOf,
      table: dataset ? data.get(dataset)?.table : undefined,
    });
  } catch (e) {
    if (e instanceof ExportRefusal) {
      throw new CliError(`cannot export '${name}' to ${SYSTEM_TITLES[system]}: ${located(e.message, e.location, w.analysis.model.files, io.cwd)}`);
    }
    throw e;
  }
  if (!cmd.shared.quiet) {
    for (const warning of result.warnings) io.stderr.write(`warning: ${located(warning.message, warning, model.files, io.cwd)}\n`);
  }
  const out = stringOption(cmd, 'out');
  if (out === undefined) {
    io.stdout.write(result.text);
    return EXIT_OK;
  }
  const path = resolve(io.cwd, out);
  try {
    await writeFile(path, result.text);
  } catch (e) {
    throw new CliError(`cannot write ${displayPath(path, io.cwd)}: ${(e as Error).message}`);
  }
  if (!cmd.shared.quiet) {
    io.stderr.write(`wrote ${displayPath(path, io.cwd)}: ${SYSTEM_TITLES[system]} flag '${escapeControls(result.flagKey)}' on for the members of ${name}\n`);
  }
  return EXIT_OK;
}

/** `file:line:col: message` (1-based), or the message alone when it has no place in the spec. */
function located(message: string, where: SpecLocation | undefined, files: ReadonlyMap<string, unknown>, cwd: string): string {
  const text = escapeControls(message);
  if (!where || !where.file || !files.has(where.file)) return text;
  const { line, character } = where.range.start;
  return `${displayPath(where.file, cwd)}:${line + 1}:${character + 1}: ${text}`;
}
