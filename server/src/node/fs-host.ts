/** The core's Host over the real file system (used by the CLI and the language server). */
import { open, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { FileStat, Host } from '../core/host.js';

const skippedFolders = new Set(['node_modules']);

export class NodeHost implements Host {
  async readBytes(path: string): Promise<Uint8Array> {
    await refuseSpecial(path);
    return readFile(path);
  }

  async readHead(path: string, maxBytes: number): Promise<Uint8Array> {
    await refuseSpecial(path);
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(maxBytes);
      const { bytesRead } = await file.read(buffer, 0, maxBytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  async readRange(path: string, position: number, maxBytes: number, into?: Uint8Array): Promise<Uint8Array> {
    await refuseSpecial(path);
    const file = await open(path, 'r');
    try {
      const buffer = into && into.length >= maxBytes ? into.subarray(0, maxBytes) : new Uint8Array(maxBytes);
      let filled = 0;
      while (filled < maxBytes) {
        const { bytesRead } = await file.read(buffer, filled, maxBytes - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === maxBytes ? buffer : into ? buffer.subarray(0, filled) : buffer.slice(0, filled);
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

/** Opening a FIFO blocks until a writer comes; a device may never end. */
async function refuseSpecial(path: string): Promise<void> {
  const s = await stat(path);
  if (!s.isFile() && !s.isDirectory()) throw new Error(`${path} is not a regular file (a FIFO, device or socket)`);
}
