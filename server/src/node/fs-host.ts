/** The core's Host over the real file system (used by the CLI and the language server). */
import { type FileHandle, open, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { FileStat, Host } from '../core/host.js';

const skippedFolders = new Set(['node_modules']);

/**
 * Files of this size and more are read into shared memory: the language
 * server's data worker parses them there, without a copy and without a
 * transfer (see lsp/data-worker.ts).
 */
const SHARED_FROM = 1 << 20;

export class NodeHost implements Host {
  async readBytes(path: string): Promise<Uint8Array> {
    await refuseSpecial(path);
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      if (size < SHARED_FROM) return await file.readFile();
      // The size when opened, as pieces of a large CSV file are read (a file being written is read as far as it was).
      return await readAt(file, new Uint8Array(new SharedArrayBuffer(size)), 0);
    } finally {
      await file.close();
    }
  }

  async readHead(path: string, maxBytes: number): Promise<Uint8Array> {
    await refuseSpecial(path);
    const file = await open(path, 'r');
    try {
      return await readAt(file, maxBytes < SHARED_FROM ? new Uint8Array(maxBytes) : new Uint8Array(new SharedArrayBuffer(maxBytes)), 0);
    } finally {
      await file.close();
    }
  }

  async readRange(path: string, position: number, maxBytes: number, into?: Uint8Array): Promise<Uint8Array> {
    await refuseSpecial(path);
    const file = await open(path, 'r');
    try {
      const buffer = into && into.length >= maxBytes ? into.subarray(0, maxBytes) : new Uint8Array(maxBytes);
      const read = await readAt(file, buffer, position);
      // A short read into a buffer of our own (the end of the file): without the room left over.
      return read.length === maxBytes || into ? read : read.slice();
    } finally {
      await file.close();
    }
  }

  async stat(path: string): Promise<FileStat | undefined> {
    try {
      const s = await stat(path);
      const isSpecial = s.isFIFO() || s.isCharacterDevice() || s.isBlockDevice() || s.isSocket();
      return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mtimeMs: s.mtimeMs, isSpecial };
    } catch {
      return undefined;
    }
  }

  async realPath(path: string): Promise<string | undefined> {
    try {
      return await realpath(path);
    } catch {
      return undefined;
    }
  }

  async listFiles(dir: string): Promise<string[]> {
    const files: string[] = [];
    const realDir = await this.realPath(dir);
    const walk = async (folder: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (entry.name.startsWith('.') || skippedFolders.has(entry.name)) continue;
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile()) files.push(path);
        // Linked folders are not followed (their files inside the workspace are listed where they are).
        else if (entry.isSymbolicLink() && realDir && (await this.isRegularFileInside(path, realDir))) files.push(path);
      }
    };
    await walk(dir);
    return files.sort();
  }

  private async isRegularFileInside(link: string, realDir: string): Promise<boolean> {
    const target = await this.realPath(link);
    if (!target) return false;
    const rel = relative(realDir, target);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return false;
    return (await this.stat(target))?.isFile === true;
  }
}

/** Fills `into` from `position` on; the part filled (shorter at the end of the file). */
async function readAt(file: FileHandle, into: Uint8Array, position: number): Promise<Uint8Array> {
  let filled = 0;
  while (filled < into.length) {
    const { bytesRead } = await file.read(into, filled, into.length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === into.length ? into : into.subarray(0, filled);
}

/** Opening a FIFO blocks until a writer comes; a device may never end. */
async function refuseSpecial(path: string): Promise<void> {
  const s = await stat(path);
  if (!s.isFile() && !s.isDirectory()) throw new Error(`${path} is not a regular file (a FIFO, device or socket)`);
}
