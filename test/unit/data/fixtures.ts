import { columnValueAsString, type ParsedData } from '../../../server/src/core/data/index.js';
import type { FieldDecl, Position, Range, TypeRef } from '../../../server/src/core/syntax/ast.js';

/** Builds `FieldDecl`s from a compact `name: type` text, each on its own line (ranges are per line). */
export function fields(text: string): FieldDecl[] {
  return text
    .trim()
    .split('\n')
    .map((line, index) => fieldDecl(line.trim(), index));
}

function position(line: number, character: number): Position {
  return { line, character, offset: line * 1000 + character };
}

export function rangeOn(line: number, from: number, to: number): Range {
  return { start: position(line, from), end: position(line, to) };
}

function fieldDecl(line: string, index: number): FieldDecl {
  const match = /^(\w+)\s*:\s*(.+)$/.exec(line);
  if (!match) throw new Error(`bad field line: ${line}`);
  const [, name, rawType] = match;
  const optional = rawType.endsWith('?');
  const typeText = optional ? rawType.slice(0, -1) : rawType;
  const typeStart = line.indexOf(rawType);
  const typeRef: TypeRef = { type: 'TypeRef', name: 'string', optional, range: rangeOn(index, typeStart, line.length) };
  const list = /^list<(string|integer)>$/.exec(typeText);
  const enumValues = /^enum\((.*)\)$/.exec(typeText);
  if (list) {
    typeRef.name = 'list';
    typeRef.element = list[1] as 'string' | 'integer';
  } else if (enumValues) {
    typeRef.name = 'enum';
    typeRef.enumValues = [...enumValues[1].matchAll(/"([^"]*)"/g)].map((m) => ({
      type: 'String',
      value: m[1],
      range: rangeOn(index, 0, 0),
    }));
  } else if (['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'semver', 'enum'].includes(typeText)) {
    typeRef.name = typeText as TypeRef['name'];
  } else {
    typeRef.unknownName = typeText;
  }
  return {
    type: 'Field',
    name: { type: 'Identifier', name, range: rangeOn(index, 0, name.length) },
    fieldType: typeRef,
    range: rangeOn(index, 0, line.length),
  };
}

export function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** All a user can see of a parse, and the dictionaries' order (codes are part of the table's identity). */
export function visible(parsed: ParsedData): unknown {
  const table = parsed.table;
  return {
    types: [...parsed.fieldTypes],
    rowCount: table?.rowCount,
    rowLines: table ? Array.from(table.rowLines) : undefined,
    cells: table?.columns.map((c) => [c.name, c.type, Array.from({ length: table.rowCount }, (_, row) => columnValueAsString(c, row))]),
    dictionaries: table?.columns.map((c) => ('dictionary' in c ? [...c.dictionary] : undefined)),
    missing: table?.columns.map((c) => Array.from(c.missing)),
    issues: parsed.issues.map((i) => [i.code, i.severity, i.message]),
  };
}
