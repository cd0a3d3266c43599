import type { FileStat, Host } from '../../../server/src/core/host.js';

/** A Host over an in-memory map of absolute paths to file contents. */
export class MemoryHost implements Host {
  private readonly files = new Map<string, Uint8Array>();
  readonly reads: string[] = [];

  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [path, content] of Object.entries(files)) this.set(path, content);
  }

  set(path: string, content: string | Uint8Array): void {
    this.files.set(path, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }

  async readBytes(path: string): Promise<Uint8Array> {
    this.reads.push(path);
    const bytes = this.files.get(path);
    if (!bytes) throw new Error(`ENOENT: ${path}`);
    return bytes;
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const bytes = this.files.get(path);
    if (bytes) return { isFile: true, isDirectory: false, size: bytes.length, mtimeMs: 0 };
    const prefix = path.endsWith('/') ? path : `${path}/`;
    for (const file of this.files.keys()) {
      if (file.startsWith(prefix)) return { isFile: false, isDirectory: true, size: 0, mtimeMs: 0 };
    }
    return undefined;
  }

  async listFiles(dir: string): Promise<string[]> {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    return [...this.files.keys()].filter((file) => file.startsWith(prefix)).sort();
  }
}
