/**
 * Pieces the importers share: JSON access located by JSON pointer, and atoms
 * of the export `Condition` over one attribute. An atom holds only for a
 * present attribute (as Segspec's comparisons do), so a test that the flag
 * system reads two-valued is written as `atom` when it holds and as
 * `missing or (present and not atom)` when it does not (`twoValuedNegation`).
 */
import type { ColumnType } from '../../data/table.js';
import type { Condition, ExportValue, Subject } from '../export/condition.js';
import { any } from '../export/condition.js';
import { negateAtom } from '../export/normalize.js';
import { ImportRefusal } from './problems.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The dataset field types of the attributes, when the caller knows them (lists are read element-wise by most systems). */
export type AttributeTypes = ReadonlyMap<string, ColumnType>;

/** Attribute → the field that holds it, where the two names differ. */
export type AttributeFields = ReadonlyMap<string, string>;

export const NO_RANGE = { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } };

export function subjectOf(attribute: string, fieldType: ColumnType = 'string', field = attribute): Subject {
  return { field, attribute, fieldType, file: '', range: NO_RANGE };
}

export function presence(subject: Subject, missing: boolean): Condition {
  return { kind: 'present', subject, negated: missing };
}

export function valueOf(v: string | number | boolean): ExportValue {
  if (typeof v === 'number') return { type: 'number', value: v };
  if (typeof v === 'boolean') return { type: 'boolean', value: v };
  return { type: 'string', value: v };
}

/**
 * The negation, in the system's two-valued logic, of a test that holds only
 * for a present attribute: the attribute is missing, or present and the test
 * fails.
 */
export function twoValuedNegation(test: Condition, subject: Subject): Condition {
  if (test.kind === 'constant' && !test.value) return { kind: 'constant', value: true };
  const whenPresent = negateAtom(test, subject);
  if (whenPresent.kind === 'present' && !whenPresent.negated) return { kind: 'constant', value: true };
  return any([presence(subject, true), whenPresent]);
}

export function parseJson(text: string): JsonObject {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (e) {
    throw new ImportRefusal(`the file is not JSON: ${(e as Error).message}`, '');
  }
  return asObject(value, '');
}

export function asObject(v: Json | undefined, at: string): JsonObject {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v;
  throw new ImportRefusal('expected an object', at);
}

export function asList(v: Json | undefined, at: string): Json[] {
  if (Array.isArray(v)) return v;
  throw new ImportRefusal('expected a list', at);
}

export function pointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The one key to import: the one given, or the only one in the file. */
export function chooseKey(keys: readonly string[], flagKey: string | undefined, what: string, at: string): string {
  const key = flagKey ?? (keys.length === 1 ? keys[0] : undefined);
  if (key === undefined) throw new ImportRefusal(`the file has ${keys.length} ${what}s; name one with --flag (${keys.slice(0, 10).join(', ')})`, at);
  if (!keys.includes(key)) throw new ImportRefusal(`the file has no ${what} '${key}'`, at);
  return key;
}
