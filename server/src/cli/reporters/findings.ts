import { relative, sep } from 'node:path';
import { countBySeverity } from '../../core/diagnostics/sort.js';
import type { Finding } from '../../core/diagnostics/types.js';

export type FindingCounts = ReturnType<typeof countBySeverity>;

/** Counts by severity (the core's), for summaries. */
export function countFindings(findings: readonly Finding[]): FindingCounts {
  return countBySeverity([...findings]);
}

/** Path as shown to users and CI: relative to the working directory (`.` for itself), with `/`. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  if (rel === '') return '.';
  const shown = rel.startsWith('..') ? file : rel;
  return shown.split(sep).join('/');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
