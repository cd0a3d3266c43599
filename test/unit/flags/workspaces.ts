/** Sample workspaces and in-memory ones, analysed as the CLI analyses them. */
import { readFile, readdir, stat } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Host } from '../../../server/src/core/host.js';
import { type Analysis, Workspace } from '../../../server/src/core/workspace.js';

export const samplesDir = fileURLToPath(new URL('../../../samples/', import.meta.url));
export const sampleNames = readdirSync(samplesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

export const diskHost: Host = {
  readBytes: async (path) => new Uint8Array(await readFile(path)),
  async stat(path) {
    const s = await stat(path).catch(() => undefined);
    return s && { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mtimeMs: s.mtimeMs };
  },
  async listFiles(dir) {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && !/(^|\/)(\.|node_modules)/.test(join(e.parentPath, e.name).slice(dir.length)))
      .map((e) => join(e.parentPath, e.name));
  },
};

export function analyzeSample(name: string): Promise<Analysis> {
  return new Workspace(diskHost, join(samplesDir, name)).analyze();
}

/** A workspace held in memory: file path (under /ws) → text. */
export function memoryHost(files: Record<string, string>): Host {
  const encoder = new TextEncoder();
  const paths = Object.keys(files);
  return {
    async readBytes(path) {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return encoder.encode(text);
    },
    async stat(path) {
      if (files[path] !== undefined) return { isFile: true, isDirectory: false, size: files[path].length, mtimeMs: 0 };
      if (paths.some((p) => p.startsWith(`${path}/`))) return { isFile: false, isDirectory: true, size: 0, mtimeMs: 0 };
      return undefined;
    },
    async listFiles(dir) {
      return paths.filter((p) => p.startsWith(`${dir}/`));
    },
  };
}
