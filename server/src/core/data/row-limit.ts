/**
 * Reading at most N records of each line-based data file (CSV, TSV, JSON
 * Lines): the editor's `segspec.maxRows`, and the CLI's schema sample when a
 * SQL engine counts the rows. JSON arrays are read whole. Hosts that can read
 * the head of a file are asked for growing heads, so a huge file is not read
 * whole to keep its first records.
 */
import { extensionOf } from './path.js';
import type { Host } from '../host.js';

const NEWLINE = 0x0a;
const QUOTE = 0x22;

/** The bytes up to the end of the `records`-th record after `skip` header lines; quoted newlines stay inside their record. */
export function firstRecords(bytes: Uint8Array, records: number, options: { header: boolean; quotes: boolean }): Uint8Array {
  let wanted = records + (options.header ? 1 : 0);
  let inQuotes = false;
  let lineHasContent = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (options.quotes && b === QUOTE) inQuotes = !inQuotes;
    if (b !== NEWLINE) {
      if (b !== 0x0d) lineHasContent = true;
      continue;
    }
    if (inQuotes || !lineHasContent) continue;
    lineHasContent = false;
    wanted--;
    if (wanted === 0) return bytes.subarray(0, i + 1);
  }
  return bytes;
}

const HEAD_START = 1 << 20;
const HEAD_MAX = 1 << 30;

function lineFormat(path: string): { header: boolean; quotes: boolean } | undefined {
  const ext = extensionOf(path).toLowerCase();
  if (ext === '.csv') return { header: true, quotes: true };
  if (ext === '.tsv') return { header: true, quotes: false };
  if (ext === '.jsonl' || ext === '.ndjson') return { header: false, quotes: false };
  return undefined;
}

/** A Host that cuts line-based data files to `maxRows()` records (when set). */
export function rowLimitedHost(host: Host, maxRows: () => number | undefined): Host {
  return {
    stat: (path) => host.stat(path),
    listFiles: (dir) => host.listFiles(dir),
    ...(host.realPath ? { realPath: host.realPath.bind(host) } : {}),
    async readBytes(path: string): Promise<Uint8Array> {
      const limit = maxRows();
      const options = limit ? lineFormat(path) : undefined;
      if (!limit || !options) return host.readBytes(path);
      if (host.readHead) {
        for (let size = HEAD_START; size <= HEAD_MAX; size *= 4) {
          const head = await host.readHead(path, size);
          // Enough records when the cut ends before the head does, or the head is the whole file.
          const cut = firstRecords(head, limit, options);
          if (head.length < size) return cut;
          if (cut.length < head.length) return cut;
        }
      }
      return firstRecords(await host.readBytes(path), limit, options);
    },
  };
}
