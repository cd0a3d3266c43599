/**
 * A flag system's JSON file, parsed with the place of every value: problems
 * and decisions point into the file by JSON pointer and line/character.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import type { FlagFileLocation, FlagFileProblem } from '../system.js';

export interface JsonFile {
  /** The parsed value; undefined when the text is not JSON. */
  value: unknown;
  problems: FlagFileProblem[];
  /** Where the value at a JSON pointer is (the nearest existing parent when it is not in the file). */
  locate(pointer: string): FlagFileLocation;
}

export function pointerOf(path: ReadonlyArray<string | number | symbol>): string {
  return path.map((part) => '/' + String(part).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

function positionAt(starts: number[], offset: number): { line: number; character: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - starts[low]! };
}

function childAt(node: Node, part: string): Node | undefined {
  if (node.type === 'object') {
    for (const property of node.children ?? []) {
      const [key, value] = property.children ?? [];
      if (key?.value === part) return value;
    }
    return undefined;
  }
  if (node.type === 'array' && /^(0|[1-9][0-9]*)$/.test(part)) return node.children?.[Number(part)];
  return undefined;
}

function unescapePart(part: string): string {
  return part.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function readJsonFile(text: string, systemTitle: string): JsonFile {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const starts = lineStarts(text);
  const at = (offset: number): { line: number; character: number } => positionAt(starts, offset);

  // Decisions point at their rule on every row: each place is found once.
  const located = new Map<string, FlagFileLocation>();
  const locate = (pointer: string): FlagFileLocation => {
    let location = located.get(pointer);
    if (!location) {
      location = find(pointer);
      located.set(pointer, location);
    }
    return location;
  };
  const find = (pointer: string): FlagFileLocation => {
    if (!root) return { pointer, line: 0, character: 0 };
    let node: Node = root;
    const parts = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePart);
    for (const part of parts) {
      const next = childAt(node, part);
      if (!next) break;
      node = next;
    }
    return { pointer, ...at(node.offset) };
  };

  if (errors.length > 0 || !root) {
    const first = errors[0];
    const where = first ? at(first.offset) : { line: 0, character: 0 };
    const what = first ? printParseErrorCode(first.error) : 'EmptyFile';
    return {
      value: undefined,
      problems: [{ kind: 'invalid', pointer: '', ...where, message: `${systemTitle}: the file is not valid JSON (${what})` }],
      locate,
    };
  }
  return { value: JSON.parse(text) as unknown, problems: [], locate };
}

/** Zod issues as located `invalid` problems. */
export function schemaProblems(error: z.ZodError, file: JsonFile, systemTitle: string, limit = 20): FlagFileProblem[] {
  return error.issues.slice(0, limit).map((issue) => {
    const pointer = pointerOf(issue.path);
    return { kind: 'invalid', ...file.locate(pointer), message: `${systemTitle}: ${pointer || 'the file'}: ${issue.message}` };
  });
}

export function unsupported(file: JsonFile, pointer: string, message: string): FlagFileProblem {
  return { kind: 'unsupported', ...file.locate(pointer), message };
}
