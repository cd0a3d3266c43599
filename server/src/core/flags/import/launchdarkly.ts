/**
 * Import from LaunchDarkly's server-side SDK data (`flags`, `segments`): a
 * flag's individual targets, rules in order and fallthrough as one condition,
 * with `@launchdarkly/node-server-sdk` 9.13's semantics. A clause on a
 * missing attribute is false even when negated; a list attribute matches
 * when any item does; a value of the wrong type never matches (so a negated
 * clause holds for it). Segments become Segspec segments (included keys,
 * excluded keys, rules). What only a bucket decides (a rollout that is not
 * 0/100%, `bucketBy`, a segment rule's `weight`), prerequisites, big segments
 * and other context kinds are refused at their place in the file.
 *
 * "On" is what the flag check reads as on (systems/launchdarkly.ts): a
 * served `true` when every variation is a boolean, else any variation other
 * than the off variation served while the flag is on.
 */
import { all, any, type Condition, type ExportValue, type Subject } from '../export/condition.js';
import { checkPortablePattern } from '../export/regex.js';
import { negateAtom } from '../export/normalize.js';
import { compilePattern } from '../../util/regex.js';
import { semverOf } from '../systems/launchdarkly.js';
import type { ColumnType } from '../../data/table.js';
import { asList, asObject, chooseKey, parseJson, pointer, subjectOf, twoValuedNegation, valueOf, type AttributeFields, type AttributeTypes, type Json, type JsonObject } from './atoms.js';
import { ImportRefusal, type ImportedFlag } from './problems.js';
import { temporalOfText, textStartsWith } from './text-order.js';

const SYSTEM = 'LaunchDarkly';
const USER = 'user';
/** RFC 3339 date-times, as the SDK recognises them in `before` / `after`. */
const DATE_REGEX = /^\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d\d*)?(Z|[-+]\d\d(:\d\d)?)/;
/** A test the SDK reads as true or false, with its negation in the same two-valued logic. */
interface Test {
  holds: Condition;
  fails: Condition;
}

export function importLaunchdarkly(text: string, flagKey: string | undefined, options: { types?: AttributeTypes; context?: AttributeFields } = {}): ImportedFlag {
  const data = parseJson(text);
  const flags = asObject(data.flags, '/flags');
  const key = chooseKey(Object.keys(flags), flagKey, 'flag', '/flags');
  const at = `/flags/${pointer(key)}`;
  const flag = asObject(flags[key], at);
  const segments = data.segments === undefined ? {} : asObject(data.segments, '/segments');
  const reader = new LaunchdarklyReader(segments, options.types ?? new Map(), options.context ?? new Map());

  const variations = asList(flag.variations, `${at}/variations`);
  const offVariation = flag.offVariation ?? null;
  const allBoolean = variations.every((v) => typeof v === 'boolean');
  const served = (index: Json, where: string): number => {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= variations.length) {
      throw new ImportRefusal(`${SYSTEM}: the variation ${JSON.stringify(index)} is not one of the flag's ${variations.length} variations (the SDK would return the application's default)`, where);
    }
    return index;
  };
  const onWhenServed = (index: number): boolean => (allBoolean ? variations[index] === true : index !== offVariation);

  if (flag.on !== true) {
    if (flag.on !== false) throw new ImportRefusal('`on` must be true or false', `${at}/on`);
    const on = offVariation !== null && allBoolean && variations[served(offVariation, `${at}/offVariation`)] === true;
    return { key, condition: { kind: 'constant', value: on }, groups: reader.groups() };
  }
  const prerequisites = flag.prerequisites === undefined || flag.prerequisites === null ? [] : asList(flag.prerequisites, `${at}/prerequisites`);
  if (prerequisites.length > 0) throw new ImportRefusal(`${SYSTEM}: prerequisites (flag '${key}' depends on other flags) are not something a segment can express`, `${at}/prerequisites`);

  // The steps in the SDK's order: individual targets, rules, fallthrough; the first that applies serves.
  const steps: Array<{ test: Test; on: boolean }> = [];
  for (const target of targetsInOrder(flag, at)) {
    const keys = asList(target.values, `${target.at}/values`).map((v, i) => {
      if (typeof v !== 'string') throw new ImportRefusal('a target key must be a text', `${target.at}/values/${i}`);
      return v;
    });
    steps.push({ test: reader.keyIn(keys, `${target.at}/values`), on: onWhenServed(served(target.variation, `${target.at}/variation`)) });
  }
  const rules = flag.rules === undefined || flag.rules === null ? [] : asList(flag.rules, `${at}/rules`);
  rules.forEach((r, i) => {
    const ruleAt = `${at}/rules/${i}`;
    const rule = asObject(r, ruleAt);
    // The SDK skips a rule without clauses.
    if (rule.clauses === undefined || rule.clauses === null) return;
    const test = reader.allClauses(asList(rule.clauses, `${ruleAt}/clauses`), `${ruleAt}/clauses`);
    steps.push({ test, on: onWhenServed(servedBy(rule, ruleAt, served)) });
  });
  if (flag.fallthrough === undefined || flag.fallthrough === null) throw new ImportRefusal(`${SYSTEM}: the flag has no fallthrough (the SDK would return the application's default)`, `${at}/fallthrough`);
  const fallthroughOn = onWhenServed(servedBy(asObject(flag.fallthrough, `${at}/fallthrough`), `${at}/fallthrough`, served));

  const onWhen: Condition[] = [];
  const earlier: Condition[] = [];
  for (const step of steps) {
    if (step.on) onWhen.push(all([step.test.holds, ...earlier]));
    earlier.push(step.test.fails);
  }
  if (fallthroughOn) onWhen.push(all(earlier));
  return { key, condition: any(onWhen), groups: reader.groups() };
}

/** `targets`, or `contextTargets` (whose `user` entries stand for the `targets` entry with the same variation), in the SDK's order. */
function targetsInOrder(flag: JsonObject, at: string): Array<{ values: Json; variation: Json; at: string }> {
  const targets = flag.targets === undefined || flag.targets === null ? [] : asList(flag.targets, `${at}/targets`);
  const contextTargets = flag.contextTargets === undefined || flag.contextTargets === null ? [] : asList(flag.contextTargets, `${at}/contextTargets`);
  const userTarget = (t: Json, where: string): { values: Json; variation: Json; at: string } => {
    const o = asObject(t, where);
    if (o.contextKind !== undefined && o.contextKind !== USER) throw otherKind(o.contextKind, `${where}/contextKind`);
    return { values: o.values, variation: o.variation, at: where };
  };
  if (contextTargets.length === 0) return targets.map((t, i) => userTarget(t, `${at}/targets/${i}`));
  const out: Array<{ values: Json; variation: Json; at: string }> = [];
  contextTargets.forEach((t, i) => {
    const where = `${at}/contextTargets/${i}`;
    const o = asObject(t, where);
    if (o.contextKind !== undefined && o.contextKind !== USER) throw otherKind(o.contextKind, `${where}/contextKind`);
    const index = targets.findIndex((ut) => typeof ut === 'object' && ut !== null && !Array.isArray(ut) && ut.variation === o.variation);
    if (index >= 0) out.push(userTarget(targets[index], `${at}/targets/${index}`));
  });
  return out;
}

/** The variation a rule or the fallthrough serves: its `variation`, or the one variation a rollout gives all of its weight. */
function servedBy(vr: JsonObject, at: string, served: (index: Json, where: string) => number): number {
  if (vr.variation !== undefined && vr.variation !== null) return served(vr.variation, `${at}/variation`);
  if (vr.rollout === undefined || vr.rollout === null) throw new ImportRefusal(`${SYSTEM}: neither a variation nor a rollout (the SDK would return the application's default)`, at);
  const rollout = asObject(vr.rollout, `${at}/rollout`);
  if (rollout.bucketBy !== undefined) throw new ImportRefusal(`${SYSTEM}: a rollout by \`bucketBy\` is decided by a hash bucket, which a segment cannot express`, `${at}/rollout/bucketBy`);
  if (rollout.contextKind !== undefined && rollout.contextKind !== USER) throw otherKind(rollout.contextKind, `${at}/rollout/contextKind`);
  const items = asList(rollout.variations, `${at}/rollout/variations`);
  const full = items.flatMap((item, i) => {
    const o = asObject(item, `${at}/rollout/variations/${i}`);
    if (o.weight !== 0 && o.weight !== 100_000) {
      throw new ImportRefusal(`${SYSTEM}: a percentage rollout (weight ${JSON.stringify(o.weight)} of 100000) is decided by a hash bucket, which a segment cannot express`, `${at}/rollout/variations/${i}/weight`);
    }
    return o.weight === 100_000 ? [{ variation: o.variation, at: `${at}/rollout/variations/${i}/variation` }] : [];
  });
  if (full.length !== 1) throw new ImportRefusal(`${SYSTEM}: a rollout whose weights do not give one variation all 100000`, `${at}/rollout/variations`);
  return served(full[0].variation, full[0].at);
}

function otherKind(kind: Json, at: string): ImportRefusal {
  return new ImportRefusal(`${SYSTEM}: context kind \`${String(kind)}\` (Segspec reads single \`user\` contexts)`, at);
}

class LaunchdarklyReader {
  private readonly used = new Map<string, Condition>();
  private readonly reading = new Set<string>();

  constructor(
    private readonly segments: JsonObject,
    private readonly types: AttributeTypes,
    private readonly fields: AttributeFields,
  ) {}

  /** The attribute as a test's subject: the field that holds it, with that field's type when known. */
  private subject(attribute: string, inferred: () => ColumnType, at: string): Subject {
    const field = this.fields.get(attribute) ?? attribute;
    if (field === 'key') {
      throw new ImportRefusal(`${SYSTEM}: the context key is tested here; name the field that holds it with --context key=FIELD`, at);
    }
    return subjectOf(attribute, this.types.get(field) ?? inferred(), field);
  }

  groups(): Array<{ id: string; condition: Condition }> {
    return [...this.used.entries()].map(([id, condition]) => ({ id, condition }));
  }

  /** The context's key is one of `keys` (the SDK needs a key to evaluate at all). */
  keyIn(keys: string[], at: string): Test {
    if (keys.length === 0) return { holds: { kind: 'constant', value: false }, fails: { kind: 'constant', value: true } };
    const subject = this.subject('key', () => 'string', at);
    const holds: Condition = { kind: 'oneOf', subject, values: keys.map(valueOf), negated: false };
    return { holds, fails: negateAtom(holds, subject) };
  }

  allClauses(clauses: Json[], at: string): Test {
    const tests = clauses.map((c, i) => this.clause(asObject(c, `${at}/${i}`), `${at}/${i}`));
    return { holds: all(tests.map((t) => t.holds)), fails: any(tests.map((t) => t.fails)) };
  }

  private clause(clause: JsonObject, at: string): Test {
    const op = clause.op;
    if (typeof op !== 'string') throw new ImportRefusal('a clause needs an `op`', `${at}/op`);
    const values = asList(clause.values, `${at}/values`);
    const negate = clause.negate === true;
    if (op === 'segmentMatch') {
      const member = any(values.map((v, i) => this.segmentRef(v, `${at}/values/${i}`)));
      const notMember = twoValuedFlip(member);
      return negate ? { holds: notMember, fails: member } : { holds: member, fails: notMember };
    }
    if (clause.contextKind !== undefined && clause.contextKind !== USER) throw otherKind(clause.contextKind, `${at}/contextKind`);
    const attribute = attributeName(clause, at);
    const subject = this.subject(attribute, () => inferredType(op, values, at), `${at}/attribute`);
    // The clause for a present value; a missing one fails it, negated or not.
    const matches = this.matches(op, values, subject, at);
    const holds = negate ? negateAtom(matches, subject) : matches;
    return { holds, fails: twoValuedNegation(holds, subject) };
  }

  /** Some value of the clause matches the (present) attribute, element-wise for a list. */
  private matches(op: string, values: Json[], subject: Subject, at: string): Condition {
    const type = subject.fieldType;
    if (type === 'list<string>' || type === 'list<integer>') {
      if (op !== 'in') throw new ImportRefusal(`${SYSTEM}: \`${op}\` on the list attribute '${subject.attribute}' (any item matching) is not something Segspec can write`, `${at}/op`);
      const wanted = type === 'list<string>' ? 'string' : 'number';
      return any(values.filter((v) => typeof v === wanted).map((v) => ({ kind: 'contains', subject, value: valueOf(v as string | number), negated: false }) as Condition));
    }
    const never: Condition = { kind: 'constant', value: false };
    const isText = type === 'string' || type === 'enum';
    const isNumber = type === 'integer' || type === 'number';
    const strings = values.filter((v): v is string => typeof v === 'string');
    const numbers = values.filter((v): v is number => typeof v === 'number');
    switch (op) {
      case 'in': {
        if (type === 'boolean') return any([true, false].filter((b) => values.includes(b)).map((b) => ({ kind: 'equals', subject, value: valueOf(b), negated: false }) as Condition));
        if (type === 'datetime' || type === 'semver') {
          throw new ImportRefusal(`${SYSTEM}: \`in\` compares the text of '${subject.attribute}', which Segspec compares as a ${type === 'datetime' ? 'date-time' : 'version'}`, `${at}/op`);
        }
        if (type === 'date') {
          // The context holds the date as `YYYY-MM-DD`; another text never equals it.
          const days = strings.filter((v) => temporalOfText('date', v) !== undefined);
          return days.length === 0 ? never : { kind: 'oneOf', subject, values: days.map((v) => ({ type: 'date', value: v })), negated: false };
        }
        const same = isNumber ? numbers : strings;
        return same.length === 0 ? never : { kind: 'oneOf', subject, values: same.map(valueOf), negated: false };
      }
      case 'startsWith':
      case 'endsWith':
        if (type === 'date' && op === 'startsWith') return any(strings.map((prefix) => textStartsWith('date', subject, prefix)));
        if (type === 'date' || type === 'datetime' || type === 'semver') throw textOf(op, subject, at);
        if (!isText) return never;
        return any(strings.map((v) => ({ kind: 'affix', subject, op: op === 'startsWith' ? 'starts' : 'ends', value: v, negated: false }) as Condition));
      case 'contains':
        if (type === 'date' || type === 'datetime' || type === 'semver') throw textOf(op, subject, at);
        if (!isText) return never;
        return any(strings.map((v) => ({ kind: 'contains', subject, value: valueOf(v), negated: false }) as Condition));
      case 'matches':
        if (type === 'date' || type === 'datetime' || type === 'semver') throw textOf(op, subject, at);
        if (!isText) return never;
        return any(values.flatMap((v, i) => (typeof v === 'string' ? [this.pattern(v, subject, `${at}/values/${i}`)] : [])));
      case 'lessThan':
      case 'lessThanOrEqual':
      case 'greaterThan':
      case 'greaterThanOrEqual': {
        if (!isNumber) return never;
        const rel = ({ lessThan: '<', lessThanOrEqual: '<=', greaterThan: '>', greaterThanOrEqual: '>=' } as const)[op];
        return any(numbers.filter((n) => Number.isFinite(n)).map((n) => ({ kind: 'order', subject, op: rel, value: valueOf(n) }) as Condition));
      }
      case 'before':
      case 'after':
        return this.dateOrder(op, values, subject, at);
      case 'semVerEqual':
      case 'semVerLessThan':
      case 'semVerGreaterThan': {
        if (type !== 'semver') return never;
        const versions = values.flatMap((v) => {
          const parsed = semverOf(v);
          return parsed ? [parsed.version] : [];
        });
        if (versions.length === 0) return never;
        const tests = versions.map((version): Condition => {
          const value: ExportValue = { type: 'semver', value: version };
          if (op === 'semVerEqual') return { kind: 'equals', subject, value, negated: false };
          return { kind: 'order', subject, op: op === 'semVerLessThan' ? '<' : '>', value };
        });
        // A semver field holds only semver.org versions, which the SDK reads as they are.
        return any(tests);
      }
      default:
        throw new ImportRefusal(`${SYSTEM}: the clause operator \`${op}\` is not one Segspec reads (the SDK never matches an unknown operator)`, `${at}/op`);
    }
  }

  private dateOrder(op: 'before' | 'after', values: Json[], subject: Subject, at: string): Condition {
    const type = subject.fieldType;
    const instants = values.flatMap((v) => {
      const ms = typeof v === 'number' ? v : typeof v === 'string' && DATE_REGEX.test(v) ? Date.parse(v) : NaN;
      return Number.isFinite(ms) ? [ms] : [];
    });
    const rel = op === 'before' ? '<' : '>';
    // The SDK reads a number as epoch milliseconds and a text only as an RFC 3339 date-time (never `YYYY-MM-DD`).
    if (type === 'integer' || type === 'number') return any(instants.map((ms) => ({ kind: 'order', subject, op: rel, value: valueOf(ms) }) as Condition));
    if (type === 'date' || type === 'boolean') return { kind: 'constant', value: false };
    if (type !== 'datetime') throw new ImportRefusal(`${SYSTEM}: \`${op}\` on the text attribute '${subject.attribute}' (read as a date-time only when it is one) is not something Segspec can write`, `${at}/op`);
    return any(instants.map((ms) => ({ kind: 'order', subject, op: rel, value: { type: 'datetime', value: new Date(ms).toISOString(), ms } }) as Condition));
  }

  private pattern(pattern: string, subject: Subject, at: string): Condition {
    try {
      checkPortablePattern(pattern, SYSTEM, undefined);
    } catch (e) {
      throw new ImportRefusal((e as Error).message, at);
    }
    const compiled = compilePattern(pattern);
    if (!compiled.ok) throw new ImportRefusal(`${SYSTEM}: the pattern has no Segspec (RE2) spelling: ${compiled.problem}`, at);
    return { kind: 'matches', subject, pattern, negated: false, file: '', range: subject.range };
  }

  private segmentRef(value: Json, at: string): Condition {
    if (typeof value !== 'string') return { kind: 'constant', value: false };
    const key = value;
    // An unknown segment matches nobody.
    if (!Object.prototype.hasOwnProperty.call(this.segments, key)) return { kind: 'constant', value: false };
    if (!this.used.has(key)) {
      if (this.reading.has(key)) throw new ImportRefusal(`${SYSTEM}: segment '${key}' refers to itself (the SDK returns the application's default)`, at);
      this.reading.add(key);
      const condition = this.segment(asObject(this.segments[key], `/segments/${pointer(key)}`), `/segments/${pointer(key)}`);
      this.reading.delete(key);
      this.used.set(key, condition);
    }
    return { kind: 'segment', name: key, negated: false, file: '', range: NO_POSITION };
  }

  /** A segment's members: an included key, else not an excluded key and some rule matching. */
  private segment(segment: JsonObject, at: string): Condition {
    if (segment.unbounded === true) throw new ImportRefusal(`${SYSTEM}: a big segment is kept outside the SDK data and cannot be read offline`, `${at}/unbounded`);
    const keys = (list: 'included' | 'excluded', contexts: 'includedContexts' | 'excludedContexts'): string[] => {
      const out: string[] = [];
      const direct = segment[list] === undefined || segment[list] === null ? [] : asList(segment[list], `${at}/${list}`);
      const byKind = segment[contexts] === undefined || segment[contexts] === null ? [] : asList(segment[contexts], `${at}/${contexts}`);
      byKind.forEach((c, i) => {
        const o = asObject(c, `${at}/${contexts}/${i}`);
        if (o.contextKind !== undefined && o.contextKind !== USER) throw otherKind(o.contextKind, `${at}/${contexts}/${i}/contextKind`);
        out.push(...asList(o.values, `${at}/${contexts}/${i}/values`).filter((v): v is string => typeof v === 'string'));
      });
      out.push(...direct.filter((v): v is string => typeof v === 'string'));
      return out;
    };
    const included = this.keyIn(keys('included', 'includedContexts'), `${at}/included`);
    const excluded = this.keyIn(keys('excluded', 'excludedContexts'), `${at}/excluded`);
    const rules = segment.rules === undefined || segment.rules === null ? [] : asList(segment.rules, `${at}/rules`);
    const byRule = rules.map((r, i) => {
      const ruleAt = `${at}/rules/${i}`;
      const rule = asObject(r, ruleAt);
      if (rule.bucketBy !== undefined) throw new ImportRefusal(`${SYSTEM}: a segment rule with \`bucketBy\` is decided by a hash bucket, which a segment cannot express`, `${ruleAt}/bucketBy`);
      if (rule.weight !== undefined && rule.weight !== null && rule.weight !== 100_000) {
        throw new ImportRefusal(`${SYSTEM}: a segment rule with a weight (${JSON.stringify(rule.weight)} of 100000) is decided by a hash bucket, which a segment cannot express`, `${ruleAt}/weight`);
      }
      return this.allClauses(asList(rule.clauses, `${ruleAt}/clauses`), `${ruleAt}/clauses`).holds;
    });
    return any([included.holds, all([excluded.fails, any(byRule)])]);
  }
}

/** The context carries dates, date-times and versions as text, which Segspec compares as what they are. */
function textOf(op: string, subject: Subject, at: string): ImportRefusal {
  const what = { date: 'date', datetime: 'date-time', semver: 'version' }[subject.fieldType as 'date' | 'datetime' | 'semver'];
  return new ImportRefusal(`${SYSTEM}: \`${op}\` on the text of the ${what} attribute '${subject.attribute}' is not something Segspec can write`, `${at}/op`);
}

const NO_POSITION = { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } };

/** The negation of a condition over segment references and constants only (two-valued already). */
function twoValuedFlip(cond: Condition): Condition {
  switch (cond.kind) {
    case 'constant':
      return { kind: 'constant', value: !cond.value };
    case 'segment':
      return { ...cond, negated: !cond.negated };
    case 'any':
      return all(cond.items.map(twoValuedFlip));
    case 'all':
      return any(cond.items.map(twoValuedFlip));
    default:
      throw new Error('only segment references are flipped here');
  }
}

/** The attribute a clause reads: a plain name, or a one-part `/`-reference when the clause names its kind. */
function attributeName(clause: JsonObject, at: string): string {
  const raw = clause.attribute;
  if (typeof raw !== 'string') throw new ImportRefusal('a clause needs an `attribute`', `${at}/attribute`);
  let name = raw;
  if (clause.contextKind !== undefined && raw.startsWith('/')) {
    const parts = raw.slice(1).split('/');
    if (parts.length !== 1) throw new ImportRefusal(`${SYSTEM}: the nested attribute reference '${raw}' is not something Segspec can read`, `${at}/attribute`);
    name = parts[0].replace(/~1/g, '/').replace(/~0/g, '~');
  }
  if (name === 'kind' || name === 'anonymous') throw new ImportRefusal(`${SYSTEM}: the built-in attribute '${name}' is not a field Segspec can read`, `${at}/attribute`);
  return name;
}

/** Without the dataset's types, an attribute is taken to be of the type the operator reads. */
function inferredType(op: string, values: Json[], at: string): ColumnType {
  switch (op) {
    case 'lessThan':
    case 'lessThanOrEqual':
    case 'greaterThan':
    case 'greaterThanOrEqual':
      return 'number';
    case 'before':
    case 'after':
      return 'datetime';
    case 'semVerEqual':
    case 'semVerLessThan':
    case 'semVerGreaterThan':
      return 'semver';
    case 'in': {
      const kinds = new Set(values.map((v) => typeof v));
      if (kinds.size > 1) throw new ImportRefusal(`${SYSTEM}: \`in\` with values of several types; say which type the attribute has (run import in the workspace that declares it)`, `${at}/values`);
      return kinds.has('number') ? 'number' : kinds.has('boolean') ? 'boolean' : 'string';
    }
    default:
      return 'string';
  }
}
