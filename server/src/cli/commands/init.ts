import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { formatOfPath, loadTableFromBytes } from '../../core/data/index.js';
import { notTextReason } from '../../core/data/text-check.js';
import { stringOption, type ParsedCommand } from '../args.js';
import { CliError, EXIT_OK, UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { describeColumns, guessKey, withMissingWords } from '../init/columns.js';
import { EXAMPLE_CSV, scaffold } from '../init/scaffold.js';
import { displayPath } from '../reporters/findings.js';

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** `segspec init [dir] [--from data.csv]` */
export async function runInit(cmd: ParsedCommand, io: CliIO): Promise<number> {
  if (cmd.positionals.length > 1) throw new UsageError('expected at most one folder', 'init');
  const dir = resolve(io.cwd, cmd.positionals[0] ?? '.');
  const from = stringOption(cmd, 'from');
  const dirStat = await stat(dir).catch(() => undefined);
  if (dirStat && !dirStat.isDirectory()) throw new CliError(`${displayPath(dir, io.cwd)} exists and is not a folder`);

  // Where the data comes from and where it will live inside the workspace.
  let dataBytes: Uint8Array;
  let dataTarget: string;
  let copyFrom: string | undefined;
  if (from !== undefined) {
    const source = resolve(io.cwd, from);
    if (!formatOfPath(source)) throw new CliError(`${from}: the data file must end in .csv, .tsv, .json or .jsonl`);
    const sourceStat = await stat(source).catch(() => undefined);
    // Reading a FIFO or a device would wait for ever or never end.
    if (sourceStat && !sourceStat.isFile()) {
      throw new CliError(`cannot read ${from}: ${sourceStat.isDirectory() ? 'it is a folder' : 'it is not a regular file (a device, FIFO or socket)'}`);
    }
    try {
      dataBytes = await readFile(source);
    } catch (e) {
      throw new CliError(`cannot read ${from}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    const notText = notTextReason(dataBytes);
    if (notText) throw new CliError(`cannot use ${from}: ${notText}; nothing was written`);
    const inside = relative(dir, source);
    if (inside.startsWith('..') || inside.startsWith(sep) || inside === '') {
      dataTarget = join(dir, 'data', basename(source));
      copyFrom = source;
    } else {
      dataTarget = source;
    }
  } else {
    dataBytes = new TextEncoder().encode(EXAMPLE_CSV);
    dataTarget = join(dir, 'data', 'users.csv');
  }

  const format = formatOfPath(dataTarget) ?? 'csv';
  const { loaded, missing } = withMissingWords(dataBytes, format, loadTableFromBytes(dataBytes, format, []));
  if (!loaded.table) {
    const reason = loaded.findings[0]?.message ?? 'no table could be read';
    throw new CliError(`cannot read ${from ?? 'the example data'}: ${reason}`);
  }
  const table = loaded.table;
  const datasetName = from ? datasetNameOf(basename(dataTarget)) : 'users';
  const files = scaffold({
    datasetName,
    source: relative(dir, dataTarget).split(sep).join('/'),
    columns: describeColumns(table, loaded.fieldTypes),
    key: guessKey(table),
    missing,
    rowCount: table.rowCount,
    asOf: cmd.shared.asOf ?? new Date().toISOString().slice(0, 10),
  });

  const writes = files.map((f) => ({ path: join(dir, f.path), text: f.text }));
  const planned = [...writes.map((w) => w.path), ...(copyFrom || !from ? [dataTarget] : [])];
  const clashes = [];
  for (const p of planned) if (await exists(p)) clashes.push(displayPath(p, io.cwd));
  if (clashes.length > 0) {
    throw new CliError(`refusing to overwrite existing ${clashes.length === 1 ? 'file' : 'files'}: ${clashes.join(', ')}`);
  }
  await mkdir(dirname(dataTarget), { recursive: true });
  if (copyFrom) await copyFile(copyFrom, dataTarget);
  else if (!from) await writeFile(dataTarget, dataBytes, { flag: 'wx' });
  for (const w of writes) await writeFile(w.path, w.text, { flag: 'wx' });

  if (!cmd.shared.quiet) {
    const shown = planned.map((p) => `  ${displayPath(p, io.cwd)}`).join('\n');
    io.stdout.write(
      `Created a Segspec workspace with ${table.rowCount.toLocaleString('en-US')} rows of ${table.columns.length} columns:\n${shown}\n` +
        `Next: segspec check ${displayPath(dir, io.cwd)}\n`,
    );
  }
  return EXIT_OK;
}

/** `User Events.csv` → `user_events`. */
function datasetNameOf(file: string): string {
  const stem = file.replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const name = /^[a-z_]/.test(stem) ? stem : `data_${stem}`;
  return name === '' || name === 'data_' ? 'data' : name;
}
