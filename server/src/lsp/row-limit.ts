/**
 * The `segspec.maxRows` setting: the editor reads at most that many records of
 * each line-based data file (CSV, TSV, JSON Lines), so that a huge export
 * still gives quick feedback. JSON arrays are read whole.
 */
import { extname } from 'node:path';
import type { Host } from '../core/host.js';

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

/** A Host that cuts line-based data files to `maxRows()` records (when set). */
export function rowLimitedHost(host: Host, maxRows: () => number | undefined): Host {
  return {
    stat: (path) => host.stat(path),
    listFiles: (dir) => host.listFiles(dir),
    async readBytes(path: string): Promise<Uint8Array> {
      const bytes = await host.readBytes(path);
      const limit = maxRows();
      if (!limit) return bytes;
      const ext = extname(path).toLowerCase();
      if (ext === '.csv') return firstRecords(bytes, limit, { header: true, quotes: true });
      if (ext === '.tsv') return firstRecords(bytes, limit, { header: true, quotes: false });
      if (ext === '.jsonl' || ext === '.ndjson') return firstRecords(bytes, limit, { header: false, quotes: false });
      return bytes;
    },
  };
}
