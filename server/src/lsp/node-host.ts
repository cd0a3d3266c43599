/** The core's Host over the local file system. Open documents are overlaid by the Workspace. */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { FileStat, Host } from '../core/host.js';

export function createNodeHost(): Host {
  return {
    async readBytes(path: string): Promise<Uint8Array> {
      return fs.readFile(path);
    },
    async stat(path: string): Promise<FileStat | undefined> {
      try {
        const s = await fs.stat(path);
        return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mtimeMs: s.mtimeMs };
      } catch {
        return undefined;
      }
    },
    async listFiles(dir: string): Promise<string[]> {
      const out: string[] = [];
      await walk(dir, out);
      return out;
    },
  };
}

async function walk(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
}
