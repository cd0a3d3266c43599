/**
 * Import from Unleash's client API response (`features`, `segments`): who
 * `unleash-client` 6.12 enables a feature for, as a condition. Strategies are
 * OR-ed, a strategy's constraints and segments AND-ed; each operator reads
 * the attribute as text (`String(v)`) and gives what the SDK gives for a
 * missing one (false, except NOT_IN), and `inverted` negates the whole test,
 * so an inverted constraint holds for a missing attribute.
 *
 * An attribute has its field's type when the caller knows the dataset
 * (`--dataset`); else it is read as a number where the feature orders it
 * with NUM_*, as a version with SEMVER_*, else as text. Each operator keeps
 * the SDK's semantics on the text of a typed value (`String(v)`: `true`, a
 * date `YYYY-MM-DD`, a date-time in ISO 8601, a list's items joined by
 * commas); what Segspec cannot say of that type is refused, naming the
 * operator and the type, rather than guessed.
 */
import { RE2JS } from 're2js';
import semverParse from 'semver/functions/parse.js';
import { all, any, type Condition, type ExportValue } from '../export/condition.js';
import { escapeRegex } from '../export/regex.js';
import { unreachable } from '../../util/unreachable.js';
import type { ColumnType } from '../../data/table.js';
import { unleashOperatorHolds, type UnleashConstraint } from '../systems/unleash.js';
import type { AttributeFields, AttributeTypes } from './atoms.js';
import { ImportRefusal, type ImportedFlag } from './problems.js';
import { temporalOfText, textStartsWith } from './text-order.js';
import { matches, negate, presence, segmentRef, subjectOf, withMissing } from './two-valued.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SYSTEM = 'Unleash';

const NUMERIC = new Set(['NUM_EQ', 'NUM_GT', 'NUM_GTE', 'NUM_LT', 'NUM_LTE']);
const SEMVER = new Set(['SEMVER_EQ', 'SEMVER_GT', 'SEMVER_LT', 'SEMVER_GTE', 'SEMVER_LTE']);
const TEXT = new Set(['IN', 'NOT_IN', 'STR_CONTAINS', 'STR_STARTS_WITH', 'STR_ENDS_WITH', 'REGEX']);
const DATES = new Set(['DATE_AFTER', 'DATE_BEFORE']);
/** Operators the SDK knows; any other one fails, inverted or not. */
const KNOWN = new Set([...NUMERIC, ...SEMVER, ...TEXT, ...DATES, 'IN_CIDR']);

const MATCHES_ANY = new Set(['', '^', '(?:)']);

/** JavaScript's `String.prototype.trim` white space, as an RE2 class. */
const WS = '[\\s\\x{0b}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}]';
const IDENTIFIER = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][a-zA-Z0-9-]*)';
/** node-semver's strict version syntax (FULL, without its leading `v?`). */
const STRICT_VERSION = `(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:-${IDENTIFIER}(?:\\.${IDENTIFIER})*)?(?:\\+[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*)?`;
/**
 * The texts the SDK takes for versions: `semver.valid(s)` (which trims) and
 * `!s.startsWith('v')`, so a `v` is allowed only after leading white space.
 */
const SDK_VERSION = `^(?:${WS}+v?)?${STRICT_VERSION}${WS}*$`;

/** How the SDK's text of an attribute reads: its field's type, or what the feature's operators say it is. */
type Kind = 'number' | 'semver' | 'text' | 'boolean' | 'date' | 'datetime' | 'list<string>' | 'list<integer>';

export interface UnleashImportOptions {
  /** The dataset's field types, by field name. */
  types?: AttributeTypes;
  /** Attribute → field, where the names differ. */
  context?: AttributeFields;
  /** The clock a context without `currentTime` is compared with. */
  now?: () => Date;
}

export function importUnleash(text: string, flagKey: string | undefined, options: UnleashImportOptions = {}): ImportedFlag {
  let response: JsonObject;
  try {
    response = asObject(JSON.parse(text) as Json, '');
  } catch (e) {
    if (e instanceof ImportRefusal) throw e;
    throw new ImportRefusal(`the file is not JSON: ${(e as Error).message}`, '');
  }
  const features = response.features;
  if (!Array.isArray(features)) throw new ImportRefusal(`${SYSTEM}: the file has no \`features\` list (a client API response)`, '/features');
  const names = features.map((f, i) => {
    const name = asObject(f, `/features/${i}`).name;
    if (typeof name !== 'string') throw new ImportRefusal(`${SYSTEM}: a feature needs a \`name\``, `/features/${i}/name`);
    return name;
  });
  const key = flagKey ?? (names.length === 1 ? names[0] : undefined);
  if (key === undefined) throw new ImportRefusal(`the file has ${names.length} features; name one with --flag (${names.slice(0, 10).join(', ')})`, '/features');
  const index = names.indexOf(key);
  if (index < 0) throw new ImportRefusal(`the file has no feature '${key}'`, '/features');
  return new FeatureReader(response, options).read(asObject(features[index], `/features/${index}`), `/features/${index}`, key);
}

interface UnleashSegment {
  /** The name of the Segspec segment it becomes. */
  name: string;
  constraints: Json[];
  at: string;
}

class FeatureReader {
  private readonly segments = new Map<number, UnleashSegment>();
  private readonly used = new Map<string, Condition>();
  /** How each attribute is read, with the first place that decided it. */
  private readonly kinds = new Map<string, { kind: 'number' | 'semver'; at: string }>();
  private readonly notes = new Set<string>();
  private readonly now: () => Date;
  private readonly types: AttributeTypes;
  private readonly fields: AttributeFields;

  constructor(response: JsonObject, options: UnleashImportOptions) {
    this.now = options.now ?? (() => new Date());
    this.types = options.types ?? new Map();
    this.fields = options.context ?? new Map();
    const list = response.segments ?? [];
    if (!Array.isArray(list)) throw new ImportRefusal(`${SYSTEM}: \`segments\` is not a list`, '/segments');
    const taken = new Set<string>();
    list.forEach((s, i) => {
      const at = `/segments/${i}`;
      const segment = asObject(s, at);
      if (typeof segment.id !== 'number') throw new ImportRefusal(`${SYSTEM}: a segment needs a numeric \`id\``, `${at}/id`);
      if (!Array.isArray(segment.constraints)) throw new ImportRefusal(`${SYSTEM}: a segment needs a \`constraints\` list`, `${at}/constraints`);
      let name = typeof segment.name === 'string' && segment.name !== '' ? segment.name : `segment_${segment.id}`;
      if (taken.has(name)) name = `${name}_${segment.id}`;
      taken.add(name);
      this.segments.set(segment.id, { name, constraints: segment.constraints, at });
    });
  }

  read(feature: JsonObject, at: string, key: string): ImportedFlag {
    const deps = feature.dependencies;
    if (Array.isArray(deps) && deps.length > 0) throw new ImportRefusal(`${SYSTEM}: the feature depends on other features (\`dependencies\`), which a segment cannot express`, `${at}/dependencies`);
    refuseVariants(feature.variants, `${at}/variants`, 'the feature serves variants');
    const strategies = feature.strategies;
    if (!Array.isArray(strategies)) throw new ImportRefusal(`${SYSTEM}: \`strategies\` is not a list (the SDK refuses the feature)`, `${at}/strategies`);
    this.collectKinds(strategies, `${at}/strategies`);
    let condition: Condition;
    if (feature.enabled !== true) condition = { kind: 'constant', value: false };
    else if (strategies.length === 0) condition = { kind: 'constant', value: true };
    else condition = any(strategies.map((s, i) => this.strategy(asObject(s, `${at}/strategies/${i}`), `${at}/strategies/${i}`)));
    const groups = [...this.used.entries()].map(([id, c]) => ({ id, condition: c }));
    return { key, condition, groups, ...(this.notes.size > 0 ? { notes: [...this.notes] } : {}) };
  }

  private strategy(s: JsonObject, at: string): Condition {
    const name = s.name;
    const params = s.parameters !== undefined && s.parameters !== null ? asObject(s.parameters, `${at}/parameters`) : {};
    refuseVariants(s.variants, `${at}/variants`, `strategy ${String(name)} serves variants`);
    let enabled: Condition;
    switch (name) {
      case 'default':
        enabled = { kind: 'constant', value: true };
        break;
      case 'flexibleRollout': {
        const percent = Number(params.rollout);
        const stickiness = typeof params.stickiness === 'string' && params.stickiness !== '' ? params.stickiness : 'default';
        if (!(percent > 0)) enabled = { kind: 'constant', value: false };
        else if (stickiness !== 'default') throw new ImportRefusal(`${SYSTEM}: flexibleRollout with stickiness \`${stickiness}\` gives the feature only to contexts that have it, bucketed; a segment cannot express that`, `${at}/parameters/stickiness`);
        // With `default` stickiness every context has an id (the SDK picks one at random when it lacks userId and sessionId), and every bucket is at most 100.
        else if (percent >= 100) enabled = { kind: 'constant', value: true };
        else throw new ImportRefusal(`${SYSTEM}: flexibleRollout at ${String(params.rollout)}% is a percentage rollout, which a segment cannot express (use segspec rollout)`, `${at}/parameters/rollout`);
        break;
      }
      case 'gradualRolloutUserId':
      case 'gradualRolloutSessionId': {
        const percent = Number(params.percentage);
        const id = name === 'gradualRolloutUserId' ? 'userId' : 'sessionId';
        if (!(percent > 0)) enabled = { kind: 'constant', value: false };
        else if (percent >= 100) enabled = { kind: 'equals', subject: subjectOf(id), value: { type: 'string', value: '' }, negated: true };
        else throw new ImportRefusal(`${SYSTEM}: ${name} at ${String(params.percentage)}% is a percentage rollout, which a segment cannot express (use segspec rollout)`, `${at}/parameters/percentage`);
        break;
      }
      case 'userWithId':
        throw new ImportRefusal(`${SYSTEM}: strategy \`userWithId\` lists user ids; write them as a segment on your key instead`, `${at}/name`);
      case 'remoteAddress':
        throw new ImportRefusal(`${SYSTEM}: strategy \`remoteAddress\` matches IP addresses, which Segspec does not read`, `${at}/name`);
      default:
        throw new ImportRefusal(`${SYSTEM}: strategy \`${String(name)}\` is not one Segspec can read (a custom strategy is code in the application)`, `${at}/name`);
    }
    const parts: Condition[] = [enabled];
    const constraints = s.constraints ?? [];
    if (!Array.isArray(constraints)) throw new ImportRefusal(`${SYSTEM}: \`constraints\` is not a list`, `${at}/constraints`);
    constraints.forEach((c, i) => parts.push(this.constraint(asObject(c, `${at}/constraints/${i}`), `${at}/constraints/${i}`)));
    const ids = s.segments ?? [];
    if (!Array.isArray(ids)) throw new ImportRefusal(`${SYSTEM}: \`segments\` is not a list`, `${at}/segments`);
    ids.forEach((id) => parts.push(this.segment(id)));
    return all(parts);
  }

  private segment(id: Json): Condition {
    const segment = typeof id === 'number' ? this.segments.get(id) : undefined;
    // The SDK reads an unknown segment as a constraint that fails.
    if (!segment) return { kind: 'constant', value: false };
    if (!this.used.has(segment.name)) {
      this.used.set(segment.name, all(segment.constraints.map((c, i) => this.constraint(asObject(c, `${segment.at}/constraints/${i}`), `${segment.at}/constraints/${i}`))));
    }
    return segmentRef(segment.name);
  }

  /** First pass: which attributes are numbers (NUM_*) and which versions (SEMVER_*), including through segments. */
  private collectKinds(strategies: Json[], at: string): void {
    const visit = (constraints: Json | undefined, where: string): void => {
      if (!Array.isArray(constraints)) return;
      constraints.forEach((c, i) => {
        if (typeof c !== 'object' || c === null || Array.isArray(c)) return;
        const op = c.operator;
        const attribute = c.contextName;
        if (typeof op !== 'string' || typeof attribute !== 'string') return;
        const kind = NUMERIC.has(op) ? 'number' : SEMVER.has(op) ? 'semver' : undefined;
        // A field's type, when known, says how its text reads.
        if (!kind || this.typeOf(attribute) !== undefined) return;
        const here = `${where}/${i}/operator`;
        const known = this.kinds.get(attribute);
        if (known && known.kind !== kind) {
          throw new ImportRefusal(`${SYSTEM}: '${attribute}' is compared as a ${known.kind === 'number' ? 'number' : 'version'} at ${known.at} and as a ${kind === 'number' ? 'number' : 'version'} here; one field cannot be both`, here);
        }
        if (!known) this.kinds.set(attribute, { kind, at: here });
      });
    };
    strategies.forEach((s, i) => {
      if (typeof s !== 'object' || s === null || Array.isArray(s)) return;
      visit(s.constraints ?? undefined, `${at}/${i}/constraints`);
      for (const id of Array.isArray(s.segments) ? s.segments : []) {
        const segment = typeof id === 'number' ? this.segments.get(id) : undefined;
        if (segment) visit(segment.constraints, `${segment.at}/constraints`);
      }
    });
  }

  private constraint(c: JsonObject, at: string): Condition {
    const op = c.operator;
    if (typeof op !== 'string') throw new ImportRefusal(`${SYSTEM}: a constraint needs an \`operator\``, `${at}/operator`);
    // The SDK fails a constraint with an operator it does not know, inverted or not.
    if (!KNOWN.has(op)) return { kind: 'constant', value: false };
    if (op === 'IN_CIDR') throw new ImportRefusal(`${SYSTEM}: constraint operator \`IN_CIDR\` (IP ranges) is not something Segspec can read`, `${at}/operator`);
    const attribute = c.contextName;
    if (typeof attribute !== 'string') throw new ImportRefusal(`${SYSTEM}: a constraint needs a \`contextName\``, `${at}/contextName`);
    const holds = this.operator(op, attribute, c, at);
    return c.inverted === true ? negate(holds) : holds;
  }

  private typeOf(attribute: string): ColumnType | undefined {
    return this.types.get(this.fields.get(attribute) ?? attribute);
  }

  private kindOf(attribute: string): Kind {
    const type = this.typeOf(attribute);
    if (type === undefined) return this.kinds.get(attribute)?.kind ?? 'text';
    switch (type) {
      case 'integer':
      case 'number':
        return 'number';
      case 'string':
      case 'enum':
        return 'text';
      case 'semver':
      case 'boolean':
      case 'date':
      case 'datetime':
      case 'list<string>':
      case 'list<integer>':
        return type;
      default:
        return unreachable(type);
    }
  }

  /** Why the field's type says the operator's reading of it is not something Segspec can write. */
  private typeRefusal(op: string, attribute: string, at: string): ImportRefusal {
    const type = this.typeOf(attribute);
    const known = this.kinds.get(attribute);
    const why = type !== undefined ? `the ${type} field '${attribute}'` : `'${attribute}', which this feature also compares as a ${known?.kind === 'semver' ? 'version' : 'number'} (${known?.at})`;
    const reads = NUMERIC.has(op) ? 'as a number' : SEMVER.has(op) ? 'as a version' : 'as text';
    return new ImportRefusal(`${SYSTEM}: ${op} reads the text of ${why} ${reads}, which Segspec cannot write for that type`, `${at}/operator`);
  }

  /** What the operator gives, before `inverted`, as a two-valued condition. */
  private operator(op: string, attribute: string, c: JsonObject, at: string): Condition {
    if (DATES.has(op)) return this.date(op, c, at);
    const kind = this.kindOf(attribute);
    switch (kind) {
      case 'boolean':
        return this.onBoolean(op, attribute, c, at);
      case 'date':
      case 'datetime':
        return this.onTemporal(op, attribute, kind, c, at);
      case 'list<string>':
      case 'list<integer>':
        return this.onList(op, attribute, kind, c, at);
      case 'number':
      case 'semver':
      case 'text':
        break;
      default:
        return unreachable(kind);
    }
    if (NUMERIC.has(op)) {
      if (kind !== 'number') throw this.typeRefusal(op, attribute, at);
      return this.numeric(op, attribute, c, at);
    }
    if (SEMVER.has(op)) {
      // `String(n)` of a number is never a version the SDK takes (it needs x.y.z).
      if (kind === 'number' && this.typeOf(attribute) !== undefined) return { kind: 'constant', value: false };
      if (kind !== 'semver') throw this.typeRefusal(op, attribute, at);
      return this.semver(op, attribute, c, at);
    }
    if (kind === 'number' && op !== 'IN' && op !== 'NOT_IN' && op !== 'REGEX') {
      if (cleanValues(c.values, `${at}/values`).includes('')) return presence(attribute, false);
      throw this.typeRefusal(op, attribute, at);
    }
    switch (op) {
      case 'IN':
      case 'NOT_IN': {
        const values = cleanValues(c.values, `${at}/values`);
        const isIn = this.isIn(attribute, kind, values, `${at}/values`);
        // A missing attribute is in no list.
        return op === 'IN' ? isIn : negate(isIn);
      }
      case 'STR_CONTAINS':
      case 'STR_STARTS_WITH':
      case 'STR_ENDS_WITH': {
        const place = op === 'STR_CONTAINS' ? 'contains' : op === 'STR_STARTS_WITH' ? 'starts' : 'ends';
        const insensitive = c.caseInsensitive === true;
        const values = cleanValues(c.values, `${at}/values`).map((v) => (insensitive ? v.toLocaleLowerCase() : v));
        // Any present text starts with, ends with and contains the empty text.
        if (values.includes('')) return presence(attribute, false);
        if (kind === 'semver' || insensitive) {
          const body = values.map((v) => `(?:${escapeRegex(v)})`).join('|');
          const pattern = place === 'starts' ? `^(?:${body})` : place === 'ends' ? `(?:${body})$` : body;
          if (kind === 'semver') {
            if (insensitive) throw new ImportRefusal(`${SYSTEM}: a case-insensitive ${op} on the version '${attribute}' is not something Segspec can write`, `${at}/caseInsensitive`);
            return matches(attribute, pattern, 'semver');
          }
          // lower() is the SDK's toLocaleLowerCase (the same outside Turkish, Azeri and Lithuanian locales).
          const subject = subjectOf(attribute, 'string', 'lower');
          return any(values.map((v) => (place === 'contains' ? { kind: 'contains', subject, value: text(v), negated: false } : { kind: 'affix', subject, op: place, value: v, negated: false })));
        }
        const subject = subjectOf(attribute);
        return any(values.map((v) => (place === 'contains' ? { kind: 'contains', subject, value: text(v), negated: false } : { kind: 'affix', subject, op: place, value: v, negated: false })));
      }
      case 'REGEX': {
        const source = typeof c.value === 'string' ? c.value : undefined;
        if (source === undefined) return { kind: 'constant', value: false };
        // A pattern that finds a match in every text only asks for a value (the export's presence test).
        if (MATCHES_ANY.has(source)) return presence(attribute, false);
        if (kind === 'number') throw this.typeRefusal(op, attribute, at);
        const pattern = c.caseInsensitive === true ? `(?i)${source}` : source;
        try {
          RE2JS.compile(pattern);
        } catch {
          // The SDK catches the error and fails the constraint.
          return { kind: 'constant', value: false };
        }
        return matches(attribute, pattern, kind === 'semver' ? 'semver' : 'string');
      }
      default:
        throw new ImportRefusal(`${SYSTEM}: the operator \`${op}\` is not something Segspec can read`, `${at}/operator`);
    }
  }

  /** A boolean's text is `true` or `false`: the operator asked about each (the SDK's own reading, systems/unleash.ts). */
  private onBoolean(op: string, attribute: string, c: JsonObject, at: string): Condition {
    // A missing value is in no list: NOT_IN holds for it, as for every value IN misses.
    if (op === 'NOT_IN') return negate(this.onBoolean('IN', attribute, c, at));
    if (TEXT.has(op) && op !== 'REGEX') cleanValues(c.values, `${at}/values`);
    const constraint = { ...c, contextName: attribute, operator: op, inverted: false } as unknown as UnleashConstraint;
    const subject = subjectOf(attribute, 'boolean');
    const holds = [true, false].filter((b) => unleashOperatorHolds(constraint, { [attribute]: b }));
    if (holds.length === 2) return presence(attribute, false);
    return any(holds.map((b): Condition => ({ kind: 'equals', subject, value: { type: 'boolean', value: b }, negated: false })));
  }

  /** A date's text is `YYYY-MM-DD`, a date-time's ISO 8601 with milliseconds and `Z`: equality and prefixes are ranges of them. */
  private onTemporal(op: string, attribute: string, type: 'date' | 'datetime', c: JsonObject, at: string): Condition {
    // Neither text is a number (Number() gives NaN) or a version the SDK takes.
    if (NUMERIC.has(op) || SEMVER.has(op)) return { kind: 'constant', value: false };
    const subject = subjectOf(attribute, type);
    if (op === 'REGEX') {
      if (typeof c.value === 'string' && MATCHES_ANY.has(c.value)) return presence(attribute, false);
      throw this.typeRefusal(op, attribute, at);
    }
    const values = cleanValues(c.values, `${at}/values`);
    if (op === 'IN' || op === 'NOT_IN') {
      const hits = [...new Set(values)].flatMap((v) => temporalOfText(type, v) ?? []);
      const isIn: Condition = hits.length === 0 ? { kind: 'constant', value: false } : { kind: 'oneOf', subject, values: hits, negated: false };
      return op === 'IN' ? isIn : negate(isIn);
    }
    if (values.includes('')) return presence(attribute, false);
    if (op !== 'STR_STARTS_WITH') throw this.typeRefusal(op, attribute, at);
    // Case-insensitive, the text's only letters (a date-time's T and Z) match t and z.
    const prefixes = c.caseInsensitive === true ? values.map((v) => v.toLocaleLowerCase().replace(/t/g, 'T').replace(/z/g, 'Z')) : values;
    return any(prefixes.map((p) => textStartsWith(type, subject, p)));
  }

  /** A list's text is its items joined by commas. */
  private onList(op: string, attribute: string, type: 'list<string>' | 'list<integer>', c: JsonObject, at: string): Condition {
    const subject = subjectOf(attribute, type);
    const item = (t: string): ExportValue | undefined =>
      type === 'list<string>' ? text(t) : String(Number(t)) === t && Number.isSafeInteger(Number(t)) ? { type: 'number', value: Number(t) } : undefined;
    if (op === 'REGEX') {
      const source = typeof c.value === 'string' ? c.value : undefined;
      if (source !== undefined && MATCHES_ANY.has(source)) return presence(attribute, false);
      // How export writes `contains` for Unleash: the item between commas or the ends of the text.
      const inner = source === undefined || c.caseInsensitive === true ? undefined : /^\(\?:\^\|,\)([\s\S]+)\(\?:,\|\$\)$/.exec(source)?.[1];
      const literal = inner?.replace(/\\([\s\S])/g, '$1');
      const wanted = literal !== undefined && escapeRegex(literal) === inner && !literal.includes(',') ? item(literal) : undefined;
      if (wanted === undefined) throw this.typeRefusal(op, attribute, at);
      this.notes.add(`${at}: the SDK reads '${attribute}' as its items joined by commas; written as an item test, which differs only for an item that itself holds a comma`);
      return { kind: 'contains', subject, value: wanted, negated: false };
    }
    if (NUMERIC.has(op) || SEMVER.has(op)) throw this.typeRefusal(op, attribute, at);
    const values = cleanValues(c.values, `${at}/values`);
    if (op === 'IN' || op === 'NOT_IN') {
      // The text equals a value without a comma exactly for the one-item list holding it.
      const one: Condition[] = [];
      for (const v of new Set(values)) {
        if (v.includes(',')) throw new ImportRefusal(`${SYSTEM}: ${op} with '${v}' asks for the whole list '${attribute}' as a text of several items, which Segspec cannot write`, `${at}/values`);
        const wanted = item(v);
        if (wanted) one.push(all([{ kind: 'equals', subject: { ...subject, transform: 'len' }, value: { type: 'number', value: 1 }, negated: false }, { kind: 'contains', subject, value: wanted, negated: false }]));
      }
      const isIn = any(one);
      return op === 'IN' ? isIn : negate(isIn);
    }
    if (values.includes('')) return presence(attribute, false);
    throw this.typeRefusal(op, attribute, at);
  }

  private isIn(attribute: string, kind: 'number' | 'semver' | 'text', values: string[], at: string): Condition {
    if (kind === 'semver') {
      if (values.length === 0) return { kind: 'constant', value: false };
      return matches(attribute, `^(?:${values.map(escapeRegex).join('|')})$`, 'semver');
    }
    if (kind === 'number') {
      // `String(n) === v` holds for a number n only when v is n's own spelling.
      const numbers = [...new Set(values.filter((v) => String(Number(v)) === v && Number.isFinite(Number(v))).map(Number))];
      numbers.forEach((n) => checkNumber(n, at));
      if (numbers.length === 0) return { kind: 'constant', value: false };
      return { kind: 'oneOf', subject: subjectOf(attribute, 'number'), values: numbers.map((n) => ({ type: 'number', value: n })), negated: false };
    }
    const distinct = [...new Set(values)];
    if (distinct.length === 0) return { kind: 'constant', value: false };
    return { kind: 'oneOf', subject: subjectOf(attribute), values: distinct.map(text), negated: false };
  }

  private numeric(op: string, attribute: string, c: JsonObject, at: string): Condition {
    const value = Number(c.value);
    // Number(undefined) and Number("abc") are NaN: the SDK fails the constraint (and so for a missing attribute).
    if (Number.isNaN(value)) return { kind: 'constant', value: false };
    checkNumber(value, `${at}/value`);
    const subject = subjectOf(attribute, 'number');
    const v: ExportValue = { type: 'number', value };
    switch (op) {
      case 'NUM_EQ':
        return { kind: 'equals', subject, value: v, negated: false };
      case 'NUM_GT':
        return { kind: 'order', subject, op: '>', value: v };
      case 'NUM_GTE':
        return { kind: 'order', subject, op: '>=', value: v };
      case 'NUM_LT':
        return { kind: 'order', subject, op: '<', value: v };
      default:
        return { kind: 'order', subject, op: '<=', value: v };
    }
  }

  private semver(op: string, attribute: string, c: JsonObject, at: string): Condition {
    // semver.eq/lt/gt throw on an expected value that is not a version; the SDK then fails the constraint.
    const expected = typeof c.value === 'string' ? semverParse(c.value) : null;
    if (!expected) return { kind: 'constant', value: false };
    const v: ExportValue = { type: 'semver', value: `${expected.major}.${expected.minor}.${expected.patch}${expected.prerelease.length > 0 ? `-${expected.prerelease.join('.')}` : ''}` };
    if (!Number.isSafeInteger(expected.major) || !Number.isSafeInteger(expected.minor) || !Number.isSafeInteger(expected.patch)) {
      throw new ImportRefusal(`${SYSTEM}: the version ${String(c.value)} is too large to compare exactly`, `${at}/value`);
    }
    const subject = subjectOf(attribute, 'semver');
    // Only texts the SDK takes for versions compare; Segspec's own version syntax is looser (`v1.2`), so the SDK's is tested first.
    const valid = matches(attribute, SDK_VERSION, 'semver');
    const relation: Condition =
      op === 'SEMVER_EQ'
        ? all([{ kind: 'order', subject, op: '>=', value: v }, { kind: 'order', subject, op: '<=', value: v }])
        : op === 'SEMVER_GT'
          ? { kind: 'order', subject, op: '>', value: v }
          : op === 'SEMVER_LT'
            ? { kind: 'order', subject, op: '<', value: v }
            : op === 'SEMVER_GTE'
              ? { kind: 'order', subject, op: '>=', value: v }
              : { kind: 'order', subject, op: '<=', value: v };
    return all([valid, relation]);
  }

  /** DATE_AFTER / DATE_BEFORE compare the context's `currentTime` (else the clock) with the value; `contextName` plays no part. */
  private date(op: string, c: JsonObject, at: string): Condition {
    const ms = typeof c.value === 'string' || typeof c.value === 'number' ? new Date(c.value).getTime() : NaN;
    if (Number.isNaN(ms)) return { kind: 'constant', value: false };
    const value: ExportValue = { type: 'datetime', value: new Date(ms).toISOString(), ms };
    const subject = subjectOf('currentTime', 'datetime');
    const relation: Condition = { kind: 'order', subject, op: op === 'DATE_AFTER' ? '>' : '<', value };
    // Without `currentTime` the SDK compares the moment of evaluation: written as its value now, at import.
    const nowMs = this.now().getTime();
    this.notes.add(`${at}: a context without currentTime is compared with the time of this import (${new Date(nowMs).toISOString()}); the SDK uses the time of each evaluation`);
    return withMissing('currentTime', op === 'DATE_AFTER' ? nowMs > ms : nowMs < ms, relation);
  }
}

function refuseVariants(variants: Json | undefined, at: string, what: string): void {
  if (Array.isArray(variants) && variants.length > 0) {
    throw new ImportRefusal(`${SYSTEM}: ${what}; a segment says only who gets the feature, not which variant`, at);
  }
}

/** The SDK's `cleanValues`: empty values dropped, the rest trimmed. */
function cleanValues(values: Json | undefined, at: string): string[] {
  if (!Array.isArray(values)) throw new ImportRefusal(`${SYSTEM}: the constraint needs a \`values\` list (the SDK fails without one)`, at);
  return values.map((v, i) => {
    if (typeof v !== 'string') throw new ImportRefusal(`${SYSTEM}: constraint values are texts`, `${at}/${i}`);
    return v;
  }).filter((v) => !!v).map((v) => v.trim());
}

function checkNumber(n: number, at: string): void {
  if (!/^-?\d+(\.\d+)?$/.test(String(n))) throw new ImportRefusal(`${SYSTEM}: the number ${String(n)} has no Segspec spelling`, at);
}

function text(value: string): ExportValue {
  return { type: 'string', value };
}

function asObject(v: Json | undefined, at: string): JsonObject {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v;
  throw new ImportRefusal('expected an object', at);
}

