/**
 * Loading a dataset: resolve the path safely, read the bytes through the
 * host, decode them into the columnar table, infer undeclared types and check
 * the data against the declared fields.
 *
 * `parseDataBytes` is pure (bytes + field specs → table, types, issues) so a
 * caller can cache it by file content; `issuesToFindings` places its issues
 * in the spec file afterwards.
 */
import type { Finding } from '../diagnostics/types.js';
import type { Host } from '../host.js';
import type { FieldTypeInfo } from '../semantics/model.js';
import type { FieldDecl, Range } from '../syntax/ast.js';
import type { ColumnStats } from './builders.js';
import { createBuilder } from './builders.js';
import { checkAgainstFields } from './checks.js';
import { dataCode } from './codes.js';
import { DelimitedReader, readDelimited } from './csv.js';
import { type FieldSpec, fieldSpecsFromDecls, isFieldDecl } from './field-spec.js';
import { type DataIssue, EMPTY_RANGE, fieldsByName, issue, issuesToFindings } from './issues.js';
import { readJsonArray, readJsonLines } from './json.js';
import { resolveDataPath } from './path.js';
import { escapesThroughLinks } from '../host.js';
import { COMMA, TAB } from './bytes.js';
import type { ReadResult } from './read-result.js';
import type { Column, ColumnType, Table } from './table.js';
import { MissingTokens } from './missing-tokens.js';
import { BLOCKS_MIN_BYTES, type BlockOptions, readDelimitedBlocks } from './blocks.js';

export type DataFormat = 'csv' | 'tsv' | 'json' | 'jsonl';

const FORMAT_BY_EXTENSION: Record<string, DataFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  json: 'json',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
};

/** The format of a data file from its extension; undefined when it is not one Segspec reads. */
export function formatOfPath(path: string): DataFormat | undefined {
  const match = /\.([A-Za-z0-9]+)$/.exec(path);
  return match ? FORMAT_BY_EXTENSION[match[1].toLowerCase()] : undefined;
}

export interface ParsedData {
  /** Undefined when nothing could be read (empty CSV, JSON that does not parse). */
  table: Table | undefined;
  /** Type of every column: declared, or inferred from the data. */
  fieldTypes: Map<string, FieldTypeInfo>;
  issues: DataIssue[];
}

function read(bytes: Uint8Array, format: DataFormat, specs: readonly FieldSpec[], missing: MissingTokens): ReadResult {
  switch (format) {
    case 'csv':
      return readDelimited(bytes, COMMA, specs, missing);
    case 'tsv':
      return readDelimited(bytes, TAB, specs, missing);
    case 'json':
      return readJsonArray(bytes, specs, missing);
    case 'jsonl':
      return readJsonLines(bytes, specs, missing);
  }
}

function sortedValues(column: Column): string[] | undefined {
  return column.kind === 'dictionary' ? [...column.dictionary].sort((a, b) => a.localeCompare(b)) : undefined;
}

function declaredOnlyTypes(specs: readonly FieldSpec[]): Map<string, FieldTypeInfo> {
  const types = new Map<string, FieldTypeInfo>();
  for (const spec of specs) {
    if (!spec.type) continue;
    const info: FieldTypeInfo = { type: spec.type, optional: spec.optional, inferred: false };
    if (spec.enumValues) info.enumValues = spec.enumValues;
    types.set(spec.name, info);
  }
  return types;
}

/**
 * Decodes a data file into a table. Declared fields are read with their
 * declared type; other columns get an inferred type. A declared field the file
 * lacks gets an all-missing column so that rules over it still evaluate.
 */
export function parseDataBytes(
  bytes: Uint8Array,
  format: DataFormat,
  specs: readonly FieldSpec[],
  keyField?: string,
  /** The dataset's `missing [...]` texts: cells holding exactly one of them are missing values. */
  missing: readonly string[] = [],
): ParsedData {
  return parsedFromRead(read(plainBytes(bytes), format, specs, new MissingTokens(missing)), specs, keyField);
}

/**
 * What `parseDataBytes` gives, with a large CSV/TSV file parsed in blocks by
 * `blocks` (on other threads); when that fails, on this thread.
 */
export async function parseDataBytesInBlocks(
  bytes: Uint8Array,
  format: DataFormat,
  specs: readonly FieldSpec[],
  keyField: string | undefined,
  missing: readonly string[],
  blocks: BlockOptions,
): Promise<ParsedData> {
  if ((format !== 'csv' && format !== 'tsv') || bytes.length < (blocks.minBytes ?? BLOCKS_MIN_BYTES)) return parseDataBytes(bytes, format, specs, keyField, missing);
  // Each piece a copy: a block's bytes are its parser's.
  const readPiece: ReadPiece = (position, length, into) => {
    const piece = bytes.subarray(position, position + length);
    if (!into) return Promise.resolve(piece.slice());
    into.set(piece);
    return Promise.resolve(into.subarray(0, piece.length));
  };
  try {
    return parsedFromRead(await readDelimitedBlocks(readPiece, bytes.length, format, specs, missing, blocks), specs, keyField);
  } catch {
    return parseDataBytes(bytes, format, specs, keyField, missing);
  }
}

/** A Node Buffer is a Uint8Array subclass; one element type keeps the byte loops monomorphic. */
function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Reads `length` bytes (fewer at the end of the file) from `position`; into
 * `into` (and returns a view of it) when that is given.
 */
export type ReadPiece = (position: number, length: number, into?: Uint8Array) => Promise<Uint8Array>;

/** Size of the pieces a CSV/TSV file is read in when the host can read parts of a file. */
export const PIECE_BYTES = 4 << 20;

/** Room kept in front of a piece read ahead, for the end of the piece before it (a row cut in two). */
const CARRY_BYTES = 64 << 10;

/**
 * What `parseDataBytes` gives for a CSV/TSV file, reading it in pieces of
 * `pieceBytes` instead of holding all its bytes: a piece's rows go to the
 * column builders and the piece is let go.
 *
 * The next piece is read while this one's rows are parsed, into the other of
 * two buffers that every piece reuses (a new buffer a piece was ~90 MB of
 * garbage per 1M-row file, and collections to match). The row cut at the end
 * of a piece is copied in front of the next one; one longer than
 * CARRY_BYTES, or a row longer than a piece, is read again from the file.
 */
export async function parseDelimitedPieces(
  readPiece: ReadPiece,
  size: number,
  format: 'csv' | 'tsv',
  specs: readonly FieldSpec[],
  keyField?: string,
  missing: readonly string[] = [],
  pieceBytes = PIECE_BYTES,
): Promise<ParsedData> {
  const reader = new DelimitedReader(format === 'csv' ? COMMA : TAB, specs, new MissingTokens(missing), size);
  // A file smaller than a piece is one piece one byte longer than the file (its end shows as a short read).
  const pieceLength = Math.max(1, Math.min(pieceBytes, size + 1));
  const buffers = [new Uint8Array(CARRY_BYTES + pieceLength), new Uint8Array(0)];
  /** Reads `length` bytes at `at` into buffers[b] after its carry room. */
  const readAhead = async (at: number, length: number, b: number): Promise<Uint8Array> => {
    const into = buffers[b].subarray(CARRY_BYTES, CARRY_BYTES + length);
    const read = plainBytes(await readPiece(at, length, into));
    if (read.buffer !== into.buffer || read.byteOffset !== into.byteOffset) into.set(read); // a host that ignores `into`
    return into.subarray(0, read.length);
  };

  let position = 0; // of the piece's first byte in the file
  let wanted = pieceLength;
  let current = 0; // the buffer the piece is in
  let piece = await readAhead(0, pieceLength, current);
  for (;;) {
    const last = piece.length < wanted;
    const other = 1 - current;
    if (!last && buffers[other].length === 0) buffers[other] = new Uint8Array(CARRY_BYTES + pieceLength);
    const ahead = last ? undefined : readAhead(position + piece.length, pieceLength, other);
    const used = reader.push(piece, last);
    if (!ahead) break;
    const next = await ahead;
    const carry = piece.length - used;
    position += used;
    if (used === 0 || carry > CARRY_BYTES) {
      // A row longer than the piece (or the room for it): read again from its start, with twice as many bytes.
      wanted = used === 0 ? wanted * 2 : pieceLength;
      piece = plainBytes(await readPiece(position, wanted));
      continue;
    }
    const start = CARRY_BYTES - carry;
    buffers[other].set(piece.subarray(used), start);
    piece = buffers[other].subarray(start, CARRY_BYTES + next.length);
    wanted = carry + pieceLength;
    current = other;
  }
  return parsedFromRead(reader.finish(), specs, keyField);
}

/** The table, types and issues of what a reader read. */
export function parsedFromRead(result: ReadResult, specs: readonly FieldSpec[], keyField: string | undefined): ParsedData {
  const issues: DataIssue[] = result.problems.map((p) =>
    issue(
      p.code,
      `line ${p.line}, column ${p.column}: ${p.message}${p.moreCount ? ` (and ${p.moreCount.toLocaleString('en-US')} more like this)` : ''}`,
      { kind: 'source' },
      { line: p.line, column: p.column, ...(p.moreCount ? { moreCount: p.moreCount } : {}) },
    ),
  );
  if (!result.columns) return { table: undefined, fieldTypes: declaredOnlyTypes(specs), issues };

  const specByName = new Map(specs.map((s) => [s.name, s]));
  const columns: Column[] = [];
  const stats = new Map<string, ColumnStats>();
  const fieldTypes = new Map<string, FieldTypeInfo>();
  for (const { built, inferred } of result.columns) {
    const { column } = built;
    columns.push(column);
    stats.set(column.name, built.stats);
    const spec = specByName.get(column.name);
    const info: FieldTypeInfo =
      inferred || !spec?.type
        ? { type: column.type, optional: inferred?.optional ?? built.stats.missingCount > 0, inferred: true }
        : { type: spec.type, optional: spec.optional, inferred: false };
    const enumValues = spec?.enumValues ?? (column.type === 'enum' ? sortedValues(column) : undefined);
    if (enumValues) info.enumValues = enumValues;
    fieldTypes.set(column.name, info);
  }
  const fileColumns = new Set(columns.map((c) => c.name));
  for (const spec of specs) {
    if (fileColumns.has(spec.name)) continue;
    const type: ColumnType = spec.type ?? 'string';
    columns.push(createBuilder(spec.name, type, result.rowCount).finish(result.rowCount).column);
    if (spec.type) fieldTypes.set(spec.name, declaredOnlyTypes([spec]).get(spec.name) as FieldTypeInfo);
  }
  const table: Table = {
    rowCount: result.rowCount,
    columns,
    byName: new Map(columns.map((c) => [c.name, c])),
    rowLines: result.rowLines,
  };
  if (table.rowCount === 0 && !issues.some((i) => i.severity === 'error')) {
    issues.push(issue(dataCode.noRows, 'the data file has no rows', { kind: 'source' }));
  }
  issues.push(...checkAgainstFields({ table, specs, fileColumns, stats, keyField }));
  return { table, fieldTypes, issues };
}

export interface LoadOptions {
  keyField?: string;
  /** The dataset's `missing [...]` texts. */
  missing?: readonly string[];
  /** Spec file and ranges used to place findings (defaults: empty file name, empty ranges). */
  specFile?: string;
  sourceRange?: Range;
  keyRange?: Range;
}

export interface LoadedTable {
  table: Table | undefined;
  fieldTypes: Map<string, FieldTypeInfo>;
  findings: Finding[];
}

/** Bytes → table with findings: the whole pipeline without a host (for tests and benchmarks). */
export function loadTableFromBytes(
  bytes: Uint8Array,
  format: DataFormat,
  fields: readonly FieldDecl[] | readonly FieldSpec[],
  options: LoadOptions = {},
): LoadedTable {
  const decls = fields.filter(isFieldDecl);
  const specs = decls.length > 0 ? fieldSpecsFromDecls(decls) : (fields as readonly FieldSpec[]);
  const parsed = parseDataBytes(bytes, format, specs, options.keyField, options.missing);
  const findings = issuesToFindings(parsed.issues, {
    file: options.specFile ?? '',
    sourceRange: options.sourceRange ?? EMPTY_RANGE,
    keyRange: options.keyRange,
    fields: fieldsByName(decls),
  });
  return { table: parsed.table, fieldTypes: parsed.fieldTypes, findings };
}

/**
 * Decodes a data file's bytes (what `parseDataBytes` does). A host may do it
 * elsewhere — the language server parses on a worker thread — and must give
 * the same result. The bytes are the callee's: it may transfer them.
 */
export type ParseData = (
  bytes: Uint8Array,
  format: DataFormat,
  specs: readonly FieldSpec[],
  keyField: string | undefined,
  missing: readonly string[],
) => Promise<ParsedData>;

export interface LoadRequest {
  host: Host;
  /** How the bytes are decoded (default: `parseDataBytes` on this thread). */
  parse?: ParseData;
  /**
   * How blocks of a CSV/TSV file are parsed, when the host can read parts of
   * files: blocks are then parsed at the same time (see blocks.ts).
   */
  blocks?: BlockOptions;
  /** Absolute path of the `.segspec` file that declares the dataset. */
  specFile: string;
  workspaceRoot: string;
  /** The `source` string as written. */
  source: string;
  sourceRange: Range;
  declaredFields: readonly FieldDecl[];
  keyField?: string;
  keyRange?: Range;
  /** The dataset's `missing [...]` texts. */
  missing?: readonly string[];
}

export interface LoadedDataset extends LoadedTable {
  /**
   * What `findings` says, before it is placed in the spec: a cached load is
   * placed again where the declaration is now (see `placeDataIssues`).
   */
  issues: DataIssue[];
  /** Absolute path of the data file ('' when the path was refused). */
  path: string;
  format: DataFormat | undefined;
  bytes: number;
}

/** The findings of data issues, at the ranges of the declaration in `req` (the spec's current text). */
export function placeDataIssues(issues: readonly DataIssue[], req: LoadRequest): Finding[] {
  return issuesToFindings(issues, {
    file: req.specFile,
    sourceRange: req.sourceRange,
    keyRange: req.keyRange,
    fields: fieldsByName(req.declaredFields),
  });
}

export async function loadDataset(req: LoadRequest): Promise<LoadedDataset> {
  const specs = fieldSpecsFromDecls(req.declaredFields);
  const fail = (code: string, message: string, path: string, format?: DataFormat): LoadedDataset => {
    const issues = [issue(code, message, { kind: 'source' }, { source: req.source, path })];
    return { table: undefined, fieldTypes: declaredOnlyTypes(specs), findings: placeDataIssues(issues, req), issues, path, format, bytes: 0 };
  };

  const resolved = resolveDataPath(req.specFile, req.source, req.workspaceRoot);
  if (!resolved.ok) return fail(resolved.code, resolved.message, '');
  const path = resolved.path;
  const format = formatOfPath(path);
  if (!format) {
    return fail(
      dataCode.unsupportedFormat,
      `cannot read \`${req.source}\`: the extension is not one of .csv, .tsv, .json, .jsonl`,
      path,
    );
  }
  const stat = await req.host.stat(path);
  if (!stat) return fail(dataCode.fileNotFound, `data file \`${req.source}\` not found (looked for ${path})`, path, format);
  if (stat.isSpecial) {
    return fail(dataCode.unreadableFile, `\`${req.source}\` is not a regular file (a FIFO, device or socket); data files must be regular files`, path, format);
  }
  if (!stat.isFile) return fail(dataCode.fileNotFound, `\`${req.source}\` is a folder, not a data file`, path, format);
  if (await escapesThroughLinks(req.host, path, req.workspaceRoot)) {
    return fail(
      dataCode.pathOutsideWorkspace,
      `\`${req.source}\` is a symbolic link to a file outside the workspace folder; data files must be inside it`,
      path,
      format,
    );
  }
  const { readRange } = req.host;
  if (readRange && (req.blocks || !req.parse) && (format === 'csv' || format === 'tsv')) {
    let parsed: ParsedData;
    const readPiece: ReadPiece = (position, length, into) => readRange.call(req.host, path, position, length, into);
    const blocks = req.blocks && stat.size >= (req.blocks.minBytes ?? BLOCKS_MIN_BYTES) ? req.blocks : undefined;
    const onThisThread = (): Promise<ParsedData> => parseDelimitedPieces(readPiece, stat.size, format, specs, req.keyField, req.missing);
    try {
      // Blocks parsed elsewhere that fail (a worker that cannot start or stops): the file again, on this thread.
      parsed = blocks
        ? await readDelimitedBlocks(readPiece, stat.size, format, specs, req.missing ?? [], blocks).then(
            (read) => parsedFromRead(read, specs, req.keyField),
            onThisThread,
          )
        : await onThisThread();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return fail(dataCode.unreadableFile, `cannot read \`${req.source}\`: ${reason}`, path, format);
    }
    return { ...parsed, findings: placeDataIssues(parsed.issues, req), path, format, bytes: stat.size };
  }
  let bytes: Uint8Array;
  try {
    bytes = await req.host.readBytes(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(dataCode.unreadableFile, `cannot read \`${req.source}\`: ${reason}`, path, format);
  }
  const size = bytes.length;
  let parsed: ParsedData;
  try {
    parsed = req.parse ? await req.parse(bytes, format, specs, req.keyField, req.missing ?? []) : parseDataBytes(bytes, format, specs, req.keyField, req.missing);
  } catch (error) {
    if (!req.parse) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return fail(dataCode.unreadableFile, `cannot read \`${req.source}\`: ${reason}`, path, format);
  }
  return {
    table: parsed.table,
    fieldTypes: parsed.fieldTypes,
    findings: placeDataIssues(parsed.issues, req),
    issues: parsed.issues,
    path,
    format,
    bytes: size,
  };
}
