/**
 * A segment's rule in the shape flag systems can take it: SPEC §5.3's
 * three-valued logic resolved into two-valued conditions, with `not` pushed
 * down to the atoms, every relative date and dataset-wide aggregate frozen to
 * a literal, and each atom over one attribute. Every atom except `present`
 * and `segment` holds only when its attribute is present: the emitters add
 * the system's own existence test to each.
 */
import type { ColumnType } from '../../data/table.js';
import type { Range } from '../../syntax/ast.js';

/** A literal as the system's context carries it (see `flagContextOf`). */
export type ExportValue =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean }
  /** `YYYY-MM-DD` */
  | { type: 'date'; value: string }
  /** ISO 8601 with milliseconds and `Z`, as `Date.prototype.toISOString` writes it. */
  | { type: 'datetime'; value: string; ms: number }
  | { type: 'semver'; value: string };

/** What an atom tests: an attribute, possibly through `lower`, `upper` or `len`. */
export interface Subject {
  /** The dataset field. */
  field: string;
  /** The attribute name in the system's context. */
  attribute: string;
  fieldType: ColumnType;
  transform?: 'lower' | 'upper' | 'len';
  /** Where it is written, for refusals. */
  file: string;
  range: Range;
}

export type OrderOp = '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'all'; items: Condition[] }
  | { kind: 'any'; items: Condition[] }
  | { kind: 'constant'; value: boolean }
  /** The attribute is present (`negated`: missing). */
  | { kind: 'present'; subject: Subject; negated: boolean }
  /** `==` / `!=` with the attribute present. */
  | { kind: 'equals'; subject: Subject; value: ExportValue; negated: boolean }
  | { kind: 'order'; subject: Subject; op: OrderOp; value: ExportValue }
  | { kind: 'oneOf'; subject: Subject; values: ExportValue[]; negated: boolean }
  /** A list attribute holds the item, or a string attribute holds the substring. */
  | { kind: 'contains'; subject: Subject; value: ExportValue; negated: boolean }
  | { kind: 'affix'; subject: Subject; op: 'starts' | 'ends'; value: string; negated: boolean }
  | { kind: 'matches'; subject: Subject; pattern: string; negated: boolean; file: string; range: Range }
  /** Membership of another segment (two-valued). */
  | { kind: 'segment'; name: string; negated: boolean; file: string; range: Range };

export type AtomCondition = Exclude<Condition, { kind: 'all' | 'any' | 'constant' }>;

export function all(items: Condition[]): Condition {
  const flat: Condition[] = [];
  for (const item of items) {
    if (item.kind === 'constant') {
      if (!item.value) return item;
      continue;
    }
    if (item.kind === 'all') flat.push(...item.items);
    else flat.push(item);
  }
  if (flat.length === 0) return { kind: 'constant', value: true };
  return flat.length === 1 ? flat[0] : { kind: 'all', items: flat };
}

export function any(items: Condition[]): Condition {
  const flat: Condition[] = [];
  for (const item of items) {
    if (item.kind === 'constant') {
      if (item.value) return item;
      continue;
    }
    if (item.kind === 'any') flat.push(...item.items);
    else flat.push(item);
  }
  if (flat.length === 0) return { kind: 'constant', value: false };
  return flat.length === 1 ? flat[0] : { kind: 'any', items: flat };
}

/** Segments the condition refers to, in first-use order. */
export function referencedSegments(cond: Condition, into: string[] = []): string[] {
  switch (cond.kind) {
    case 'all':
    case 'any':
      for (const item of cond.items) referencedSegments(item, into);
      return into;
    case 'segment':
      if (!into.includes(cond.name)) into.push(cond.name);
      return into;
    default:
      return into;
  }
}

/** Attributes the condition reads (not through segment references). */
export function attributesOf(cond: Condition, into: Set<string> = new Set()): Set<string> {
  switch (cond.kind) {
    case 'all':
    case 'any':
      for (const item of cond.items) attributesOf(item, into);
      return into;
    case 'constant':
    case 'segment':
      return into;
    default:
      into.add(cond.subject.attribute);
      return into;
  }
}

/**
 * Disjunctive normal form (an OR of ANDs of atoms) for systems whose
 * targeting is a list of rules each made of clauses. Undefined when it would
 * exceed `limit` rules.
 */
export function disjunctiveForm(cond: Condition, limit = 200): AtomCondition[][] | undefined {
  switch (cond.kind) {
    case 'constant':
      return cond.value ? [[]] : [];
    case 'any': {
      const rules: AtomCondition[][] = [];
      for (const item of cond.items) {
        const sub = disjunctiveForm(item, limit);
        if (!sub) return undefined;
        rules.push(...sub);
        if (rules.length > limit) return undefined;
      }
      return rules;
    }
    case 'all': {
      let rules: AtomCondition[][] = [[]];
      for (const item of cond.items) {
        const sub = disjunctiveForm(item, limit);
        if (!sub) return undefined;
        const next: AtomCondition[][] = [];
        for (const left of rules) for (const right of sub) next.push([...left, ...right]);
        if (next.length > limit) return undefined;
        rules = next;
      }
      return rules;
    }
    default:
      return [[cond]];
  }
}
