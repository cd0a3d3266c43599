import { readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { stringOption, type ParsedCommand } from '../args.js';
import { CliError, EXIT_OK, UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { displayPath } from '../reporters/findings.js';
import { escapeControls } from '../reporters/safe-text.js';
import { ImportRefusal, importFlag } from '../../core/flags/import/index.js';
import { flagSystemNames, isFlagSystemName } from '../../core/flags/system.js';
import type { ColumnType } from '../../core/data/table.js';
import { analyzePaths } from '../analysis.js';
import { parseContextMapping } from '../flag-options.js';
import type { SharedOptions } from '../args.js';

/** `segspec import FILE --from SYSTEM [--flag KEY] [--context a=f,…] [--dataset D] [--out F]` */
export async function runImport(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const [file, ...rest] = cmd.positionals;
  if (!file) throw new UsageError('missing FILE (the flag system’s own file)', 'import');
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`, 'import');
  const system = stringOption(cmd, 'from');
  if (system === undefined) throw new UsageError(`--from is required (one of ${flagSystemNames.join(', ')})`, 'import');
  if (!isFlagSystemName(system)) throw new UsageError(`--from must be one of ${flagSystemNames.join(', ')}; got '${system}'`, 'import');
  const context = parseContextMapping(stringOption(cmd, 'context'), 'import');
  const dataset = stringOption(cmd, 'dataset');
  const fields = dataset === undefined ? undefined : await fieldTypes(dataset, cmd.shared, io);
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${displayPath(path, io.cwd)}: ${(e as Error).message}`);
  }
  const out = stringOption(cmd, 'out');
  const outPath = out === undefined ? undefined : resolve(io.cwd, out);
  // `source` is relative to the .segspec file that names it.
  const source = relative(outPath ? dirname(outPath) : io.cwd, path).split(sep).join('/');
  let result;
  try {
    result = importFlag(text, system, { flagKey: stringOption(cmd, 'flag'), source, attributeTypes: fields?.types, enumValues: fields?.enumValues, dataset, context: context && new Map(Object.entries(context)) });
  } catch (e) {
    if (e instanceof ImportRefusal) {
      const where = e.pointer ? ` (at ${escapeControls(e.pointer)})` : '';
      throw new CliError(`cannot import from ${displayPath(path, io.cwd)}${where}: ${escapeControls(e.message)}`);
    }
    throw e;
  }
  if (!outPath) {
    io.stdout.write(result.text);
    return EXIT_OK;
  }
  try {
    await writeFile(outPath, result.text);
  } catch (e) {
    throw new CliError(`cannot write ${displayPath(outPath, io.cwd)}: ${(e as Error).message}`);
  }
  if (!cmd.shared.quiet) io.stderr.write(`wrote ${displayPath(outPath, io.cwd)}: segment ${result.segment} and flag ${result.flag}\n`);
  return EXIT_OK;
}

/** The field types of a dataset declared in the workspace around the current directory, and the values of its enum fields (declared, else in the data). */
async function fieldTypes(dataset: string, shared: SharedOptions, io: CliIO): Promise<{ types: Map<string, ColumnType>; enumValues: Map<string, readonly string[]> }> {
  const analysis = await analyzePaths([], shared, io);
  for (const w of analysis.workspaces) {
    const declared = w.analysis.model.datasets.get(dataset);
    const table = w.analysis.data.get(dataset)?.table;
    if (!declared || !table) continue;
    const infos = w.analysis.model.fieldTypes.get(dataset);
    const enumValues = new Map<string, readonly string[]>();
    for (const column of table.columns) {
      if (column.type === 'enum' && column.kind === 'dictionary') enumValues.set(column.name, infos?.get(column.name)?.enumValues ?? column.dictionary);
    }
    return { types: new Map(table.columns.map((c) => [c.name, c.type])), enumValues };
  }
  throw new CliError(`no dataset '${dataset}' with loaded data in the workspace here: run 'segspec check' to see why`);
}
