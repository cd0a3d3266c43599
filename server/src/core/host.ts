/**
 * The only way the language core touches the outside world. The CLI backs it
 * with the file system, the language server with open documents over the file
 * system, and tests with an in-memory map.
 */
export interface FileStat {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  mtimeMs: number;
}

export interface Host {
  /** Reads a whole file as bytes. Rejects when it does not exist. */
  readBytes(path: string): Promise<Uint8Array>;
  /** Reads at most the first `maxBytes` bytes (hosts that can read part of a file). */
  readHead?(path: string, maxBytes: number): Promise<Uint8Array>;
  /** Undefined when the path does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  /** All files below `dir` (recursively, absolute paths), skipping node_modules and dot folders. */
  listFiles(dir: string): Promise<string[]>;
}

const decoder = new TextDecoder('utf-8');

export async function readText(host: Host, path: string): Promise<string> {
  const text = decoder.decode(await host.readBytes(path));
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
