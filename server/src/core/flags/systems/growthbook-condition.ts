/**
 * GrowthBook's targeting conditions (MongoDB-like), evaluated as the
 * JavaScript SDK 1.8 (`mongrule`) does, including its JavaScript coercions:
 * a missing attribute is `null`, `$lt`/`$gt` compare with JavaScript's `<`
 * (so `null < 25`), `$regex` is a JavaScript regular expression tested on the
 * value's string form, versions compare as padded strings.
 */

type Value = unknown;
type SavedGroups = Readonly<Record<string, unknown>>;

/** What the comparison operators do with mixed types is JavaScript's business; these casts keep its semantics. */
const lt = (a: Value, b: Value): boolean => (a as number) < (b as number);
const lte = (a: Value, b: Value): boolean => (a as number) <= (b as number);

const regexCache = new Map<string, RegExp>();

function regexOf(source: string, insensitive: boolean): RegExp {
  const cacheKey = `${source}${insensitive ? '/i' : ''}`;
  let regex = regexCache.get(cacheKey);
  if (!regex) {
    regex = new RegExp(source.replace(/([^\\])\//g, '$1\\/'), insensitive ? 'i' : undefined);
    regexCache.set(cacheKey, regex);
  }
  return regex;
}

function isObject(v: Value): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** GrowthBook's `paddedVersionString`: versions compare as strings with numeric parts padded. */
export function paddedVersionString(input: Value): string {
  let text: Value = typeof input === 'number' ? String(input) : input;
  if (!text || typeof text !== 'string') text = '0';
  const parts = (text as string).replace(/(^v|\+.*$)/g, '').split(/[-.]/);
  if (parts.length === 3) parts.push('~');
  return parts.map((v) => (/^[0-9]+$/.test(v) ? v.padStart(5, ' ') : v)).join('-');
}

function getPath(obj: Value, path: string): Value {
  let current: Value = obj;
  for (const part of path.split('.')) {
    if (current && typeof current === 'object' && part in current) current = (current as Record<string, unknown>)[part];
    else return null;
  }
  return current;
}

function isOperatorObject(obj: object): boolean {
  const keys = Object.keys(obj);
  return keys.length > 0 && keys.every((k) => k[0] === '$');
}

function typeName(v: Value): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return ['string', 'number', 'boolean', 'object', 'undefined'].includes(t) ? t : 'unknown';
}

function isIn(actual: Value, expected: readonly unknown[], insensitive = false): boolean {
  if (insensitive) {
    const fold = (v: Value): Value => (typeof v === 'string' ? v.toLowerCase() : v);
    if (Array.isArray(actual)) return actual.some((el) => expected.some((exp) => fold(el) === fold(exp)));
    return expected.some((exp) => fold(actual) === fold(exp));
  }
  if (Array.isArray(actual)) return actual.some((el) => expected.includes(el));
  return expected.includes(actual);
}

function savedGroupArrayValues(entry: Value): readonly unknown[] | null {
  if (entry === undefined) return [];
  if (Array.isArray(entry)) return entry;
  if (isObject(entry) && entry.type === 'list') return Array.isArray(entry.values) ? entry.values : null;
  return null;
}

function evalSavedGroup(obj: Value, reference: Value, groups: SavedGroups, visited: ReadonlySet<string>): boolean {
  if (!isObject(reference)) return false;
  const { id, attributeKey } = reference;
  if (typeof id !== 'string' || visited.has(id)) return false;
  if (attributeKey !== undefined && typeof attributeKey !== 'string') return false;
  const entry = groups[id];
  if (!isObject(entry)) return false;
  const next = new Set(visited).add(id);
  if (entry.type === 'list') {
    const key = attributeKey ?? entry.attributeKey;
    if (typeof key !== 'string' || !Array.isArray(entry.values)) return false;
    return isIn(getPath(obj, key), entry.values);
  }
  if (entry.type === 'condition') {
    if (!isObject(entry.condition)) return false;
    return evalCondition(obj, entry.condition, groups, next);
  }
  return false;
}

function elemMatch(actual: Value, expected: Value, groups: SavedGroups, visited: ReadonlySet<string>): boolean {
  if (!Array.isArray(actual)) return false;
  const operator = isObject(expected) && isOperatorObject(expected);
  for (const item of actual) {
    if ((item ?? null) === null) continue;
    const passes = operator
      ? evalConditionValue(expected, item, groups, false, visited)
      : evalCondition(item, expected as Record<string, unknown>, groups, visited);
    if (passes) return true;
  }
  return false;
}

function isInAll(actual: Value, expected: readonly unknown[], groups: SavedGroups, insensitive: boolean, visited: ReadonlySet<string>): boolean {
  if (!Array.isArray(actual)) return false;
  return expected.every((exp) => actual.some((item) => evalConditionValue(exp, item, groups, insensitive, visited)));
}

function evalOperator(operator: string, actual: Value, expected: Value, groups: SavedGroups, visited: ReadonlySet<string>): boolean {
  switch (operator) {
    case '$veq':
      return paddedVersionString(actual) === paddedVersionString(expected);
    case '$vne':
      return paddedVersionString(actual) !== paddedVersionString(expected);
    case '$vgt':
      return paddedVersionString(actual) > paddedVersionString(expected);
    case '$vgte':
      return paddedVersionString(actual) >= paddedVersionString(expected);
    case '$vlt':
      return paddedVersionString(actual) < paddedVersionString(expected);
    case '$vlte':
      return paddedVersionString(actual) <= paddedVersionString(expected);
    case '$eq':
      return actual === expected;
    case '$ne':
      return actual !== expected;
    case '$lt':
      return lt(actual, expected);
    case '$lte':
      return lte(actual, expected);
    case '$gt':
      return lt(expected, actual);
    case '$gte':
      return lte(expected, actual);
    case '$exists':
      return expected ? actual != null : actual == null;
    case '$in':
      return Array.isArray(expected) && isIn(actual, expected);
    case '$ini':
      return Array.isArray(expected) && isIn(actual, expected, true);
    case '$inGroup': {
      const values = savedGroupArrayValues(groups[expected as string]);
      return values === null ? false : isIn(actual, values);
    }
    case '$notInGroup': {
      const values = savedGroupArrayValues(groups[expected as string]);
      return values === null ? false : !isIn(actual, values);
    }
    case '$nin':
      return Array.isArray(expected) && !isIn(actual, expected);
    case '$nini':
      return Array.isArray(expected) && !isIn(actual, expected, true);
    case '$not':
      return !evalConditionValue(expected, actual, groups, false, visited);
    case '$size':
      return Array.isArray(actual) && evalConditionValue(expected, actual.length, groups, false, visited);
    case '$elemMatch':
      return elemMatch(actual, expected, groups, visited);
    case '$all':
      return Array.isArray(expected) && isInAll(actual, expected, groups, false, visited);
    case '$alli':
      return Array.isArray(expected) && isInAll(actual, expected, groups, true, visited);
    case '$regex':
    case '$regexi':
      try {
        return regexOf(expected as string, operator === '$regexi').test(actual as string);
      } catch {
        return false;
      }
    case '$type':
      return typeName(actual) === expected;
    default:
      return false;
  }
}

function evalConditionValue(condition: Value, value: Value, groups: SavedGroups, insensitive: boolean, visited: ReadonlySet<string>): boolean {
  if (typeof condition === 'string') {
    if (insensitive) return String(value).toLowerCase() === condition.toLowerCase();
    return String(value) === condition;
  }
  if (typeof condition === 'number') return (value as number) * 1 === condition;
  if (typeof condition === 'boolean') return value !== null && !!value === condition;
  if (condition === null) return value === null;
  if (Array.isArray(condition) || !isOperatorObject(condition as object)) return JSON.stringify(value) === JSON.stringify(condition);
  for (const op in condition as Record<string, unknown>) {
    if (!evalOperator(op, value, (condition as Record<string, unknown>)[op], groups, visited)) return false;
  }
  return true;
}

/** GrowthBook's `evalCondition(attributes, condition, savedGroups)`. */
export function evalCondition(obj: Value, condition: Readonly<Record<string, unknown>>, groups: SavedGroups, visited: ReadonlySet<string> = new Set()): boolean {
  for (const [k, v] of Object.entries(condition)) {
    switch (k) {
      case '$or':
        if (!evalOr(obj, v, groups, visited)) return false;
        break;
      case '$nor':
        if (evalOr(obj, v, groups, visited)) return false;
        break;
      case '$and':
        if (!(v as Record<string, unknown>[]).every((c) => evalCondition(obj, c, groups, visited))) return false;
        break;
      case '$not':
        if (evalCondition(obj, v as Record<string, unknown>, groups, visited)) return false;
        break;
      case '$savedGroup':
        if (!evalSavedGroup(obj, v, groups, visited)) return false;
        break;
      default:
        if (!evalConditionValue(v, getPath(obj, k), groups, false, visited)) return false;
    }
  }
  return true;
}

function evalOr(obj: Value, conditions: Value, groups: SavedGroups, visited: ReadonlySet<string>): boolean {
  const list = conditions as Record<string, unknown>[];
  if (!list.length) return true;
  return list.some((c) => evalCondition(obj, c, groups, visited));
}

const logicalKeys = new Set(['$or', '$nor', '$and', '$not']);

/**
 * The attributes a condition reads (the first part of each path), following
 * saved groups. `$regex` strings are returned for the reader to check.
 */
export function conditionAttributes(condition: Value, groups: SavedGroups, into: Set<string>, visited: Set<string> = new Set()): void {
  if (!isObject(condition)) return;
  for (const [k, v] of Object.entries(condition)) {
    if (logicalKeys.has(k)) {
      for (const c of Array.isArray(v) ? v : [v]) conditionAttributes(c, groups, into, visited);
    } else if (k === '$savedGroup') {
      if (!isObject(v) || typeof v.id !== 'string' || visited.has(v.id)) continue;
      visited.add(v.id);
      const entry = groups[v.id];
      if (!isObject(entry)) continue;
      const key = typeof v.attributeKey === 'string' ? v.attributeKey : entry.attributeKey;
      if (entry.type === 'list' && typeof key === 'string') into.add(key.split('.')[0]!);
      if (entry.type === 'condition') conditionAttributes(entry.condition, groups, into, visited);
    } else if (!k.startsWith('$')) {
      into.add(k.split('.')[0]!);
    }
  }
}
