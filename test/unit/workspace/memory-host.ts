import type { FileStat, Host } from '../../../server/src/core/host.js';

/** An in-memory Host: paths are absolute, files are strings. */
export class MemoryHost implements Host {
  readonly files = new Map<string, { bytes: Uint8Array; mtimeMs: number }>();
  reads: string[] = [];

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
  }

  write(path: string, text: string): void {
    const previous = this.files.get(path)?.mtimeMs ?? 0;
    this.files.set(path, { bytes: new TextEncoder().encode(text), mtimeMs: previous + 1 });
  }

  async readBytes(path: string): Promise<Uint8Array> {
    const file = this.files.get(path);
    if (!file) throw new Error(`ENOENT: ${path}`);
    this.reads.push(path);
    return file.bytes;
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const file = this.files.get(path);
    if (file) return { isFile: true, isDirectory: false, size: file.bytes.length, mtimeMs: file.mtimeMs };
    const isDir = [...this.files.keys()].some((p) => p.startsWith(`${path}/`));
    return isDir ? { isFile: false, isDirectory: true, size: 0, mtimeMs: 0 } : undefined;
  }

  async listFiles(dir: string): Promise<string[]> {
    return [...this.files.keys()].filter((p) => p.startsWith(`${dir}/`)).sort();
  }
}
