/**
 * Import from PostHog's local-evaluation response (`flags`, `cohorts`): who
 * gets a flag when posthog-node 5.74 evaluates it with `onlyEvaluateLocally`.
 * There a property the person lacks (or a value the SDK will not judge
 * locally: a regular expression over text outside ASCII) makes the match
 * inconclusive, and the SDK returns `undefined`, which an application reads
 * as "off". So a condition set gives the flag only when every one of its
 * filters decisively holds; the flag is on when some set does.
 *
 * Cohorts are three-valued (AND/OR over filters that hold, fail or cannot be
 * judged): each is written as the segment of the people decisively in it,
 * and, where a flag tests `not_in`, of those decisively outside it.
 *
 * Case: `exact` and `is_not` compare `toLowerCase()` of both sides (Segspec's
 * `lower`); `icontains` and the affix filters fold ASCII letters only (a
 * pattern with `[aA]` for each letter). Rollouts below 100%, variant
 * overrides, holdouts, experience continuity, group flags, flag
 * dependencies, relative dates and static cohorts are refused at their place.
 */
import type { ColumnType } from '../../data/table.js';
import { all, any, type Condition, type ExportValue, type Subject } from '../export/condition.js';
import { negateAtom } from '../export/normalize.js';
import { escapeRegex } from '../export/regex.js';
import { compilePattern } from '../../util/regex.js';
import { caretBounds, parseSemver, portableRegexClasses, relativeDate, tildeBounds, wildcardBounds } from '../systems/posthog-property.js';
import { asList, asObject, chooseKey, parseJson, pointer, subjectOf, valueOf, type AttributeFields, type AttributeTypes, type Json, type JsonObject } from './atoms.js';
import { ImportRefusal, type ImportedFlag } from './problems.js';

const SYSTEM = 'PostHog';
/** Values the SDK's local regex matching judges: ASCII without carriage returns. */
const LOCAL_TEXT = '^[\\x00-\\x0c\\x0e-\\x7f]*$';

/** A filter or cohort: the people for whom it decisively holds, and those for whom it decisively fails. */
interface Verdict {
  holds: Condition;
  fails: Condition;
}

type Semver = [number, number, number];

export function importPosthog(text: string, flagKey: string | undefined, options: { types?: AttributeTypes; context?: AttributeFields } = {}): ImportedFlag {
  const response = parseJson(text);
  const flags = asList(response.flags, '/flags');
  const keys = flags.map((f, i) => {
    const key = asObject(f, `/flags/${i}`).key;
    if (typeof key !== 'string') throw new ImportRefusal('a flag needs a `key`', `/flags/${i}/key`);
    return key;
  });
  const key = chooseKey(keys, flagKey, 'flag', '/flags');
  const index = keys.indexOf(key);
  const at = `/flags/${index}`;
  const flag = asObject(flags[index], at);
  const cohorts = response.cohorts === undefined || response.cohorts === null ? {} : asObject(response.cohorts, '/cohorts');
  const reader = new PosthogReader(cohorts, response.property_matching_version ?? null, options.types ?? new Map(), options.context ?? new Map());
  if (flag.active !== true) return { key, condition: { kind: 'constant', value: false }, groups: [] };
  if (flag.ensure_experience_continuity === true) throw refusal('experience continuity is decided by PostHog’s server, never locally', `${at}/ensure_experience_continuity`);
  if (flag.bucketing_identifier === 'device_id') throw refusal('bucketing by device id needs `$device_id`, which a person’s row does not hold', `${at}/bucketing_identifier`);
  const filters = flag.filters === undefined || flag.filters === null ? {} : asObject(flag.filters, `${at}/filters`);
  if (filters.aggregation_group_type_index !== undefined && filters.aggregation_group_type_index !== null) {
    throw refusal('a group flag (aggregated by group type) is not decided by a person’s properties', `${at}/filters/aggregation_group_type_index`);
  }
  if (filters.holdout !== undefined && filters.holdout !== null) throw refusal('a holdout is decided by a hash bucket, which a segment cannot express', `${at}/filters/holdout`);
  const groups = filters.groups === undefined || filters.groups === null ? [] : asList(filters.groups, `${at}/filters/groups`);
  const sets = groups.map((g, i) => {
    const groupAt = `${at}/filters/groups/${i}`;
    const group = asObject(g, groupAt);
    const rollout = group.rollout_percentage ?? null;
    if (rollout !== null && rollout !== 100) throw refusal(`a rollout to ${JSON.stringify(rollout)}% is decided by a hash bucket, which a segment cannot express`, `${groupAt}/rollout_percentage`);
    if (group.variant !== undefined && group.variant !== null) throw refusal('a variant override makes the served value depend on which condition set matched', `${groupAt}/variant`);
    if (group.aggregation_group_type_index !== undefined && group.aggregation_group_type_index !== null) {
      throw refusal('a condition set aggregated by group type is not decided by a person’s properties', `${groupAt}/aggregation_group_type_index`);
    }
    const properties = group.properties === undefined || group.properties === null ? [] : asList(group.properties, `${groupAt}/properties`);
    // In a flag's condition set, `negation` is not applied (only cohorts read it).
    return all(properties.map((p, j) => reader.filter(asObject(p, `${groupAt}/properties/${j}`), `${groupAt}/properties/${j}`, false).holds));
  });
  return { key, condition: any(sets), groups: reader.groups() };
}

function refusal(what: string, at: string): ImportRefusal {
  return new ImportRefusal(`${SYSTEM}: ${what}`, at);
}

class PosthogReader {
  private readonly used = new Map<string, Condition>();
  private readonly reading = new Set<string>();
  private readonly referenced = new Set<string>();

  constructor(
    private readonly cohorts: JsonObject,
    private readonly matchingVersion: Json,
    private readonly types: AttributeTypes,
    private readonly fields: AttributeFields,
  ) {}

  groups(): Array<{ id: string; condition: Condition }> {
    return [...this.used.entries()].filter(([id]) => this.referenced.has(id)).map(([id, condition]) => ({ id, condition }));
  }

  /** One filter (a person property or a cohort); `negation` applies inside cohorts only. */
  filter(property: JsonObject, at: string, readNegation: boolean): Verdict {
    const type = property.type ?? 'person';
    let verdict: Verdict;
    if (type === 'cohort') verdict = this.cohortFilter(property, at);
    else if (type === 'flag') throw refusal('a flag dependency is decided by another flag', `${at}/type`);
    else if (type !== 'person') throw refusal(`a \`${String(type)}\` property is not one of a person’s properties`, `${at}/type`);
    else verdict = this.personFilter(property, at);
    return readNegation && property.negation === true ? { holds: verdict.fails, fails: verdict.holds } : verdict;
  }

  private cohortFilter(property: JsonObject, at: string): Verdict {
    const id = String(property.value);
    if (!Object.prototype.hasOwnProperty.call(this.cohorts, id)) throw refusal(`cohort ${id} is not in the file’s \`cohorts\` (a static cohort, which only PostHog’s server evaluates)`, `${at}/value`);
    // Only the side a flag's condition set reads is written (a cohort inside a cohort may need both).
    const side = (name: string): Condition => this.cohortGroup(name, id, at);
    const inside = `cohort-${id}`;
    const outside = `outside-cohort-${id}`;
    const notIn = property.operator === 'not_in';
    return {
      get holds() {
        return side(notIn ? outside : inside);
      },
      get fails() {
        return side(notIn ? inside : outside);
      },
    };
  }

  /** A reference to the segment of those decisively in (or outside) a cohort, read once. */
  private cohortGroup(name: string, id: string, at: string): Condition {
    if (!this.used.has(name)) {
      if (this.reading.has(id)) throw refusal(`cohort ${id} refers to itself`, at);
      this.reading.add(id);
      const verdict = this.propertyGroup(this.cohorts[id], `/cohorts/${pointer(id)}`);
      this.reading.delete(id);
      this.used.set(`cohort-${id}`, verdict.holds);
      this.used.set(`outside-cohort-${id}`, verdict.fails);
    }
    this.referenced.add(name);
    return { kind: 'segment', name, negated: false, file: '', range: { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } } };
  }

  /** A cohort's AND/OR group, three-valued as the SDK's `matchCohort` reads it. */
  private propertyGroup(group: Json, at: string): Verdict {
    if (typeof group !== 'object' || group === null || Array.isArray(group) || Object.keys(group).length === 0) return constant(true);
    const kind = group.type === 'property' ? 'AND' : group.type;
    if (kind !== 'AND' && kind !== 'OR') throw refusal(`a cohort group of type ${JSON.stringify(group.type)} is evaluated only by PostHog’s server`, `${at}/type`);
    const values = group.values === undefined || group.values === null ? [] : asList(group.values, `${at}/values`);
    if (values.length === 0) return constant(kind === 'AND');
    const first = values[0];
    const nested = typeof first === 'object' && first !== null && !Array.isArray(first) && 'values' in first;
    const items = values.map((v, i) => (nested ? this.propertyGroup(v, `${at}/values/${i}`) : this.filter(asObject(v, `${at}/values/${i}`), `${at}/values/${i}`, true)));
    return kind === 'AND'
      ? { holds: all(items.map((v) => v.holds)), fails: any(items.map((v) => v.fails)) }
      : { holds: any(items.map((v) => v.holds)), fails: all(items.map((v) => v.fails)) };
  }

  private personFilter(property: JsonObject, at: string): Verdict {
    const attribute = property.key;
    if (typeof attribute !== 'string') throw refusal('a property filter needs a `key`', `${at}/key`);
    const operator = property.operator ?? 'exact';
    if (typeof operator !== 'string') throw refusal('`operator` must be a text', `${at}/operator`);
    const field = this.fields.get(attribute) ?? attribute;
    const subject = subjectOf(attribute, this.types.get(field) ?? inferredType(operator), field);
    const present: Condition = { kind: 'present', subject, negated: false };
    const value = property.value ?? null;
    const opAt = `${at}/operator`;
    const valueAt = `${at}/value`;
    const type = subject.fieldType;
    // A version reaches PostHog as its text, but Segspec's engine does not match patterns over a version's text.
    const textual = type === 'string' || type === 'enum';
    // For a present value: [decisively holds, decisively fails].
    const both = (holds: Condition): Verdict => ({ holds, fails: negateAtom(holds, subject) });
    switch (operator) {
      case 'is_set':
        // A missing property is inconclusive, never "not set".
        return { holds: present, fails: constant(false).holds };
      case 'is_not_set':
        return { holds: constant(false).holds, fails: present };
      case 'exact':
      case 'is_not': {
        const exact = this.exact(value, subject, valueAt, opAt);
        return operator === 'exact' ? exact : { holds: exact.fails, fails: exact.holds };
      }
      case 'icontains':
      case 'not_icontains':
      case 'starts_with':
      case 'not_starts_with':
      case 'ends_with':
      case 'not_ends_with': {
        if (!textual) throw refusal(`\`${operator}\` on the ${type} attribute '${attribute}' compares its text, which Segspec cannot write`, opAt);
        if (typeof value !== 'string' && typeof value !== 'number') throw refusal(`\`${operator}\` needs a text`, valueAt);
        const body = asciiCaseless(String(value));
        const place = operator.replace(/^not_/, '');
        const pattern = place === 'starts_with' ? `^${body}` : place === 'ends_with' ? `${body}$` : body;
        const holds: Condition = { kind: 'matches', subject, pattern, negated: false, file: '', range: subject.range };
        const verdict = both(holds);
        return operator.startsWith('not_') ? { holds: verdict.fails, fails: verdict.holds } : verdict;
      }
      case 'regex':
      case 'not_regex':
        return this.regex(operator, value, subject, valueAt, opAt);
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        if (type !== 'integer' && type !== 'number') throw refusal(`\`${operator}\` on the ${type} attribute '${attribute}' mixes number and text order, which Segspec cannot write`, opAt);
        const n = typeof value === 'number' ? value : parseFloat(String(value));
        if (!Number.isFinite(n)) throw refusal(`\`${operator}\` with a value that is not a number compares texts`, valueAt);
        const op = ({ gt: '>', gte: '>=', lt: '<', lte: '<=' } as const)[operator];
        return both({ kind: 'order', subject, op, value: valueOf(n) });
      }
      case 'is_date_before':
      case 'is_date_after':
        return both(this.dateOrder(operator, value, subject, valueAt, opAt));
      case 'semver_eq':
      case 'semver_neq':
      case 'semver_gt':
      case 'semver_gte':
      case 'semver_lt':
      case 'semver_lte':
      case 'semver_tilde':
      case 'semver_caret':
      case 'semver_wildcard':
        return both(this.semver(operator, value, subject, valueAt, opAt));
      default:
        throw refusal(`the operator \`${operator}\` is not one the SDK evaluates locally`, opAt);
    }
  }

  /** `exact`: both sides lower-cased (texts), or both read as truthy when the value is true/false. */
  private exact(value: Json, subject: Subject, valueAt: string, opAt: string): Verdict {
    const type = subject.fieldType;
    const items = Array.isArray(value) ? value : [value];
    const truthyOrFalsy = (v: Json): boolean => typeof v === 'boolean' || (typeof v === 'string' && ['true', 'false'].includes(v.toLowerCase())) || (Array.isArray(v) && v.every(truthyOrFalsy));
    const truthy = (v: Json): boolean => (typeof v === 'boolean' ? v : typeof v === 'string' ? v.toLowerCase() === 'true' : Array.isArray(v) && v.every(truthy));
    const byTruth = (this.matchingVersion !== 2 && truthyOrFalsy(value)) || (Array.isArray(value) && value.length === 0);
    if (byTruth) {
      // Compared as `isTruthy(value) === isTruthy(actual)`.
      const wanted = truthy(value);
      switch (type) {
        case 'boolean': {
          const holds: Condition = { kind: 'equals', subject, value: valueOf(wanted), negated: false };
          return { holds, fails: negateAtom(holds, subject) };
        }
        case 'string':
        case 'enum': {
          const lower: Subject = { ...subject, transform: 'lower' };
          const isTrue: Condition = { kind: 'equals', subject: lower, value: valueOf('true'), negated: false };
          const isNotTrue: Condition = { kind: 'equals', subject: lower, value: valueOf('true'), negated: true };
          return wanted ? { holds: isTrue, fails: isNotTrue } : { holds: isNotTrue, fails: isTrue };
        }
        default:
          throw refusal(`\`exact\` with true/false on the ${type} attribute '${subject.attribute}' is not something Segspec can write`, opAt);
      }
    }
    const texts = items.map((item, i) => {
      if (typeof item !== 'string') throw refusal('`exact` compares texts; this value is not one (the SDK cannot judge a whole number locally)', Array.isArray(value) ? `${valueAt}/${i}` : valueAt);
      return item.toLowerCase();
    });
    switch (type) {
      case 'string':
      case 'enum': {
        const lower: Subject = { ...subject, transform: 'lower' };
        const holds: Condition = texts.length === 0 ? constant(false).holds : { kind: 'oneOf', subject: lower, values: [...new Set(texts)].map(valueOf), negated: false };
        return { holds, fails: negateAtom(holds, { ...subject, transform: undefined }) };
      }
      case 'boolean': {
        // A boolean is compared as the text "true" / "false" (only under property_matching_version 2, or with other values).
        const values = [true, false].filter((b) => texts.includes(String(b)));
        const holds = any(values.map((b) => ({ kind: 'equals', subject, value: valueOf(b), negated: false }) as Condition));
        return { holds, fails: negateAtom(holds, subject) };
      }
      default:
        throw refusal(`\`exact\` compares the text of the ${type} attribute '${subject.attribute}' (and cannot judge a whole number locally), which Segspec cannot write`, opAt);
    }
  }

  private regex(operator: 'regex' | 'not_regex', value: Json, subject: Subject, valueAt: string, opAt: string): Verdict {
    if (subject.fieldType !== 'string' && subject.fieldType !== 'enum' && subject.fieldType !== 'semver') throw refusal(`\`${operator}\` on the ${subject.fieldType} attribute '${subject.attribute}' matches its text, which Segspec cannot write`, opAt);
    const pattern = String(value);
    const present: Condition = { kind: 'present', subject, negated: false };
    if (pattern === '') return operator === 'regex' ? { holds: present, fails: constant(false).holds } : { holds: constant(false).holds, fails: present };
    const problem = localPatternProblem(pattern);
    if (problem) throw refusal(problem, valueAt);
    const compiled = compilePattern(pattern);
    if (!compiled.ok) throw refusal(`the pattern has no Segspec (RE2) spelling: ${compiled.problem}`, valueAt);
    const judged: Condition = { kind: 'matches', subject, pattern: LOCAL_TEXT, negated: false, file: '', range: subject.range };
    const matches: Condition = { kind: 'matches', subject, pattern, negated: false, file: '', range: subject.range };
    const holds = all([judged, matches]);
    const fails = all([judged, { ...matches, negated: true }]);
    return operator === 'regex' ? { holds, fails } : { holds: fails, fails: holds };
  }

  private dateOrder(operator: 'is_date_before' | 'is_date_after', value: Json, subject: Subject, valueAt: string, opAt: string): Condition {
    if (typeof value === 'boolean' || value === null || typeof value === 'object') throw refusal(`\`${operator}\` needs a date`, valueAt);
    if (relativeDate(String(value), new Date()) !== null) throw refusal(`the relative date ${JSON.stringify(value)} moves with the clock; Segspec freezes dates only at the dataset's as-of date`, valueAt);
    const ms = new Date(value).getTime();
    if (!Number.isFinite(ms)) throw refusal(`${JSON.stringify(value)} is not a date the SDK reads`, valueAt);
    const before = operator === 'is_date_before';
    switch (subject.fieldType) {
      case 'datetime':
        return { kind: 'order', subject, op: before ? '<' : '>', value: { type: 'datetime', value: new Date(ms).toISOString(), ms } };
      case 'date': {
        // A date is its UTC midnight: before T is up to T's day (exclusive when T is that midnight); after T is after T's day.
        const day = new Date(ms).toISOString().slice(0, 10);
        const midnight = ms % 86_400_000 === 0;
        const dateValue: ExportValue = { type: 'date', value: day };
        return { kind: 'order', subject, op: before ? (midnight ? '<' : '<=') : '>', value: dateValue };
      }
      case 'integer':
      case 'number':
        return { kind: 'order', subject, op: before ? '<' : '>', value: valueOf(ms) };
      default:
        throw refusal(`\`${operator}\` on the ${subject.fieldType} attribute '${subject.attribute}' parses its text as a date, which Segspec cannot write`, opAt);
    }
  }

  /** PostHog compares versions by major.minor.patch only (a pre-release equals its release): ranges between `X.Y.Z-0` bounds. */
  private semver(operator: string, value: Json, subject: Subject, valueAt: string, opAt: string): Condition {
    if (subject.fieldType !== 'semver') throw refusal(`\`${operator}\` on the ${subject.fieldType} attribute '${subject.attribute}' parses its text as a version, which Segspec cannot write`, opAt);
    let lower: Semver;
    let upper: Semver;
    try {
      const text = String(value);
      if (operator === 'semver_tilde') ({ lower, upper } = tildeBounds(text));
      else if (operator === 'semver_caret') ({ lower, upper } = caretBounds(text));
      else if (operator === 'semver_wildcard') ({ lower, upper } = wildcardBounds(text));
      else {
        lower = parseSemver(text);
        upper = [lower[0], lower[1], lower[2] + 1];
      }
    } catch (e) {
      throw refusal(`${(e as Error).message} (the SDK cannot evaluate it locally)`, valueAt);
    }
    const atLeast = (v: Semver): Condition => ({ kind: 'order', subject, op: '>=', value: { type: 'semver', value: `${v.join('.')}-0` } });
    const below = (v: Semver): Condition => ({ kind: 'order', subject, op: '<', value: { type: 'semver', value: `${v.join('.')}-0` } });
    switch (operator) {
      case 'semver_eq':
      case 'semver_tilde':
      case 'semver_caret':
      case 'semver_wildcard':
        return all([atLeast(lower), below(upper)]);
      case 'semver_neq':
        return any([below(lower), atLeast(upper)]);
      case 'semver_gt':
        return atLeast(upper);
      case 'semver_gte':
        return atLeast(lower);
      case 'semver_lt':
        return below(lower);
      default:
        return below(upper);
    }
  }
}

function constant(value: boolean): Verdict {
  return { holds: { kind: 'constant', value }, fails: { kind: 'constant', value: !value } };
}

/** Each ASCII letter in both cases; everything else as written. */
function asciiCaseless(text: string): string {
  let out = '';
  for (const ch of text) out += /[A-Za-z]/.test(ch) ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : escapeRegex(ch);
  return out;
}

/**
 * Why a pattern would not be matched locally by the SDK, or mean something
 * else in RE2: text outside ASCII, look-around and flags, backreferences and
 * escapes the SDK sends to the server, `\s` (JavaScript's includes `\v`).
 */
function localPatternProblem(pattern: string): string | undefined {
  const classes = portableRegexClasses(pattern);
  if (classes === null) return 'the SDK leaves this pattern to PostHog’s server (outside ASCII, look-around, flags or escapes its local matcher does not read alike)';
  try {
    new RegExp(pattern);
    for (const cls of classes) new RegExp(cls, 'u');
  } catch {
    return 'the SDK cannot compile the pattern locally (it never matches it, or leaves it to the server)';
  }
  if (/\\[sS]/.test(pattern)) return 'a pattern with `\\s` (JavaScript’s includes a vertical tab, RE2’s does not) is not something Segspec can write exactly';
  return undefined;
}

function inferredType(operator: string): ColumnType {
  if (['gt', 'gte', 'lt', 'lte'].includes(operator)) return 'number';
  if (operator.startsWith('is_date_')) return 'datetime';
  if (operator.startsWith('semver_')) return 'semver';
  return 'string';
}
