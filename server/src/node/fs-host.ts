/** The core's Host over the real file system (used by the CLI and the language server). */
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileStat, Host } from '../core/host.js';

const skippedFolders = new Set(['node_modules']);

export class NodeHost implements Host {
  async readBytes(path: string): Promise<Uint8Array> {
    return readFile(path);
  }

  async readHead(path: string, maxBytes: number): Promise<Uint8Array> {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(maxBytes);
      const { bytesRead } = await file.read(buffer, 0, maxBytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  async stat(path: string): Promise<FileStat | undefined> {
    try {
      const s = await stat(path);
      return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mtimeMs: s.mtimeMs };
    } catch {
      return undefined;
    }
  }

  async listFiles(dir: string): Promise<string[]> {
    const files: string[] = [];
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
      }
    };
    await walk(dir);
    return files.sort();
  }
}
