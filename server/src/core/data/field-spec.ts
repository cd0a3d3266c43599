/**
 * What the loader needs to know about a declared field, without source
 * ranges: loading depends only on this and the file's bytes, so a caller can
 * cache a load by (content, field specs) and still place findings after edits.
 */
import { z } from 'zod';
import type { FieldDecl, TypeRef } from '../syntax/ast.js';
import type { ColumnType } from './table.js';

const columnTypes = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'datetime',
  'semver',
  'enum',
  'list<string>',
  'list<integer>',
] as const satisfies readonly ColumnType[];

/**
 * Field specs as a schema, for specs that cross a process or cache boundary
 * as JSON (a worker, a CLI option, a persisted cache key).
 */
export const fieldSpecSchema = z
  .object({
    name: z.string().min(1),
    type: z.enum(columnTypes).optional(),
    optional: z.boolean(),
    enumValues: z.array(z.string()).optional(),
  })
  .refine((spec) => spec.enumValues === undefined || spec.type === 'enum', {
    message: 'enumValues is only allowed on an enum field',
  });

export type FieldSpec = z.infer<typeof fieldSpecSchema>;

/** Field specs from untrusted JSON; throws a readable error when they do not fit. */
export function parseFieldSpecs(input: unknown): FieldSpec[] {
  const result = z.array(fieldSpecSchema).safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid field specs at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** The column type a declared type stands for; undefined for an unknown or broken type. */
export function columnTypeOfRef(typeRef: TypeRef | undefined): ColumnType | undefined {
  if (!typeRef || typeRef.unknownName !== undefined) return undefined;
  if (typeRef.name === 'list') return typeRef.element === 'integer' ? 'list<integer>' : 'list<string>';
  return typeRef.name;
}

/** One spec per field name (the first declaration wins; duplicates are a static error). */
export function fieldSpecsFromDecls(fields: readonly FieldDecl[]): FieldSpec[] {
  const specs: FieldSpec[] = [];
  const seen = new Set<string>();
  for (const field of fields) {
    const name = field.name.name;
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const typeRef = field.fieldType;
    const spec: FieldSpec = { name, optional: typeRef?.optional ?? false };
    const type = columnTypeOfRef(typeRef);
    if (type) spec.type = type;
    if (type === 'enum' && typeRef?.enumValues) spec.enumValues = typeRef.enumValues.map((v) => v.value);
    specs.push(spec);
  }
  return specs;
}

export function isFieldDecl(value: FieldDecl | FieldSpec): value is FieldDecl {
  return (value as FieldDecl).type === 'Field';
}
