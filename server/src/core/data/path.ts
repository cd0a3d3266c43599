/**
 * Where a dataset's `source` points. Paths are relative to the folder of the
 * `.segspec` file and must stay inside the workspace: `../` escapes and
 * absolute paths elsewhere are refused before anything is read.
 *
 * Plain string work (no `node:path`) so that the core also runs where there
 * is no Node; both `/` and `\` separate segments, and the result uses the
 * separator of the spec file's path.
 */
import { dataCode } from './codes.js';

export type ResolvedDataPath =
  | { ok: true; path: string }
  | { ok: false; code: string; message: string };

const DRIVE = /^[A-Za-z]:$/;

function splitPath(path: string): string[] {
  return path.split(/[\\/]+/);
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path);
}

/** Segments of an absolute path with `.` and `..` applied; undefined when `..` climbs above the root. */
function normalize(path: string): string[] | undefined {
  const parts = splitPath(path);
  const result: string[] = [];
  const rootLength = DRIVE.test(parts[0]) ? 1 : 0;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    if (k === 0 && rootLength === 1) {
      result.push(part);
      continue;
    }
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (result.length <= rootLength) return undefined;
      result.pop();
      continue;
    }
    result.push(part);
  }
  return result;
}

function isWindowsPath(path: string): boolean {
  return /^[A-Za-z]:/.test(path) || (path.includes('\\') && !path.includes('/'));
}

/** Whether absolute `path` lies strictly below absolute folder `root` (after `.` and `..`). */
export function isInsideFolder(path: string, root: string): boolean {
  const target = normalize(path);
  const folder = normalize(root);
  if (!target || !folder) return false;
  const windows = isWindowsPath(root) || isWindowsPath(path);
  return target.length > folder.length && folder.every((segment, k) => sameSegment(segment, target[k], windows));
}

function sameSegment(a: string, b: string, caseInsensitive: boolean): boolean {
  return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
}

export function resolveDataPath(specFile: string, source: string, workspaceRoot: string): ResolvedDataPath {
  if (source.trim() === '') return { ok: false, code: dataCode.fileNotFound, message: 'the `source` path is empty' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    return {
      ok: false,
      code: dataCode.unsupportedFormat,
      message: `\`${source}\` is a URL; sample data is read from files in the workspace`,
    };
  }
  const windows = isWindowsPath(specFile);
  const specFolder = splitPath(specFile).slice(0, -1).join('/');
  const joined = isAbsolute(source) ? source : `${specFolder}/${source}`;
  const target = normalize(joined);
  const root = normalize(workspaceRoot);
  const outside = {
    ok: false as const,
    code: dataCode.pathOutsideWorkspace,
    message: `\`${source}\` is outside the workspace folder; data files must be inside it`,
  };
  if (!target || !root) return outside;
  if (!isInsideFolder(joined, workspaceRoot)) return outside;
  const separator = windows ? '\\' : '/';
  const path = target.join(separator);
  return { ok: true, path: windows || path.startsWith(separator) ? path : `${separator}${path}` };
}

/** The extension of a path's last segment, dot included (`.csv`), as `node:path`'s `extname` gives it. */
export function extensionOf(path: string): string {
  const name = splitPath(path).pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot);
}
