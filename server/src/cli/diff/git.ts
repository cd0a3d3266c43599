/**
 * The base side of `segspec diff` from git: which commit to compare with, and
 * its files written to a temporary folder (`git ls-tree` + `git cat-file
 * --batch`: no tar, no change to the index or the working tree).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CliError, UsageError } from '../errors.js';

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

function git(args: string[], cwd: string): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (error && error.code === 'ENOENT') resolve({ code: -1, stdout: '', stderr: 'git is not installed (not on PATH)' });
      else resolve({ code, stdout, stderr });
    });
  });
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.replace(/^fatal: /, '') ?? '';
}

/** The top folder of the git repository around `cwd`, or undefined outside one. */
export async function repositoryRoot(cwd: string): Promise<string | undefined> {
  const r = await git(['rev-parse', '--show-toplevel'], cwd);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

export interface BaseCommit {
  /** Full commit id. */
  commit: string;
  /** How the user would name it: the ref given, or "merge base with main". */
  label: string;
}

async function verifyCommit(ref: string, root: string): Promise<string | undefined> {
  if (ref.startsWith('-')) return undefined;
  const r = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** `--base REF`: the commit it names; a ref git does not know is a usage error. */
export async function commitOf(ref: string, root: string): Promise<BaseCommit> {
  const commit = await verifyCommit(ref, root);
  if (!commit) throw new UsageError(`--base '${ref}' is not a commit in this repository (nor a saved stats file)`, 'diff');
  return { commit, label: ref };
}

/**
 * The default base: the merge base of HEAD with the default branch, tried as
 * origin/HEAD, then main, master, origin/main and origin/master. In a GitHub
 * pull-request job (GITHUB_BASE_REF set), the pull request's base branch first.
 */
export async function defaultBase(root: string, env: Record<string, string | undefined>): Promise<BaseCommit> {
  const head = await verifyCommit('HEAD', root);
  if (!head) throw new CliError('the repository has no commit yet: nothing to compare with (commit first, or pass --base stats.json)');
  const candidates: string[] = [];
  const pullRequestBase = env.GITHUB_BASE_REF;
  if (pullRequestBase) candidates.push(`origin/${pullRequestBase}`, pullRequestBase);
  const originHead = await git(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], root);
  if (originHead.code === 0 && originHead.stdout.trim()) candidates.push(originHead.stdout.trim());
  candidates.push('main', 'master', 'origin/main', 'origin/master');
  for (const branch of candidates) {
    if (!(await verifyCommit(branch, root))) continue;
    const mb = await git(['merge-base', 'HEAD', branch], root);
    if (mb.code !== 0) {
      throw new CliError(
        `HEAD and ${branch} have no common commit${(await isShallow(root)) ? ' (a shallow clone: fetch more history, e.g. actions/checkout with fetch-depth: 0)' : ''}; pass --base REF`,
      );
    }
    return { commit: mb.stdout.trim(), label: `merge base with ${branch}` };
  }
  throw new CliError('cannot find the default branch (tried origin/HEAD, main, master, origin/main, origin/master): pass --base REF');
}

async function isShallow(root: string): Promise<boolean> {
  const r = await git(['rev-parse', '--is-shallow-repository'], root);
  return r.stdout.trim() === 'true';
}

export async function shortCommit(commit: string, root: string): Promise<string> {
  const r = await git(['rev-parse', '--short', commit], root);
  return r.code === 0 ? r.stdout.trim() : commit.slice(0, 7);
}

interface TreeEntry {
  object: string;
  path: string;
}

/**
 * Writes the workspaces of `commit` under `pathspecs` (relative to the
 * repository root, `/`-separated; '' is everything) into `dest`, keeping
 * their paths: the files below each topmost folder that holds `.segspec`
 * files (spec, data and Markdown live there), nothing else. Symbolic links
 * and submodules are left out; a Git LFS pointer is replaced by its content
 * (`git lfs smudge`), or the command stops saying it is not available.
 */
export async function materialize(commit: string, pathspecs: string[], root: string, dest: string): Promise<number> {
  const specs = pathspecs.some((p) => p === '') ? [] : pathspecs;
  const tree = await git(['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...specs], root);
  if (tree.code !== 0) throw new CliError(`git ls-tree failed for ${commit}: ${firstLine(tree.stderr)}`);
  const entries: TreeEntry[] = [];
  for (const record of tree.stdout.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, type, object] = record.slice(0, tab).split(' ');
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755')) continue;
    entries.push({ object, path: record.slice(tab + 1) });
  }
  const roots = workspaceRoots(entries.map((e) => e.path));
  const wanted = entries.filter((e) => roots.some((r) => r === '' || e.path.startsWith(`${r}/`)));
  const blobs = await catFiles(wanted.map((e) => e.object), root);
  for (const [i, entry] of wanted.entries()) {
    const target = join(dest, ...entry.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, isLfsPointer(blobs[i]) ? await lfsContent(blobs[i], entry.path, root) : blobs[i]);
  }
  return wanted.length;
}

/** Topmost folders (`/`-separated, '' for the root) that hold `.segspec` files. */
export function workspaceRoots(paths: string[]): string[] {
  const folders = [...new Set(paths.filter((p) => p.endsWith('.segspec')).map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '')))].sort();
  return folders.filter((f) => !folders.some((o) => o !== f && (o === '' || f.startsWith(`${o}/`))));
}

const LFS_POINTER = Buffer.from('version https://git-lfs.github.com/spec/v1');

function isLfsPointer(blob: Buffer): boolean {
  return blob.length < 1024 && blob.subarray(0, LFS_POINTER.length).equals(LFS_POINTER);
}

/** The content behind a Git LFS pointer, from the local LFS store. */
function lfsContent(pointer: Buffer, path: string, root: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['lfs', 'smudge', '--', path], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    const fail = (why: string) =>
      reject(new CliError(`${path} is stored in Git LFS in the base and its content is not available here (${why}): run 'git lfs fetch', or compare with a saved stats file (--base stats.json)`));
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', (e) => fail(e.message));
    child.on('close', (code) => {
      const out = Buffer.concat(chunks);
      if (code === 0 && !isLfsPointer(out)) resolve(out);
      else if (code !== 0 && (stderr.includes('is not a git command') || stderr === '')) fail('git lfs is not installed');
      else fail(firstLine(stderr) || 'the object is not in the local LFS store');
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(pointer);
  });
}

/** Contents of the objects, in order, from one `git cat-file --batch`. */
function catFiles(objects: string[], root: string): Promise<Buffer[]> {
  if (objects.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', (e) => reject(new CliError(`cannot run git: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new CliError(`git cat-file failed: ${firstLine(stderr)}`));
        return;
      }
      const all = Buffer.concat(chunks);
      const out: Buffer[] = [];
      let at = 0;
      for (let i = 0; i < objects.length; i++) {
        const eol = all.indexOf(0x0a, at);
        const header = all.subarray(at, eol).toString('utf8').split(' ');
        const size = Number(header[2]);
        if (header[1] !== 'blob' || !Number.isFinite(size)) {
          reject(new CliError(`git cat-file: unexpected answer '${header.join(' ')}'`));
          return;
        }
        out.push(all.subarray(eol + 1, eol + 1 + size));
        at = eol + 1 + size + 1;
      }
      resolve(out);
    });
    child.stdin.end(objects.join('\n') + '\n');
  });
}
