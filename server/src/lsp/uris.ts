import { fileURLToPath, pathToFileURL } from 'node:url';

/** File system path of a `file:` URI; other schemes (untitled:) get a stable pseudo path. */
export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) return fileURLToPath(uri);
  return `/__${uri.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).toString();
}

export function isSegspec(pathOrUri: string): boolean {
  return pathOrUri.endsWith('.segspec');
}

export function isMarkdown(pathOrUri: string): boolean {
  return /\.(md|markdown)$/i.test(pathOrUri);
}
