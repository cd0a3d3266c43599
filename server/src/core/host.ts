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
  /** A FIFO, device or socket: reading one could block for ever or never end. */
  isSpecial?: boolean;
}

export interface Host {
  /** Reads a whole file as bytes. Rejects when it does not exist. */
  readBytes(path: string): Promise<Uint8Array>;
  /** Reads at most the first `maxBytes` bytes (hosts that can read part of a file). */
  readHead?(path: string, maxBytes: number): Promise<Uint8Array>;
  /**
   * Reads at most `maxBytes` bytes from byte `position` (fewer only at the end
   * of the file). Hosts that can read part of a file let large data files be
   * read in pieces instead of held whole. With `into` (at least `maxBytes`
   * long) the bytes are read into it and a view of it is returned, so a
   * reader done with one piece can read the next into the same memory.
   */
  readRange?(path: string, position: number, maxBytes: number, into?: Uint8Array): Promise<Uint8Array>;
  /** Undefined when the path does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  /**
   * All regular files below `dir` (recursively, absolute paths), skipping node_modules and dot folders.
   * A symbolic link is listed only when it resolves to a regular file inside `dir`.
   */
  listFiles(dir: string): Promise<string[]>;
  /**
   * The path with every symbolic link resolved; undefined when it does not exist. Hosts
   * without links (in memory, a browser) leave it out.
   */
  realPath?(path: string): Promise<string | undefined>;
}

/**
 * Whether `path`, with symbolic links resolved, lies outside `root` (also resolved):
 * a link inside the workspace to a file elsewhere must not be read.
 */
export async function escapesThroughLinks(host: Host, path: string, root: string): Promise<boolean> {
  if (!host.realPath) return false;
  const [realPath, realRoot] = await Promise.all([host.realPath(path), host.realPath(root)]);
  if (realPath === undefined || realRoot === undefined) return false; // missing: reported as not found
  return !isInsideFolder(realPath, realRoot);
}

import { isInsideFolder } from './data/path.js';

const decoder = new TextDecoder('utf-8');

export async function readText(host: Host, path: string): Promise<string> {
  const text = decoder.decode(await host.readBytes(path));
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
