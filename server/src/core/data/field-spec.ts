/**
 * What the loader needs to know about a declared field, without source
 * ranges: loading depends only on this and the file's bytes, so a caller can
 * cache a load by (content, field specs) and still place findings after edits.
 */
import type { FieldDecl, TypeRef } from '../syntax/ast.js';
import type { ColumnType } from './table.js';

export interface FieldSpec {
  name: string;
  /** Undefined when the field's type is missing or unknown: the type is inferred. */
  type?: ColumnType;
  optional: boolean;
  /** Declared `enum("a", …)` values. */
  enumValues?: string[];
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
