import { readdirSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { Host } from '../core/host.js';
import { CliError } from './errors.js';

export interface WorkspaceTarget {
  /** Absolute folder that holds the workspace's `.segspec` files. */
  root: string;
  /**
   * When the user named single files, only findings in these files are
   * reported; undefined means the whole workspace.
   */
  onlyFiles?: Set<string>;
}

const isSpecFile = (p: string): boolean => p.endsWith('.segspec');

/**
 * Finds the workspaces under the given paths. A workspace is a folder that
 * contains `.segspec` files, together with everything below it, so nested
 * folders with more `.segspec` files belong to their topmost such ancestor.
 * A `.segspec` file given directly selects its folder's workspace, reporting
 * only on that file.
 */
export async function discoverWorkspaces(
  host: Host,
  paths: string[],
  cwd: string,
): Promise<WorkspaceTarget[]> {
  const byRoot = new Map<string, WorkspaceTarget>();
  for (const given of paths.length > 0 ? paths : ['.']) {
    const abs = resolve(cwd, given);
    const st = await host.stat(abs);
    if (!st) throw new CliError(`cannot read ${given}: no such file or directory`);
    if (st.isFile) {
      if (!isSpecFile(abs)) throw new CliError(`${given} is not a .segspec file or a folder`);
      const root = specRootOf(abs, cwd);
      const existing = byRoot.get(root);
      if (existing && !existing.onlyFiles) continue;
      const target = existing ?? { root, onlyFiles: new Set<string>() };
      target.onlyFiles?.add(abs);
      byRoot.set(root, target);
      continue;
    }
    let files: string[];
    try {
      files = await host.listFiles(abs);
    } catch (e) {
      throw new CliError(`cannot read ${given}: ${(e as Error).message}`);
    }
    const folders = [...new Set(files.filter(isSpecFile).map((f) => dirname(f)))].sort();
    const roots = folders.filter(
      (f) => !folders.some((other) => other !== f && isInside(f, other)),
    );
    if (roots.length === 0) throw new CliError(`no .segspec files found under ${given}`);
    for (const root of roots) byRoot.set(root, { root });
  }
  // A workspace inside another one found through a different path is covered by the outer one.
  const all = [...byRoot.values()].sort((a, b) => (a.root < b.root ? -1 : 1));
  return all.filter(
    (t) => !all.some((o) => o !== t && !o.onlyFiles && isInside(t.root, o.root)),
  );
}

/**
 * The workspace folder of a spec file named directly: the topmost folder,
 * from the file's own up to the working directory, that holds `.segspec`
 * files itself — the same root a folder path would have found.
 */
function specRootOf(file: string, cwd: string): string {
  let root = dirname(file);
  if (!isInside(root, cwd) && root !== cwd) return root;
  for (let dir = dirname(root); ; dir = dirname(dir)) {
    if (holdsSpecFiles(dir)) root = dir;
    if (dir === cwd || dir === dirname(dir)) return root;
  }
}

function holdsSpecFiles(dir: string): boolean {
  try {
    return readdirSync(dir, { withFileTypes: true }).some((e) => e.isFile() && isSpecFile(e.name));
  } catch {
    return false;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !rel.includes(':');
}
