import type { TypeRef } from '../syntax/ast.js';
import type { ColumnType } from '../data/table.js';
import type { DatasetSymbol, FieldTypeInfo } from './model.js';

/** The column type a declared type stands for; undefined for an unknown type name. */
export function columnTypeOf(typeRef: TypeRef): ColumnType | undefined {
  if (typeRef.unknownName !== undefined) return undefined;
  if (typeRef.name === 'list') return typeRef.element === 'integer' ? 'list<integer>' : 'list<string>';
  return typeRef.name;
}

/** Field types declared in a dataset's `fields { }` block. */
export function declaredFieldTypes(dataset: DatasetSymbol): Map<string, FieldTypeInfo> {
  const types = new Map<string, FieldTypeInfo>();
  for (const [name, field] of dataset.declaredFields) {
    const typeRef = field.fieldType;
    const type = typeRef ? columnTypeOf(typeRef) : undefined;
    if (!typeRef || !type) continue;
    const info: FieldTypeInfo = { type, optional: typeRef.optional, inferred: false };
    if (typeRef.enumValues) info.enumValues = typeRef.enumValues.map((v) => v.value);
    types.set(name, info);
  }
  return types;
}
