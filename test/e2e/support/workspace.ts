/** A private copy of a sample workspace per scenario, and positions in its files. */
import { cpSync, readFileSync } from 'node:fs';

export function copyWorkspace(sample: string, destination: string): string {
  cpSync(sample, destination, { recursive: true });
  return destination;
}

export interface Position {
  /** 1-based, as VS Code shows it in the status bar. */
  line: number;
  column: number;
}

/**
 * Where `needle` occurs in the file (the nth occurrence, 1-based), plus
 * `offset` characters into it.
 */
export function positionOf(file: string, needle: string, options: { occurrence?: number; offset?: number } = {}): Position {
  const text = readFileSync(file, 'utf8');
  let index = -1;
  for (let n = 0; n < (options.occurrence ?? 1); n += 1) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`'${needle}' occurs fewer than ${options.occurrence ?? 1} times in ${file}`);
  }
  const at = index + (options.offset ?? 0);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

export function read(file: string): string {
  return readFileSync(file, 'utf8');
}
