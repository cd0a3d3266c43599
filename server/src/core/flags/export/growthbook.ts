/**
 * Export to GrowthBook's SDK payload (`features`, `savedGroups`): one feature,
 * off by default, with one force rule whose condition is the segment;
 * referenced segments become condition saved groups (`$savedGroup`).
 *
 * GrowthBook reads an absent attribute as null, and `null < 25` holds in
 * JavaScript: every attribute test carries `$exists: true`. `$eq` / `$in` are
 * exact; `lower(x) == v` is `$ini` (both sides lower-cased, exactly as
 * `lower`); other tests of `lower`/`upper` are exact patterns (case-pattern.ts).
 */
import type { AtomCondition, Condition, ExportValue } from './condition.js';
import type { ExportPlan } from './plan.js';
import { checkPortablePattern, lengthPattern, lengthRange } from './regex.js';
import { textPattern } from './case-pattern.js';
import { ExportRefusal } from './problems.js';
import { unreachable } from '../../util/unreachable.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Cond = { [key: string]: Json };

const SYSTEM = 'GrowthBook';
const ORDER = { '<': '$lt', '<=': '$lte', '>': '$gt', '>=': '$gte' } as const;
const VERSION_ORDER = { '<': '$vlt', '<=': '$vlte', '>': '$vgt', '>=': '$vgte' } as const;

export function growthbookDocument(plan: ExportPlan): Json {
  const savedGroups: { [key: string]: Json } = {};
  for (const { name, condition } of plan.segments) {
    savedGroups[name] = { type: 'condition', condition: toCondition(condition, plan) };
  }
  const rule: { [key: string]: Json } = { id: `segspec_${plan.flagKey}`, condition: toCondition(plan.root, plan), force: true };
  if (plan.rolloutPercent !== undefined) {
    Object.assign(rule, { coverage: plan.rolloutPercent / 100, hashAttribute: 'id', hashVersion: 2, seed: plan.seed ?? plan.flagKey });
  }
  const document: { [key: string]: Json } = {
    features: { [plan.flagKey]: { defaultValue: false, rules: [rule] } },
  };
  if (plan.segments.length > 0) document.savedGroups = savedGroups;
  return document;
}

function toCondition(cond: Condition, plan: ExportPlan): Cond {
  switch (cond.kind) {
    case 'constant':
      // `{}` holds for every context, so `$not: {}` for none.
      return cond.value ? {} : { $not: {} };
    case 'all':
      return mergeAll(cond.items.map((item) => toCondition(item, plan)));
    case 'any':
      return { $or: cond.items.map((item) => toCondition(item, plan)) };
    default:
      return atom(cond, plan);
  }
}

/** `$and` of conditions, merged into one object where their keys do not collide. */
function mergeAll(parts: Cond[]): Cond {
  const merged: Cond = {};
  const rest: Cond[] = [];
  for (const part of parts) {
    const keys = Object.keys(part);
    if (keys.every((k) => !k.startsWith('$') && (!(k in merged) || mergeableOps(merged[k], part[k])))) {
      for (const k of keys) merged[k] = k in merged ? { ...(merged[k] as Cond), ...(part[k] as Cond) } : part[k];
    } else rest.push(part);
  }
  if (rest.length === 0) return merged;
  return Object.keys(merged).length === 0 ? { $and: rest } : { ...merged, $and: rest };
}

/** Two operator objects on one attribute that can be one (`$exists` agrees, no other operator twice). */
function mergeableOps(a: Json, b: Json): boolean {
  if (!isOps(a) || !isOps(b)) return false;
  return Object.keys(b).every((k) => !(k in a) || (k === '$exists' && a[k] === b[k]));
}

function isOps(v: Json): v is Cond {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => k.startsWith('$'));
}

function atom(cond: AtomCondition, plan: ExportPlan): Cond {
  if (cond.kind === 'segment') {
    const ref = { $savedGroup: { id: cond.name } };
    return cond.negated ? { $not: ref } : ref;
  }
  const attribute = cond.subject.attribute;
  const test = (ops: Cond): Cond => ({ [attribute]: { $exists: true, ...ops } });
  const transform = cond.subject.transform;
  switch (cond.kind) {
    case 'present':
      return { [attribute]: { $exists: !cond.negated } };
    case 'equals': {
      if (transform === 'len') return test(negatable(lengthOps(cond.subject.fieldType, '==', cond.value), cond.negated));
      if (transform === 'lower') return test({ [cond.negated ? '$nini' : '$ini']: [literal(cond.value)] });
      if (transform === 'upper') return test(negatable({ $regex: textPattern(cond.subject, text(cond.value), 'equals', SYSTEM) }, cond.negated));
      if (cond.value.type === 'semver') return test({ [cond.negated ? '$vne' : '$veq']: cond.value.value });
      return test({ [cond.negated ? '$ne' : '$eq']: literal(cond.value) });
    }
    case 'order': {
      if (transform === 'len') return test(lengthOps(cond.subject.fieldType, cond.op, cond.value));
      if (transform) {
        throw new ExportRefusal(`${SYSTEM} cannot order ${transform}() of a text`, { file: cond.subject.file, range: cond.subject.range });
      }
      if (cond.value.type === 'semver') return test({ [VERSION_ORDER[cond.op]]: cond.value.value });
      return test({ [ORDER[cond.op]]: literal(cond.value) });
    }
    case 'oneOf': {
      if (transform === 'len' || transform === 'upper' || cond.values.some((v) => v.type === 'semver')) {
        const alternatives: Condition = {
          kind: 'any',
          items: cond.values.map((value) => ({ kind: 'equals', subject: cond.subject, value, negated: false })),
        };
        const inner = toCondition(alternatives, plan);
        return cond.negated ? mergeAll([test({}), { $not: inner }]) : inner;
      }
      const op = transform === 'lower' ? (cond.negated ? '$nini' : '$ini') : cond.negated ? '$nin' : '$in';
      return test({ [op]: cond.values.map(literal) });
    }
    case 'contains': {
      const isList = cond.subject.fieldType === 'list<string>' || cond.subject.fieldType === 'list<integer>';
      if (isList) return test(negatable({ $elemMatch: { $eq: literal(cond.value) } }, cond.negated));
      return test(negatable({ $regex: textPattern(cond.subject, text(cond.value), 'contains', SYSTEM) }, cond.negated));
    }
    case 'affix': {
      return test(negatable({ $regex: textPattern(cond.subject, cond.value, cond.op, SYSTEM) }, cond.negated));
    }
    case 'matches': {
      checkPortablePattern(cond.pattern, SYSTEM, { file: cond.file, range: cond.range });
      if (transform) throw new ExportRefusal(`${SYSTEM} cannot match a pattern against ${transform}() of a text`, cond.subject);
      return test(negatable({ $regex: cond.pattern }, cond.negated));
    }
    default:
      return unreachable(cond);
  }
}

function negatable(ops: Cond, negated: boolean): Cond {
  return negated ? { $not: ops } : ops;
}

/** `len(x) op n`: `$size` for a list, a pattern over code points for a text. */
function lengthOps(fieldType: string, op: '==' | '<' | '<=' | '>' | '>=', value: ExportValue): Cond {
  const n = value.type === 'number' ? value.value : NaN;
  if (fieldType.startsWith('list<')) {
    return { $size: op === '==' ? n : { [ORDER[op]]: n } };
  }
  const [min, max] = lengthRange(op, n);
  return { $regex: lengthPattern(min, max) };
}

function literal(value: ExportValue): Json {
  return value.value;
}

function text(value: ExportValue): string {
  return String(value.value);
}
