/**
 * A parsed data file sent from the parsing worker to the server's thread.
 * Column buffers are transferred (no copy). Structured cloning a million
 * strings blocks the receiving thread for most of a second, so large
 * dictionaries (a key column) travel as one UTF-8 pool plus offsets: a
 * dictionary column's stays packed on arrival (decoded when first read), a
 * list column's is decoded in slices, with a pause between slices.
 */
import type { ParsedData } from '../core/data/index.js';
import { columnBuffers, type Column, type Table } from '../core/data/table.js';
import { PackedStrings, packedDictionary, withDictionary } from '../core/data/packed-strings.js';

/** Dictionaries up to this size are cloned as they are. */
const CLONE_LIMIT = 4096;
/** Entries decoded per slice on arrival. */
const DECODE_SLICE = 32_768;

interface StringPool {
  pool: Uint8Array;
  /** Entry k is pool[offsets[k], offsets[k + 1]). */
  offsets: Int32Array;
}

type PackedColumn = Column & { packed?: StringPool };

export interface PackedParsed {
  table?: { rowCount: number; columns: PackedColumn[]; rowLines: Int32Array };
  fieldTypes: ParsedData['fieldTypes'];
  issues: ParsedData['issues'];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export function packStrings(strings: readonly string[]): StringPool {
  const joined = strings.join('');
  const whole = encoder.encode(joined);
  const offsets = new Int32Array(strings.length + 1);
  if (whole.length === joined.length) {
    // Only ASCII: one byte per UTF-16 unit.
    for (let k = 0; k < strings.length; k++) offsets[k + 1] = offsets[k] + strings[k].length;
    return { pool: whole, offsets };
  }
  const pool = new Uint8Array(whole.length);
  let at = 0;
  for (let k = 0; k < strings.length; k++) {
    at += encoder.encodeInto(strings[k], pool.subarray(at)).written;
    offsets[k + 1] = at;
  }
  return { pool, offsets };
}

/** Entries [from, to) of a pool as strings, appended to `out`. */
function decodeRange(packed: StringPool, from: number, to: number, out: string[]): void {
  const { pool, offsets } = packed;
  const start = offsets[from];
  const text = decoder.decode(pool.subarray(start, offsets[to]));
  if (text.length === offsets[to] - start) {
    for (let k = from; k < to; k++) out.push(text.substring(offsets[k] - start, offsets[k + 1] - start));
    return;
  }
  let position = 0;
  for (let k = from; k < to; k++) {
    const begin = position;
    for (let i = offsets[k]; i < offsets[k + 1]; i++) {
      const b = pool[i];
      // UTF-16 units: one per character, two for a 4-byte (astral) character.
      if ((b & 0xc0) !== 0x80) position += b >= 0xf0 ? 2 : 1;
    }
    out.push(text.substring(begin, position));
  }
}

export async function unpackStrings(packed: StringPool, pause: () => Promise<void>): Promise<string[]> {
  const count = packed.offsets.length - 1;
  const out: string[] = [];
  for (let from = 0; from < count; from += DECODE_SLICE) {
    decodeRange(packed, from, Math.min(count, from + DECODE_SLICE), out);
    if (from + DECODE_SLICE < count) await pause();
  }
  return out;
}

/** The message for `postMessage` and the buffers to transfer with it. */
export function packParsed(parsed: ParsedData): { message: PackedParsed; transfer: ArrayBuffer[] } {
  const buffers = new Set<ArrayBufferLike>();
  const message: PackedParsed = { fieldTypes: parsed.fieldTypes, issues: parsed.issues };
  const table = parsed.table;
  if (table) {
    const columns = table.columns.map((column): PackedColumn => {
      for (const buffer of columnBuffers(column)) buffers.add(buffer);
      const ready = column.kind === 'dictionary' ? packedDictionary(column) : undefined;
      if (column.kind === 'dictionary' && ready) {
        // Still packed from the load: sent as it is, not decoded here.
        const packed = { pool: ready.pool, offsets: ready.offsets };
        buffers.add(packed.pool.buffer);
        buffers.add(packed.offsets.buffer);
        const { kind, type, name, missing, codes } = column;
        return { kind, type, name, missing, codes, dictionary: [], packed };
      }
      if ((column.kind === 'dictionary' || column.kind === 'stringList') && column.dictionary.length > CLONE_LIMIT) {
        const packed = packStrings(column.dictionary);
        buffers.add(packed.pool.buffer);
        buffers.add(packed.offsets.buffer);
        return { ...column, dictionary: [], packed };
      }
      return column;
    });
    buffers.add(table.rowLines.buffer);
    message.table = { rowCount: table.rowCount, columns, rowLines: table.rowLines };
  }
  const transfer = [...buffers].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  return { message, transfer };
}

/** The parsed data back from a message, large dictionaries decoded in slices. */
export async function unpackParsed(message: PackedParsed, pause: () => Promise<void>): Promise<ParsedData> {
  if (!message.table) return { table: undefined, fieldTypes: message.fieldTypes, issues: message.issues };
  const columns: Column[] = [];
  for (const { packed, ...column } of message.table.columns) {
    if (packed && column.kind === 'dictionary') {
      // Kept packed: decoded only if something reads the whole dictionary.
      const { kind, type, name, missing, codes } = column;
      columns.push(withDictionary({ kind, type, name, missing, codes }, new PackedStrings(packed.pool, packed.offsets, packed.offsets.length - 1)));
    } else if (packed && column.kind === 'stringList') {
      columns.push({ ...column, dictionary: await unpackStrings(packed, pause) });
    } else {
      columns.push(column);
    }
  }
  const table: Table = {
    rowCount: message.table.rowCount,
    columns,
    byName: new Map(columns.map((c) => [c.name, c])),
    rowLines: message.table.rowLines,
  };
  return { table, fieldTypes: message.fieldTypes, issues: message.issues };
}
