/**
 * Export to PostHog's local-evaluation response (`flags`, `cohorts`): one
 * flag whose condition groups (OR) each hold person properties (AND) — the
 * segment in disjunctive form; referenced segments become cohorts (matched
 * with `in`, or `not_in` for `not`).
 *
 * PostHog's `exact`, `is_not`, `icontains`, `starts_with` and `ends_with`
 * ignore case, so texts are compared with `regex` (ASCII patterns: PostHog
 * leaves others to its server). Numbers compare with gt/gte/lt/lte, dates and
 * date-times with `is_date_before` / `is_date_after` one millisecond (or day)
 * apart. Local evaluation cannot decide for a person missing a property the
 * flag reads — it leaves that person to PostHog's server (a warning says so)
 * — and so `is missing` never holds locally: it is refused.
 */
import { disjunctiveForm, type AtomCondition, type Condition, type ExportValue, type Subject } from './condition.js';
import type { ExportPlan } from './plan.js';
import { ExportRefusal } from './problems.js';
import { escapeRegex, lengthPattern, lengthRange, neverPattern } from './regex.js';
import { MS_PER_DAY, daysFromIso } from '../../engine/dates.js';
import { unreachable } from '../../util/unreachable.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Property = { [key: string]: Json };

const SYSTEM = 'PostHog';

export function posthogDocument(plan: ExportPlan): Json {
  const cohortIds = new Map(plan.segments.map((s, i) => [s.name, i + 1]));
  const emitter = new PropertyEmitter(plan, cohortIds);
  const cohorts: { [key: string]: Json } = {};
  for (const { name, condition } of plan.segments) {
    const groups = emitter.groups(condition, name);
    cohorts[String(cohortIds.get(name))] = {
      type: 'OR',
      values: groups.length === 0 ? [{ type: 'AND', values: [neverProperty()] }] : groups.map((values) => ({ type: 'AND', values })),
    };
  }
  const groups = emitter.groups(plan.root, plan.segment);
  const rollout = plan.rolloutPercent ?? 100;
  const document: { [key: string]: Json } = {
    flags: [
      {
        id: 1,
        name: `Segment ${plan.segment}`,
        key: plan.flagKey,
        active: true,
        deleted: false,
        ensure_experience_continuity: false,
        filters: {
          groups: groups.map((properties) => ({ properties, rollout_percentage: rollout })),
          multivariate: null,
          payloads: {},
        },
      },
    ],
    group_type_mapping: {},
    cohorts,
  };
  if (groups.some((g) => g.length > 0)) {
    plan.warnings.push({
      message: `${SYSTEM}'s local evaluation cannot decide for a person missing a property the flag reads (or holding text outside ASCII where a pattern is tested): it leaves such persons to PostHog's server`,
      file: '',
      range: { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } },
    });
  }
  return document;
}

/** A property that holds for nobody who has it (and is undecided for those who do not). */
function neverProperty(): Property {
  return { key: 'distinct_id', type: 'person', operator: 'regex', value: neverPattern('posthog') };
}

class PropertyEmitter {
  constructor(
    private readonly plan: ExportPlan,
    private readonly cohortIds: Map<string, number>,
  ) {}

  groups(cond: Condition, owner: string): Property[][] {
    const rules = disjunctiveForm(expandForPosthog(cond));
    if (!rules) throw new ExportRefusal(`${SYSTEM}: the rule of '${owner}' has too many alternatives to write as condition groups (over 200 after distributing 'and' over 'or')`);
    return rules.map((atoms) => atoms.flatMap((a) => this.properties(a)));
  }

  private properties(cond: AtomCondition): Property[] {
    if (cond.kind === 'segment') {
      return [{ key: 'id', type: 'cohort', value: this.cohortIds.get(cond.name) ?? 0, operator: cond.negated ? 'not_in' : 'in' }];
    }
    const subject = cond.subject;
    const prop = (operator: string, value: Json): Property => ({ key: subject.attribute, type: 'person', operator, value });
    const regex = (pattern: string, negated = false): Property[] => [prop(negated ? 'not_regex' : 'regex', ascii(pattern, subject))];
    if (subject.transform === 'lower' || subject.transform === 'upper') {
      throw new ExportRefusal(`${SYSTEM} has no ${subject.transform}() and its case-insensitive operators fold only ASCII letters`, subject);
    }
    const isList = subject.fieldType === 'list<string>' || subject.fieldType === 'list<integer>';
    switch (cond.kind) {
      case 'present':
        if (cond.negated) throw new ExportRefusal(`${SYSTEM}'s local evaluation cannot tell that a property is missing (it asks its server), so \`is missing\` cannot be exported to it`, subject);
        return [prop('is_set', 'is_set')];
      case 'equals': {
        if (subject.transform === 'len') return regex(this.lengthOf(subject, '==', cond.value), cond.negated);
        const v = cond.value;
        switch (v.type) {
          case 'number':
            return cond.negated ? this.notEqualNumber() : [prop('gte', v.value), prop('lte', v.value)];
          case 'boolean':
            return [prop(cond.negated ? 'is_not' : 'exact', v.value)];
          case 'semver':
            // As PostHog reads versions (major.minor.patch); pre-release tags are tested apart (expandForPosthog).
            return [prop(cond.negated ? 'semver_neq' : 'semver_eq', this.version(v, subject))];
          case 'string':
          case 'date':
          case 'datetime':
            return regex(`^${escapeRegex(v.value)}$`, cond.negated);
          default:
            return unreachable(v);
        }
      }
      case 'order': {
        if (subject.transform === 'len') return regex(this.lengthOf(subject, cond.op, cond.value));
        const v = cond.value;
        switch (v.type) {
          case 'number':
            return [prop({ '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' }[cond.op], v.value)];
          case 'semver':
            return [prop({ '<': 'semver_lt', '<=': 'semver_lte', '>': 'semver_gt', '>=': 'semver_gte' }[cond.op], this.version(v, subject))];
          case 'date':
          case 'datetime': {
            // Strict comparisons of instants with millisecond precision; a date is its midnight.
            const ms = v.type === 'date' ? (daysFromIso(v.value) as number) * MS_PER_DAY : v.ms;
            const step = v.type === 'date' ? MS_PER_DAY : 1;
            const iso = (t: number): string => new Date(t).toISOString();
            if (cond.op === '<') return [prop('is_date_before', iso(ms))];
            if (cond.op === '<=') return [prop('is_date_before', iso(ms + step))];
            if (cond.op === '>') return [prop('is_date_after', iso(v.type === 'date' ? ms + step - 1 : ms))];
            return [prop('is_date_after', iso(ms - 1))];
          }
          case 'string':
          case 'boolean':
            throw new ExportRefusal(`${SYSTEM} orders only numbers, dates and versions, not ${v.type === 'string' ? 'texts' : 'booleans'}`, subject);
          default:
            return unreachable(v);
        }
      }
      case 'oneOf': {
        if (cond.values.some((v) => v.type === 'number' || v.type === 'boolean' || v.type === 'semver')) {
          throw new Error('lists of numbers, booleans and versions are split before properties are written');
        }
        return regex(`^(?:${cond.values.map((v) => escapeRegex(String(v.value))).join('|')})$`, cond.negated);
      }
      case 'contains':
        if (isList) {
          this.warnListAsText(subject);
          return regex(`(?:^|,)${escapeRegex(String(cond.value.value))}(?:,|$)`, cond.negated);
        }
        return regex(escapeRegex(String(cond.value.value)), cond.negated);
      case 'affix':
        return regex(cond.op === 'starts' ? `^${escapeRegex(cond.value)}` : `${escapeRegex(cond.value)}$`, cond.negated);
      case 'matches':
        return regex(cond.pattern, cond.negated);
      default:
        return unreachable(cond);
    }
  }

  private notEqualNumber(): Property[] {
    throw new Error('numeric != is split before properties are written');
  }

  private version(v: Extract<ExportValue, { type: 'semver' }>, subject: Subject): string {
    if (v.value.includes('-')) throw new ExportRefusal(`${SYSTEM} ignores pre-release tags when it compares versions, so '${v.value}' cannot be exported to it`, subject);
    return v.value;
  }

  private lengthOf(subject: Subject, op: '==' | '<' | '<=' | '>' | '>=', value: ExportValue): string {
    if (subject.fieldType.startsWith('list<')) throw new ExportRefusal(`${SYSTEM} receives a list as one text and cannot count its items (len)`, subject);
    const [min, max] = lengthRange(op, value.type === 'number' ? value.value : NaN);
    return lengthPattern(min, max, 'posthog');
  }

  private warnListAsText(subject: Subject): void {
    const message = `${SYSTEM} matches a list as its items joined by commas: an item that itself contains a comma would read as two items`;
    if (!this.plan.warnings.some((w) => w.message === message)) this.plan.warnings.push({ message, file: subject.file, range: subject.range });
  }
}

function ascii(pattern: string, subject: Subject): string {
  if (/[^\x00-\x7f]/.test(pattern)) {
    throw new ExportRefusal(`${SYSTEM} evaluates a pattern with characters outside ASCII only on its server, so this test cannot be exported for local evaluation`, subject);
  }
  return pattern;
}

/**
 * Splits what PostHog has no single property for: number `!=`, lists of
 * numbers / booleans / versions — and version tests, since PostHog compares
 * only major.minor.patch (1.0.0-rc.1 counts as 1.0.0) where Segspec orders a
 * pre-release before its release: `v >= 1.0.0` is `v > 1.0.0 (as PostHog
 * reads it) or (v = 1.0.0 and v has no pre-release tag)`.
 */
export function expandForPosthog(cond: Condition): Condition {
  switch (cond.kind) {
    case 'all':
      return { kind: 'all', items: cond.items.map(expandForPosthog) };
    case 'any':
      return { kind: 'any', items: cond.items.map(expandForPosthog) };
    case 'equals':
      if (cond.value.type === 'semver') {
        const same: Condition = { kind: 'equals', subject: cond.subject, value: cond.value, negated: false };
        if (!cond.negated) return { kind: 'all', items: [same, preRelease(cond.subject, false)] };
        return { kind: 'any', items: [{ ...same, negated: true }, { kind: 'all', items: [same, preRelease(cond.subject, true)] }] };
      }
      if (cond.negated && cond.value.type === 'number') {
        return { kind: 'any', items: [{ kind: 'order', subject: cond.subject, op: '<', value: cond.value }, { kind: 'order', subject: cond.subject, op: '>', value: cond.value }] };
      }
      return cond;
    case 'order':
      if (cond.value.type === 'semver' && (cond.op === '>=' || cond.op === '<')) {
        const same: Condition = { kind: 'equals', subject: cond.subject, value: cond.value, negated: false };
        const strict: Condition = { ...cond, op: cond.op === '>=' ? '>' : '<' };
        return { kind: 'any', items: [strict, { kind: 'all', items: [same, preRelease(cond.subject, cond.op === '<')] }] };
      }
      return cond;
    case 'oneOf':
      if (!cond.values.some((v) => v.type === 'number' || v.type === 'boolean' || v.type === 'semver')) return cond;
      if (cond.negated) return { kind: 'all', items: cond.values.map((value) => expandForPosthog({ kind: 'equals', subject: cond.subject, value, negated: true })) };
      return { kind: 'any', items: cond.values.map((value) => expandForPosthog({ kind: 'equals', subject: cond.subject, value, negated: false })) };
    default:
      return cond;
  }
}

/** The version has (or, negated, has no) pre-release tag: a hyphen before any build metadata. */
function preRelease(subject: Subject, has: boolean): Condition {
  return { kind: 'matches', subject, pattern: '^[^+]*-', negated: !has, file: subject.file, range: subject.range };
}
