import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { formatOfPath, keyIndex, loadTableFromBytes } from '../../core/data/index.js';
import type { Table } from '../../core/data/table.js';
import { notTextReason } from '../../core/data/text-check.js';
import { stringOptions, type ParsedCommand } from '../args.js';
import { CliError, EXIT_OK, UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { describeColumns, guessKey, isIdName, withMissingWords } from '../init/columns.js';
import { type LinkCandidateTable, type ProposedLink, proposeLinks } from '../init/links.js';
import { type DatasetScaffold, EXAMPLE_CSV, scaffold } from '../init/scaffold.js';
import { displayPath } from '../reporters/findings.js';

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** One data file of the new workspace: its bytes, where it will live, and whether it must be copied there. */
interface DataFile {
  /** As the user wrote it (for messages). */
  label: string;
  bytes: Uint8Array;
  target: string;
  copyFrom?: string;
}

async function readDataFile(dir: string, from: string, cwd: string): Promise<DataFile> {
  const source = resolve(cwd, from);
  if (!formatOfPath(source)) throw new CliError(`${from}: the data file must end in .csv, .tsv, .json or .jsonl`);
  const sourceStat = await stat(source).catch(() => undefined);
  // Reading a FIFO or a device would wait for ever or never end.
  if (sourceStat && !sourceStat.isFile()) {
    throw new CliError(`cannot read ${from}: ${sourceStat.isDirectory() ? 'it is a folder' : 'it is not a regular file (a device, FIFO or socket)'}`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(source);
  } catch (e) {
    throw new CliError(`cannot read ${from}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const notText = notTextReason(bytes);
  if (notText) throw new CliError(`cannot use ${from}: ${notText}; nothing was written`);
  const inside = relative(dir, source);
  if (inside.startsWith('..') || inside.startsWith(sep) || inside === '') {
    return { label: from, bytes, target: join(dir, 'data', basename(source)), copyFrom: source };
  }
  return { label: from, bytes, target: source };
}

/** `segspec init [dir] [--from data.csv]…` */
export async function runInit(cmd: ParsedCommand, io: CliIO): Promise<number> {
  if (cmd.positionals.length > 1) throw new UsageError('expected at most one folder (give each data file its own --from)', 'init');
  const dir = resolve(io.cwd, cmd.positionals[0] ?? '.');
  const froms = stringOptions(cmd, 'from');
  const dirStat = await stat(dir).catch(() => undefined);
  if (dirStat && !dirStat.isDirectory()) throw new CliError(`${displayPath(dir, io.cwd)} exists and is not a folder`);

  // Where the data comes from and where it will live inside the workspace.
  const files: DataFile[] = [];
  for (const from of froms) files.push(await readDataFile(dir, from, io.cwd));
  if (files.length === 0) files.push({ label: 'the example data', bytes: new TextEncoder().encode(EXAMPLE_CSV), target: join(dir, 'data', 'users.csv') });
  const targets = new Set<string>();
  for (const f of files) {
    if (targets.has(f.target)) throw new CliError(`two data files would both be ${displayPath(f.target, io.cwd)}; nothing was written`);
    targets.add(f.target);
  }

  const names = new Set<string>();
  const datasets: DatasetScaffold[] = [];
  const tables: LinkCandidateTable[] = [];
  for (const file of files) {
    const format = formatOfPath(file.target) ?? 'csv';
    const { loaded, missing } = withMissingWords(file.bytes, format, loadTableFromBytes(file.bytes, format, []));
    if (!loaded.table) {
      const reason = loaded.findings[0]?.message ?? 'no table could be read';
      throw new CliError(`cannot read ${file.label}: ${reason}`);
    }
    const table = loaded.table;
    const name = uniqueName(froms.length > 0 ? datasetNameOf(basename(file.target)) : 'users', names);
    const key = guessKey(table);
    datasets.push({
      name,
      source: relative(dir, file.target).split(sep).join('/'),
      columns: describeColumns(table, loaded.fieldTypes),
      key,
      missing,
      rowCount: table.rowCount,
    });
    tables.push({ name, table, key });
  }
  const links = proposeLinks(tables);
  datasets.forEach((d, i) => {
    const link = links.get(d.name);
    if (link) {
      d.link = { parent: link.parent, by: link.by };
      d.key = keyOfLinked(tables[i].table, d.key, link.by);
    }
  });
  for (const d of datasets) {
    // Ids are text, not an enum of the few values a small file happens to hold; a link has its parent key's type.
    const parent = d.link && datasets.find((p) => p.name === d.link?.parent);
    const parentKeyType = parent?.columns.find((c) => c.name === parent.key)?.type;
    for (const c of d.columns) {
      if (c.name === d.link?.by && parentKeyType) c.type = parentKeyType;
      if ((c.name === d.key || c.name === d.link?.by) && c.type === 'enum') c.type = 'string';
    }
  }
  const scaffolded = scaffold({ datasets, asOf: cmd.shared.asOf ?? new Date().toISOString().slice(0, 10) });

  const writes = scaffolded.map((f) => ({ path: join(dir, f.path), text: f.text }));
  const dataWrites = files.filter((f) => f.copyFrom || froms.length === 0);
  const planned = [...writes.map((w) => w.path), ...dataWrites.map((f) => f.target)];
  const clashes = [];
  for (const p of planned) if (await exists(p)) clashes.push(displayPath(p, io.cwd));
  if (clashes.length > 0) {
    throw new CliError(`refusing to overwrite existing ${clashes.length === 1 ? 'file' : 'files'}: ${clashes.join(', ')}`);
  }
  for (const f of dataWrites) {
    await mkdir(dirname(f.target), { recursive: true });
    if (f.copyFrom) await copyFile(f.copyFrom, f.target);
    else await writeFile(f.target, f.bytes, { flag: 'wx' });
  }
  for (const w of writes) await writeFile(w.path, w.text, { flag: 'wx' });

  if (!cmd.shared.quiet) {
    const shown = planned.map((p) => `  ${displayPath(p, io.cwd)}`).join('\n');
    const what =
      datasets.length === 1
        ? `${sizeOf(datasets[0])}:`
        : `${datasets.length} datasets:\n${datasets.map((d) => `  ${d.name}: ${sizeOf(d)}${linkNote(links.get(d.name))}`).join('\n')}\nand files:`;
    io.stdout.write(`Created a Segspec workspace with ${what}\n${shown}\nNext: segspec check ${displayPath(dir, io.cwd)}\n`);
  }
  return EXIT_OK;
}

/**
 * The key of a dataset that belongs to a parent: the link column when it is
 * unique (one answer per parent: one-to-one), else a guessed key only when it is
 * named like an id (a unique `ms_played` in a small export is no key).
 */
function keyOfLinked(table: Table, guessed: string | undefined, by: string): string | undefined {
  const column = table.byName.get(by);
  if (column && !column.missing.includes(1) && keyIndex(table, by).size === table.rowCount) return by;
  return guessed !== undefined && isIdName(guessed) ? guessed : undefined;
}

function sizeOf(d: DatasetScaffold): string {
  return `${d.rowCount.toLocaleString('en-US')} rows of ${d.columns.length} columns`;
}

/** `, belongs to listeners by listener_id (11 of 12 rows name a listeners row)` */
function linkNote(link: ProposedLink | undefined): string {
  if (!link) return '';
  return `, belongs to ${link.parent} by ${link.by} (${link.matched.toLocaleString('en-US')} of ${link.present.toLocaleString('en-US')} rows name a ${link.parent} row)`;
}

function uniqueName(name: string, taken: Set<string>): string {
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}_${n}`;
  taken.add(unique);
  return unique;
}

/** `User Events.csv` → `user_events`. */
function datasetNameOf(file: string): string {
  const stem = file.replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  const name = /^[a-z_]/.test(stem) ? stem : `data_${stem}`;
  return name === '' || name === 'data_' ? 'data' : name;
}
