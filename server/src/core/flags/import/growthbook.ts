/**
 * Import from GrowthBook's SDK payload: a feature's targeting (its force
 * rules in order, and the default) as a condition with GrowthBook's own
 * semantics, written as Segspec. GrowthBook reads a missing attribute as
 * null, and `null < 10` holds in JavaScript, so `{age: {$lt: 10}}` is
 * `age < 10 or age is missing`: for every test, what a missing attribute
 * gives is computed exactly as the SDK computes it, here.
 */
import type { Condition, ExportValue, Subject } from '../export/condition.js';
import { all, any } from '../export/condition.js';
import { negateAtom } from '../export/normalize.js';
import { checkPortablePattern } from '../export/regex.js';
import { ImportRefusal, type ImportedFlag } from './problems.js';
import type { AttributeFields, AttributeTypes } from './atoms.js';
import type { ColumnType } from '../../data/table.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SYSTEM = 'GrowthBook';

export function importGrowthbook(text: string, flagKey: string | undefined, types: AttributeTypes = new Map(), fields: AttributeFields = new Map()): ImportedFlag {
  let payload: { [key: string]: Json };
  try {
    payload = JSON.parse(text) as { [key: string]: Json };
  } catch (e) {
    throw new ImportRefusal(`the file is not JSON: ${(e as Error).message}`, '');
  }
  const features = objectAt(payload, 'features', '/features');
  const keys = Object.keys(features);
  const key = flagKey ?? (keys.length === 1 ? keys[0] : undefined);
  if (key === undefined) throw new ImportRefusal(`the file has ${keys.length} features; name one with --flag (${keys.slice(0, 10).join(', ')})`, '/features');
  if (!(key in features)) throw new ImportRefusal(`the file has no feature '${key}'`, '/features');
  const feature = asObject(features[key], `/features/${pointer(key)}`);
  const savedGroups = payload.savedGroups !== undefined ? objectAt(payload, 'savedGroups', '/savedGroups') : {};
  const reader = new ConditionReader(savedGroups, new Map([...fields].flatMap(([attribute, field]) => (types.has(field) ? [[attribute, types.get(field)!]] : []))), types);

  const rules = feature.rules === undefined ? [] : feature.rules;
  if (!Array.isArray(rules)) throw new ImportRefusal('`rules` is not a list', `/features/${pointer(key)}/rules`);
  // On: the first rule that applies forces a truthy value; no rule applies and the default is truthy.
  const onWhen: Condition[] = [];
  const earlier: Condition[] = [];
  rules.forEach((rule, i) => {
    const at = `/features/${pointer(key)}/rules/${i}`;
    const r = asObject(rule, at);
    for (const unsupported of ['coverage', 'range', 'filters', 'parentConditions', 'variations', 'namespace', 'hashAttribute', 'ranges', 'weights', 'tracks']) {
      if (r[unsupported] !== undefined) throw new ImportRefusal(`${SYSTEM}: rule ${i + 1} uses \`${unsupported}\` (a rollout or experiment), which a segment cannot express`, `${at}/${unsupported}`);
    }
    if (!('force' in r)) throw new ImportRefusal(`${SYSTEM}: rule ${i + 1} forces no value`, at);
    const cond = r.condition === undefined ? ({ kind: 'constant', value: true } as Condition) : reader.read(asObject(r.condition, `${at}/condition`), false, `${at}/condition`);
    if (truthy(r.force)) onWhen.push(all([cond, ...earlier.map((c) => reader.negate(c))]));
    earlier.push(cond);
  });
  if (truthy(feature.defaultValue ?? null)) onWhen.push(all(earlier.map((c) => reader.negate(c))));
  return { key, condition: any(onWhen), groups: reader.groups() };
}

class ConditionReader {
  /** Saved groups used, by id, with their condition (read once). */
  private readonly used = new Map<string, Condition>();
  private readonly reading = new Set<string>();

  constructor(
    private readonly savedGroups: { [key: string]: Json },
    private readonly renamed: AttributeTypes,
    private readonly fieldTypes: AttributeTypes,
  ) {}

  /** The type of the field that holds an attribute (attributes are written as their fields by importFlag). */
  private typeOf(attribute: string): ColumnType | undefined {
    return this.renamed.get(attribute) ?? this.fieldTypes.get(attribute);
  }

  groups(): Array<{ id: string; condition: Condition }> {
    return [...this.used.entries()].map(([id, condition]) => ({ id, condition }));
  }

  /**
   * The condition is false, with GrowthBook's two-valued logic: an attribute
   * test (which holds only for a present value) fails for a missing value or
   * a present one outside the relation.
   */
  negate(cond: Condition): Condition {
    switch (cond.kind) {
      case 'all':
        return any(cond.items.map((c) => this.negate(c)));
      case 'any': {
        // (missing or rel) is false exactly when present and not rel.
        const [first, second] = cond.items;
        if (cond.items.length === 2 && first.kind === 'present' && first.negated && second.kind !== 'all' && second.kind !== 'any' && second.kind !== 'constant' && second.kind !== 'segment' && second.kind !== 'present' && second.subject.attribute === first.subject.attribute) {
          return negateAtom(second, second.subject);
        }
        return all(cond.items.map((c) => this.negate(c)));
      }
      case 'constant':
        return { kind: 'constant', value: !cond.value };
      case 'segment':
      case 'present':
        return { ...cond, negated: !cond.negated };
      default:
        return any([{ kind: 'present', subject: cond.subject, negated: true }, negateAtom(cond, cond.subject)]);
    }
  }

  read(cond: { [key: string]: Json }, negated: boolean, at: string): Condition {
    const parts: Condition[] = [];
    for (const [k, v] of Object.entries(cond)) {
      const here = `${at}/${pointer(k)}`;
      switch (k) {
        case '$or':
        case '$nor':
        case '$and': {
          if (!Array.isArray(v)) throw new ImportRefusal(`\`${k}\` takes a list`, here);
          const items = v.map((c, i) => this.read(asObject(c, `${here}/${i}`), false, `${here}/${i}`));
          // GrowthBook: an empty $or holds (as does an empty $and).
          const or = items.length === 0 ? ({ kind: 'constant', value: true } as Condition) : any(items);
          parts.push(k === '$or' ? or : k === '$nor' ? this.negate(or) : all(items));
          break;
        }
        case '$not':
          parts.push(this.negate(this.read(asObject(v, here), false, here)));
          break;
        case '$savedGroup':
          parts.push(this.savedGroup(v, here));
          break;
        default:
          if (k.startsWith('$')) throw new ImportRefusal(`${SYSTEM}: \`${k}\` at the top of a condition is not something Segspec can read`, here);
          parts.push(this.attribute(k, v, here));
      }
    }
    const whole = all(parts);
    return negated ? this.negate(whole) : whole;
  }

  private savedGroup(ref: Json, at: string): Condition {
    const id = typeof ref === 'object' && ref !== null && !Array.isArray(ref) ? ref.id : undefined;
    if (typeof id !== 'string') throw new ImportRefusal('`$savedGroup` needs an `id`', at);
    if (typeof ref === 'object' && ref !== null && !Array.isArray(ref) && ref.attributeKey !== undefined) {
      throw new ImportRefusal(`${SYSTEM}: \`$savedGroup\` with \`attributeKey\` is not something Segspec can read`, at);
    }
    const entry = this.savedGroups[id];
    // An unknown group matches nobody.
    if (entry === undefined) return { kind: 'constant', value: false };
    const group = asObject(entry, `/savedGroups/${pointer(id)}`);
    if (group.type === 'list') {
      const key = group.attributeKey;
      if (typeof key !== 'string' || !Array.isArray(group.values)) throw new ImportRefusal('a list saved group needs `attributeKey` and `values`', `/savedGroups/${pointer(id)}`);
      return this.attribute(key, { $in: group.values }, `/savedGroups/${pointer(id)}`);
    }
    if (group.type !== 'condition') throw new ImportRefusal(`${SYSTEM}: saved group '${id}' has type ${JSON.stringify(group.type)}`, `/savedGroups/${pointer(id)}/type`);
    if (!this.used.has(id)) {
      if (this.reading.has(id)) throw new ImportRefusal(`saved group '${id}' refers to itself`, `/savedGroups/${pointer(id)}`);
      this.reading.add(id);
      const inner = this.read(asObject(group.condition ?? null, `/savedGroups/${pointer(id)}/condition`), false, `/savedGroups/${pointer(id)}/condition`);
      this.reading.delete(id);
      this.used.set(id, inner);
    }
    return { kind: 'segment', name: id, negated: false, file: '', range: NO_RANGE };
  }

  /** One attribute's test, two-valued: the relation for a present value, or what GrowthBook gives a missing one (null). */
  private attribute(key: string, test: Json, at: string): Condition {
    if (key.includes('.')) throw new ImportRefusal(`${SYSTEM}: the nested attribute path '${key}' is not something Segspec can read`, at);
    if (test === null) return presence(key, true);
    const type = this.typeOf(key);
    if (type === 'list<string>' || type === 'list<integer>') return this.listAttribute(key, type, test, at);
    if (typeof test === 'string' || typeof test === 'number' || typeof test === 'boolean') {
      // `value + "" === s`, `value * 1 === n`, `value !== null && !!value === b`: for null, "null" === s and 0 === n.
      const missing = typeof test === 'string' ? test === 'null' : typeof test === 'number' ? test === 0 : false;
      return this.typed(key, withMissing(key, missing, equals(key, test, false)), at);
    }
    if (Array.isArray(test) || !isOperatorObject(test)) throw new ImportRefusal(`${SYSTEM}: comparing '${key}' with a whole list or object is not something Segspec can read`, at);
    const parts: Condition[] = [];
    for (const [op, expected] of Object.entries(test)) parts.push(this.operator(key, op, expected, `${at}/${pointer(op)}`));
    return this.typed(key, all(parts), at);
  }

  /**
   * A date or date-time attribute reaches GrowthBook as its text (`YYYY-MM-DD`,
   * or ISO 8601 with milliseconds and `Z`), which it compares as text: the same
   * order as the dates when the condition's value is written the same way, so
   * such values become Segspec dates; any other text is refused.
   */
  private typed(key: string, cond: Condition, at: string): Condition {
    const type = this.typeOf(key);
    if (type !== 'date' && type !== 'datetime' && type !== 'semver') return cond;
    const convert = (v: ExportValue): ExportValue => {
      if (v.type === type || type === 'semver') return v;
      if (v.type === 'string') {
        if (type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(v.value) && new Date(`${v.value}T00:00:00Z`).toISOString().startsWith(v.value)) return { type: 'date', value: v.value };
        const ms = Date.parse(v.value);
        if (type === 'datetime' && Number.isFinite(ms) && new Date(ms).toISOString() === v.value) return { type: 'datetime', value: v.value, ms };
      }
      throw new ImportRefusal(`${SYSTEM}: '${key}' is a ${type === 'date' ? 'date' : 'date-time'}, which GrowthBook compares as text; ${JSON.stringify(v.value)} is not written as one (${type === 'date' ? 'YYYY-MM-DD' : 'YYYY-MM-DDTHH:MM:SS.mmmZ'})`, at);
    };
    const walk = (c: Condition): Condition => {
      switch (c.kind) {
        case 'all':
          return all(c.items.map(walk));
        case 'any':
          return any(c.items.map(walk));
        case 'equals':
        case 'contains':
          return { ...c, value: convert(c.value) };
        case 'order':
          return { ...c, value: convert(c.value) };
        case 'oneOf':
          return { ...c, values: c.values.map(convert) };
        case 'affix':
        case 'matches':
          throw new ImportRefusal(`${SYSTEM}: a pattern over the text of the ${{ date: 'date', datetime: 'date-time', semver: 'version' }[type]} attribute '${key}' is not something Segspec can write`, at);
        default:
          return c;
      }
    };
    return walk(cond);
  }

  /**
   * A test of a list attribute, as the SDK reads an array: `$in` holds when
   * some item is in the list (strict equality), `$nin` when none is (or the
   * list is missing), `$size` tests the number of items.
   */
  private listAttribute(key: string, type: 'list<string>' | 'list<integer>', test: Json, at: string): Condition {
    if (typeof test !== 'object' || test === null || Array.isArray(test) || !isOperatorObject(test)) {
      throw new ImportRefusal(`${SYSTEM}: comparing the list attribute '${key}' with a single value or a whole list is not something Segspec can read`, at);
    }
    const subject: Subject = { ...subjectOf(key), fieldType: type };
    const item = type === 'list<string>' ? 'string' : 'number';
    const parts: Condition[] = [];
    for (const [op, expected] of Object.entries(test)) {
      const here = `${at}/${pointer(op)}`;
      switch (op) {
        case '$in':
        case '$nin': {
          if (!Array.isArray(expected)) throw new ImportRefusal(`\`${op}\` takes a list`, here);
          const values = expected.filter((v): v is string | number => typeof v === item);
          const some = any(values.map((v) => ({ kind: 'contains', subject, value: valueOf(v), negated: false }) as Condition));
          if (op === '$in') parts.push(some);
          else parts.push(some.kind === 'constant' ? { kind: 'constant', value: true } : withMissing(key, true, negateAtom(some, subject)));
          break;
        }
        case '$size':
          parts.push(this.listSize(subject, expected, here));
          break;
        case '$not':
          parts.push(this.negate(this.listAttribute(key, type, expected, here)));
          break;
        case '$exists':
        case '$elemMatch':
        case '$all':
          parts.push(this.operator(key, op, expected, here));
          break;
        default:
          throw new ImportRefusal(`${SYSTEM}: \`${op}\` on the list attribute '${key}' is not something Segspec can read`, here);
      }
    }
    return all(parts);
  }

  /** `$size`: the number of items equals a number, or passes number comparisons; false for a missing list. */
  private listSize(list: Subject, expected: Json, at: string): Condition {
    const subject: Subject = { ...list, transform: 'len' };
    if (typeof expected === 'number') return { kind: 'equals', subject, value: valueOf(expected), negated: false };
    if (typeof expected !== 'object' || expected === null || Array.isArray(expected) || !isOperatorObject(expected)) {
      throw new ImportRefusal(`${SYSTEM}: \`$size\` other than a number or number comparisons is not something Segspec can read`, at);
    }
    const relation = { $lt: '<', $lte: '<=', $gt: '>', $gte: '>=' } as const;
    return all(
      Object.entries(expected).map(([op, n]): Condition => {
        if (typeof n !== 'number') throw new ImportRefusal(`${SYSTEM}: \`$size\` compares with numbers`, `${at}/${pointer(op)}`);
        if (op === '$eq' || op === '$ne') return { kind: 'equals', subject, value: valueOf(n), negated: op === '$ne' };
        if (op in relation) return { kind: 'order', subject, op: relation[op as keyof typeof relation], value: valueOf(n) };
        throw new ImportRefusal(`${SYSTEM}: \`${op}\` inside \`$size\` is not something Segspec can read`, `${at}/${pointer(op)}`);
      }),
    );
  }

  private operator(key: string, op: string, expected: Json, at: string): Condition {
    switch (op) {
      case '$eq':
      case '$ne': {
        const v = scalar(expected, at);
        const eq = equals(key, v, op === '$ne');
        return withMissing(key, op === '$ne', eq);
      }
      case '$lt':
      case '$lte':
      case '$gt':
      case '$gte': {
        const v = scalar(expected, at);
        if (typeof v === 'boolean') throw new ImportRefusal(`${SYSTEM}: ordering by a boolean is not something Segspec can read`, at);
        const relation = { $lt: '<', $lte: '<=', $gt: '>', $gte: '>=' } as const;
        // JavaScript compares null as 0 with a number, and never with a text that is not a number.
        const missing = compareNull(op, v);
        return withMissing(key, missing, { kind: 'order', subject: subjectOf(key), op: relation[op], value: valueOf(v) });
      }
      case '$in':
      case '$nin': {
        if (!Array.isArray(expected)) throw new ImportRefusal(`\`${op}\` takes a list`, at);
        const values = expected.map((x, i) => scalar(x, `${at}/${i}`));
        const inList: Condition = values.length === 0 ? { kind: 'constant', value: false } : { kind: 'oneOf', subject: subjectOf(key), values: values.map(valueOf), negated: false };
        // includes(null) is false: a missing value is not in the list (so it is in `$nin`).
        return op === '$in' ? inList : withMissing(key, true, negateAtom(inList, subjectOf(key)));
      }
      case '$exists':
        return presence(key, !expected);
      case '$regex': {
        if (typeof expected !== 'string') throw new ImportRefusal('`$regex` takes a text', at);
        try {
          checkPortablePattern(expected, SYSTEM, undefined);
        } catch (e) {
          throw new ImportRefusal((e as Error).message, at);
        }
        const missing = new RegExp(expected.replace(/([^\\])\//g, '$1\\/')).test('null');
        return withMissing(key, missing, { kind: 'matches', subject: subjectOf(key), pattern: expected, negated: false, file: '', range: NO_RANGE });
      }
      case '$elemMatch': {
        const inner = typeof expected === 'object' && expected !== null && !Array.isArray(expected) ? expected : undefined;
        const eq = inner && Object.keys(inner).length === 1 && '$eq' in inner ? inner.$eq : undefined;
        if (eq === undefined) throw new ImportRefusal(`${SYSTEM}: \`$elemMatch\` other than {$eq: value} is not something Segspec can read`, at);
        return { kind: 'contains', subject: subjectOf(key), value: valueOf(scalar(eq, `${at}/$eq`)), negated: false };
      }
      case '$all': {
        if (!Array.isArray(expected)) throw new ImportRefusal('`$all` takes a list', at);
        // No values: true for any list, false for a missing one.
        if (expected.length === 0) return presence(key, false);
        // isInAll: every expected value equals some item (with GrowthBook's loose equality for texts and numbers).
        return all(expected.map((x, i) => ({ kind: 'contains', subject: subjectOf(key), value: valueOf(scalar(x, `${at}/${i}`)), negated: false })));
      }
      case '$not': {
        const inner = this.attribute(key, expected, at);
        return this.negate(inner);
      }
      default:
        throw new ImportRefusal(`${SYSTEM}: the operator \`${op}\` is not something Segspec can read yet`, at);
    }
  }
}

const NO_RANGE = { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } };

function subjectOf(attribute: string): Subject {
  return { field: attribute, attribute, fieldType: 'string', file: '', range: NO_RANGE };
}

function presence(key: string, missing: boolean): Condition {
  return { kind: 'present', subject: subjectOf(key), negated: missing };
}

/** `rel` holds for present values; a missing one gives `missing`. */
function withMissing(key: string, missing: boolean, rel: Condition): Condition {
  return missing ? any([presence(key, true), rel]) : rel;
}

function equals(key: string, v: string | number | boolean, negated: boolean): Condition {
  return { kind: 'equals', subject: subjectOf(key), value: valueOf(v), negated };
}

function valueOf(v: string | number | boolean): ExportValue {
  if (typeof v === 'number') return { type: 'number', value: v };
  if (typeof v === 'boolean') return { type: 'boolean', value: v };
  return { type: 'string', value: v };
}

function scalar(v: Json, at: string): string | number | boolean {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new ImportRefusal(`${SYSTEM}: expected a text, number or boolean here`, at);
}

function compareNull(op: '$lt' | '$lte' | '$gt' | '$gte', v: string | number): boolean {
  const n = null as unknown as number;
  const x = v as number;
  switch (op) {
    case '$lt':
      return n < x;
    case '$lte':
      return n <= x;
    case '$gt':
      return n > x;
    case '$gte':
      return n >= x;
  }
}

function truthy(v: Json): boolean {
  return Boolean(v);
}

function isOperatorObject(v: { [key: string]: Json }): boolean {
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

function asObject(v: Json | undefined, at: string): { [key: string]: Json } {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v;
  throw new ImportRefusal('expected an object', at);
}

function objectAt(parent: { [key: string]: Json }, key: string, at: string): { [key: string]: Json } {
  return asObject(parent[key], at);
}

function pointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
