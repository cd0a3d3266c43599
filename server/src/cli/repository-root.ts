import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The root of the git repository holding `dir` (the nearest folder with a
 * `.git` folder, or a `.git` file as in worktrees and submodules), else `dir`
 * itself: reports that CI systems read use paths relative to it.
 */
export function repositoryRoot(dir: string): string {
  const start = resolve(dir);
  for (let at = start; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return at;
    if (dirname(at) === at) return start;
  }
}
