/**
 * Export to LaunchDarkly's server-side SDK data (`flags`, `segments`): one
 * boolean flag whose rules (an OR of rules, each an AND of clauses) are the
 * segment in disjunctive form; referenced segments become LaunchDarkly
 * segments matched with `segmentMatch` (negated for `not`).
 *
 * A clause on an absent attribute is false even when negated, so negated
 * clauses need no guard. LaunchDarkly has no existence operator: "present" is
 * a negated `in` with no values, "missing" a negated match of a helper
 * segment holding that test. Numbers order with `lessThan`…, date-times with
 * `before`/`after` on epoch milliseconds, dates with `startsWith` over the
 * prefixes that cover the range (prefix-cover.ts); texts have no order.
 */
import { disjunctiveForm, type AtomCondition, type Condition, type ExportValue, type Subject } from './condition.js';
import type { ExportPlan } from './plan.js';
import { ExportRefusal } from './problems.js';
import { checkPortablePattern, lengthPattern, lengthRange } from './regex.js';
import { textPattern } from './case-pattern.js';
import { orderPrefixes } from './prefix-cover.js';
import { launchdarklyWeight } from '../rollout.js';
import { unreachable } from '../../util/unreachable.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Clause = { [key: string]: Json };

const SYSTEM = 'LaunchDarkly';

export function launchdarklyDocument(plan: ExportPlan): Json {
  const helperSegments = new Map<string, Json>();
  const emitter = new ClauseEmitter(plan, helperSegments);
  const segments: { [key: string]: Json } = {};
  for (const { name, condition } of plan.segments) {
    segments[name] = segment(name, emitter.rules(condition, name).map((clauses, i) => ({ id: `${name}-${i}`, clauses })));
  }
  const variationOn: { [key: string]: Json } = plan.rolloutPercent === undefined
    ? { variation: 1 }
    : {
        rollout: {
          variations: [
            { variation: 1, weight: launchdarklyWeight(plan.rolloutPercent) },
            { variation: 0, weight: 100_000 - launchdarklyWeight(plan.rolloutPercent) },
          ],
          bucketBy: 'key',
          ...(plan.seed !== undefined ? { seed: Number(plan.seed) } : {}),
        },
      };
  const rules: Json[] = emitter.rules(plan.root, plan.segment).map((clauses, i) => ({ id: `${plan.flagKey}-${i}`, clauses, ...variationOn }));
  for (const [key, value] of helperSegments) segments[key] = value;
  const document: { [key: string]: Json } = {
    flags: {
      [plan.flagKey]: {
        key: plan.flagKey,
        version: 1,
        on: true,
        salt: plan.salt ?? plan.flagKey,
        variations: [false, true],
        offVariation: 0,
        fallthrough: { variation: 0 },
        targets: [],
        contextTargets: [],
        prerequisites: [],
        rules,
        trackEvents: false,
        trackEventsFallthrough: false,
        clientSideAvailability: { usingMobileKey: false, usingEnvironmentId: false },
      },
    },
  };
  if (Object.keys(segments).length > 0) document.segments = segments;
  return document;
}

function segment(key: string, rules: Json[]): Json {
  return { key, version: 1, salt: key, included: [], excluded: [], includedContexts: [], excludedContexts: [], rules, unbounded: false };
}

class ClauseEmitter {
  constructor(
    private readonly plan: ExportPlan,
    private readonly helpers: Map<string, Json>,
  ) {}

  /** The rules (each a list of clauses) of a condition. */
  rules(cond: Condition, owner: string): Clause[][] {
    const rules = disjunctiveForm(expandForClauses(cond));
    if (!rules) throw new ExportRefusal(`${SYSTEM}: the rule of '${owner}' has too many alternatives to write as LaunchDarkly rules (over 200 after distributing 'and' over 'or')`);
    return rules.map((atoms) => atoms.map((a) => this.clause(a)));
  }

  private clause(cond: AtomCondition): Clause {
    if (cond.kind === 'segment') return { attribute: 'segmentMatch', op: 'segmentMatch', values: [cond.name], negate: cond.negated };
    const subject = cond.subject;
    const attribute = subject.attribute;
    const make = (op: string, values: Json[], negate = false): Clause => ({ contextKind: 'user', attribute, op, values, negate });
    switch (cond.kind) {
      case 'present':
        return cond.negated ? this.missing(subject) : make('in', [], true);
      case 'equals':
        if (subject.transform === 'len') return make('matches', [lengthFor(subject, '==', cond.value)], cond.negated);
        if (subject.transform) return make('matches', [textPattern(subject, text(cond.value), 'equals', SYSTEM)], cond.negated);
        if (cond.value.type === 'semver') return make('semVerEqual', [cond.value.value], cond.negated);
        return make('in', [scalar(cond.value)], cond.negated);
      case 'order': {
        if (subject.transform === 'len') return make('matches', [lengthFor(subject, cond.op, cond.value)]);
        if (subject.transform) throw new ExportRefusal(`${SYSTEM} cannot order ${subject.transform}() of a text`, subject);
        const value = cond.value;
        switch (value.type) {
          case 'number':
            return make({ '<': 'lessThan', '<=': 'lessThanOrEqual', '>': 'greaterThan', '>=': 'greaterThanOrEqual' }[cond.op], [value.value]);
          case 'date':
            // `before`/`after` read only date-times (RFC 3339), not `YYYY-MM-DD`.
            return make('startsWith', orderPrefixes(cond.op, value));
          case 'datetime': {
            const ms = value.ms;
            // before/after are strict; <= T is before T + 1 ms (times carry milliseconds), >= T is not before T.
            if (cond.op === '<') return make('before', [ms]);
            if (cond.op === '>') return make('after', [ms]);
            if (cond.op === '<=') return make('after', [ms], true);
            return make('before', [ms], true);
          }
          case 'semver':
            if (cond.op === '<') return make('semVerLessThan', [value.value]);
            if (cond.op === '>') return make('semVerGreaterThan', [value.value]);
            throw new Error('semver <= and >= are split before clauses are written');
          case 'string':
          case 'boolean':
            throw new ExportRefusal(`${SYSTEM} orders only numbers, dates and versions, not ${value.type === 'string' ? 'texts' : 'booleans'}`, subject);
          default:
            return unreachable(value);
        }
      }
      case 'oneOf':
        if (subject.transform) {
          const alternatives = cond.values.map((v) => textPattern(subject, text(v), 'equals', SYSTEM));
          return make('matches', alternatives, cond.negated);
        }
        if (cond.values.some((v) => v.type === 'semver')) return make('semVerEqual', cond.values.map(scalar), cond.negated);
        return make('in', cond.values.map(scalar), cond.negated);
      case 'contains': {
        const isList = subject.fieldType === 'list<string>' || subject.fieldType === 'list<integer>';
        if (isList) return make('in', [scalar(cond.value)], cond.negated);
        if (subject.transform) return make('matches', [textPattern(subject, text(cond.value), 'contains', SYSTEM)], cond.negated);
        return make('contains', [text(cond.value)], cond.negated);
      }
      case 'affix':
        if (subject.transform) return make('matches', [textPattern(subject, cond.value, cond.op, SYSTEM)], cond.negated);
        return make(cond.op === 'starts' ? 'startsWith' : 'endsWith', [cond.value], cond.negated);
      case 'matches':
        if (subject.transform) throw new ExportRefusal(`${SYSTEM} cannot match a pattern against ${subject.transform}() of a text`, subject);
        checkPortablePattern(cond.pattern, SYSTEM, { file: cond.file, range: cond.range });
        return make('matches', [cond.pattern], cond.negated);
      default:
        return unreachable(cond);
    }
  }

  /** "Missing": not a member of a helper segment whose one rule is "present". */
  private missing(subject: Subject): Clause {
    const key = `${this.plan.flagKey}--has-${subject.attribute}`;
    if (!this.helpers.has(key)) {
      this.helpers.set(key, segment(key, [{ id: `${key}-0`, clauses: [{ contextKind: 'user', attribute: subject.attribute, op: 'in', values: [], negate: true }] }]));
    }
    return { attribute: 'segmentMatch', op: 'segmentMatch', values: [key], negate: true };
  }
}

/**
 * Rewrites atoms LaunchDarkly has no single clause for: a version `<=` / `>=`
 * / `!=` becomes alternatives of `<`, `==`, `>` (a negated version clause
 * would also hold for a text that is not a version).
 */
function expandForClauses(cond: Condition): Condition {
  switch (cond.kind) {
    case 'all':
      return { kind: 'all', items: cond.items.map(expandForClauses) };
    case 'any':
      return { kind: 'any', items: cond.items.map(expandForClauses) };
    case 'order':
      if (cond.value.type === 'semver' && (cond.op === '<=' || cond.op === '>=')) {
        return {
          kind: 'any',
          items: [
            { ...cond, op: cond.op === '<=' ? '<' : '>' },
            { kind: 'equals', subject: cond.subject, value: cond.value, negated: false },
          ],
        };
      }
      return cond;
    case 'equals':
      if (cond.value.type === 'semver' && cond.negated) {
        return { kind: 'any', items: [{ kind: 'order', subject: cond.subject, op: '<', value: cond.value }, { kind: 'order', subject: cond.subject, op: '>', value: cond.value }] };
      }
      return cond;
    case 'oneOf':
      if (cond.negated && cond.values.some((v) => v.type === 'semver')) {
        // Not any of the versions: below the lowest, between, or above — written as "a version, and none of these".
        return {
          kind: 'all',
          items: cond.values.map((value) => expandForClauses({ kind: 'equals', subject: cond.subject, value, negated: true })),
        };
      }
      return cond;
    default:
      return cond;
  }
}

function lengthFor(subject: Subject, op: '==' | '<' | '<=' | '>' | '>=', value: ExportValue): string {
  if (subject.fieldType.startsWith('list<')) throw new ExportRefusal(`${SYSTEM} cannot count the items of a list (len)`, subject);
  const n = value.type === 'number' ? value.value : NaN;
  const [min, max] = lengthRange(op, n);
  return lengthPattern(min, max);
}

function scalar(value: ExportValue): Json {
  return value.value;
}

function text(value: ExportValue): string {
  return String(value.value);
}
