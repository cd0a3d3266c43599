/**
 * Export to Unleash's client API response (`features`, `segments`): one
 * feature whose `flexibleRollout` strategies (OR) each hold constraints (AND):
 * the segment in disjunctive form. A referenced segment whose rule is one
 * list of constraints becomes an Unleash segment; others, and every negated
 * reference (Unleash cannot negate a segment), are written out in place.
 *
 * Unleash reads every context value as text (`String(v)`, a list as its items
 * joined by commas), and an inverted constraint holds for a missing value,
 * as do NOT_IN and an inverted NUM_*: every inverted constraint comes after a
 * presence test (REGEX `^`, false for a missing value). Dates and date-times
 * are compared as texts through STR_STARTS_WITH over the prefixes of the
 * range (Unleash's date operators read only `currentTime`). Regular
 * expressions are RE2 (re2js), the same syntax as Segspec's.
 */
import { disjunctiveForm, type AtomCondition, type Condition, type ExportValue, type Subject } from './condition.js';
import type { ExportPlan } from './plan.js';
import { ExportRefusal } from './problems.js';
import { escapeRegex, lengthPattern, lengthRange } from './regex.js';
import { textPattern } from './case-pattern.js';
import { orderPrefixes } from './prefix-cover.js';
import { unreachable } from '../../util/unreachable.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Constraint = { [key: string]: Json };

const SYSTEM = 'Unleash';

export function unleashDocument(plan: ExportPlan): Json {
  const emitter = new ConstraintEmitter(plan);
  const strategies = emitter.strategies(plan.root, plan.segment).map((s) => ({
    name: 'flexibleRollout',
    constraints: s.constraints,
    parameters: { rollout: String(plan.rolloutPercent ?? 100), stickiness: 'default', groupId: plan.seed ?? plan.flagKey },
    ...(s.segments.length > 0 ? { segments: s.segments.map((name) => emitter.segmentId(name)) } : {}),
    variants: [],
  }));
  const document: { [key: string]: Json } = {
    version: 2,
    // A feature with no strategies is on for everyone: a rule that never holds is a disabled feature.
    features: [{ name: plan.flagKey, type: 'release', enabled: strategies.length > 0, stale: false, impressionData: false, strategies, variants: [] }],
  };
  const segments = emitter.segmentList();
  if (segments.length > 0) document.segments = segments;
  return document;
}

interface Strategy {
  constraints: Constraint[];
  /** Names of Unleash segments the strategy requires. */
  segments: string[];
}

class ConstraintEmitter {
  private readonly ids = new Map<string, { id: number; constraints: Constraint[] }>();
  private readonly representable = new Map<string, Constraint[] | undefined>();

  constructor(private readonly plan: ExportPlan) {}

  strategies(cond: Condition, owner: string): Strategy[] {
    const rules = disjunctiveForm(expandVersions(this.inline(cond, [])));
    if (!rules) throw new ExportRefusal(`${SYSTEM}: the rule of '${owner}' has too many alternatives to write as strategies (over 200 after distributing 'and' over 'or')`);
    return rules.map((atoms) => {
      const constraints: Constraint[] = [];
      const segments: string[] = [];
      for (const atom of atoms) {
        if (atom.kind === 'segment') {
          if (!segments.includes(atom.name)) segments.push(atom.name);
        } else {
          for (const c of this.constraints(atom)) if (!constraints.some((x) => JSON.stringify(x) === JSON.stringify(c))) constraints.push(c);
        }
      }
      return { constraints, segments };
    });
  }

  segmentId(name: string): number {
    const entry = this.ids.get(name);
    if (!entry) throw new Error(`segment '${name}' was not registered`);
    return entry.id;
  }

  segmentList(): Json[] {
    return [...this.ids.entries()].map(([name, { id, constraints }]) => ({ id, name, constraints }));
  }

  /**
   * Negated references written out (not a member: NT of its rule); positive
   * references kept when the segment is one list of constraints, else written
   * out too.
   */
  private inline(cond: Condition, trail: string[]): Condition {
    switch (cond.kind) {
      case 'all':
        return { kind: 'all', items: cond.items.map((c) => this.inline(c, trail)) };
      case 'any':
        return { kind: 'any', items: cond.items.map((c) => this.inline(c, trail)) };
      case 'segment': {
        if (trail.includes(cond.name)) throw new ExportRefusal(`segment '${cond.name}' refers to itself`);
        if (!cond.negated && this.asUnleashSegment(cond.name, trail)) return cond;
        return this.inline(this.plan.expand(cond.name, cond.negated ? 'NT' : 'T'), [...trail, cond.name]);
      }
      default:
        return cond;
    }
  }

  /** Registers the segment when its rule is one list of constraints; false otherwise. */
  private asUnleashSegment(name: string, trail: string[]): boolean {
    if (!this.representable.has(name)) {
      const rules = disjunctiveForm(expandVersions(this.inline(this.plan.expand(name, 'T'), [...trail, name])), 2);
      const single = rules && rules.length === 1 && rules[0].every((a) => a.kind !== 'segment') ? rules[0] : undefined;
      const constraints = single?.flatMap((a) => this.constraints(a));
      this.representable.set(name, constraints);
      if (constraints) this.ids.set(name, { id: this.ids.size + 1, constraints });
    }
    return this.representable.get(name) !== undefined;
  }

  /** The constraints (all must hold) of one atom. */
  private constraints(cond: AtomCondition): Constraint[] {
    if (cond.kind === 'segment') throw new Error('segment references are strategy segments');
    const subject = cond.subject;
    const contextName = subject.attribute;
    const present: Constraint = { contextName, operator: 'REGEX', value: '^', caseInsensitive: false, inverted: false };
    const one = (operator: string, payload: { value?: string; values?: string[] }, inverted = false): Constraint[] => {
      const c: Constraint = { contextName, operator, caseInsensitive: false, inverted, ...payload };
      return inverted ? [present, c] : [c];
    };
    const regex = (pattern: string, inverted = false): Constraint[] => one('REGEX', { value: pattern }, inverted);
    const isList = subject.fieldType === 'list<string>' || subject.fieldType === 'list<integer>';
    switch (cond.kind) {
      case 'present':
        return [{ ...present, inverted: cond.negated }];
      case 'equals': {
        if (subject.transform === 'len') return regex(this.lengthOf(subject, '==', cond.value), cond.negated);
        if (subject.transform) return regex(textPattern(subject, text(cond.value), 'equals', SYSTEM, 're2'), cond.negated);
        const v = cond.value;
        if (v.type === 'semver') {
          if (!cond.negated) return one('SEMVER_EQ', { value: v.value });
          throw new Error('negated version equality is split before constraints are written');
        }
        if (v.type === 'number') return one('NUM_EQ', { value: String(v.value) }, cond.negated);
        return this.inList(subject, [v], cond.negated);
      }
      case 'order': {
        if (subject.transform === 'len') return regex(this.lengthOf(subject, cond.op, cond.value));
        if (subject.transform) throw new ExportRefusal(`${SYSTEM} cannot order ${subject.transform}() of a text`, subject);
        const v = cond.value;
        switch (v.type) {
          case 'number':
            return one({ '<': 'NUM_LT', '<=': 'NUM_LTE', '>': 'NUM_GT', '>=': 'NUM_GTE' }[cond.op], { value: String(v.value) });
          case 'semver':
            return one({ '<': 'SEMVER_LT', '<=': 'SEMVER_LTE', '>': 'SEMVER_GT', '>=': 'SEMVER_GTE' }[cond.op], { value: v.value });
          case 'date':
          case 'datetime': {
            const prefixes = orderPrefixes(cond.op, v);
            // The empty prefix: every value.
            return prefixes.includes('') ? [present] : one('STR_STARTS_WITH', { values: prefixes });
          }
          case 'string':
          case 'boolean':
            throw new ExportRefusal(`${SYSTEM} orders only numbers, versions and (as texts) dates, not ${v.type === 'string' ? 'texts' : 'booleans'}`, subject);
          default:
            return unreachable(v);
        }
      }
      case 'oneOf': {
        if (subject.transform) {
          const alternatives = cond.values.map((v) => textPattern(subject, text(v), 'equals', SYSTEM, 're2'));
          return regex(alternatives.map((a) => `(?:${a})`).join('|'), cond.negated);
        }
        if (cond.values.some((v) => v.type === 'semver')) throw new Error('version lists are split before constraints are written');
        return this.inList(subject, cond.values, cond.negated);
      }
      case 'contains': {
        if (isList) {
          this.warnListAsText(subject);
          return regex(`(?:^|,)${escapeRegex(text(cond.value))}(?:,|$)`, cond.negated);
        }
        if (subject.transform) return regex(textPattern(subject, text(cond.value), 'contains', SYSTEM, 're2'), cond.negated);
        return this.textOp('STR_CONTAINS', subject, text(cond.value), cond.negated);
      }
      case 'affix':
        if (subject.transform) return regex(textPattern(subject, cond.value, cond.op, SYSTEM, 're2'), cond.negated);
        return this.textOp(cond.op === 'starts' ? 'STR_STARTS_WITH' : 'STR_ENDS_WITH', subject, cond.value, cond.negated);
      case 'matches':
        if (subject.transform) throw new ExportRefusal(`${SYSTEM} cannot match a pattern against ${subject.transform}() of a text`, subject);
        return regex(cond.pattern, cond.negated);
      default:
        return unreachable(cond);
    }
  }

  /** IN / NOT_IN compare the text of the value; Unleash trims the listed values and drops empty ones. */
  private inList(subject: Subject, values: ExportValue[], negated: boolean): Constraint[] {
    const texts = values.map(text);
    const contextName = subject.attribute;
    const present: Constraint = { contextName, operator: 'REGEX', value: '^', caseInsensitive: false, inverted: false };
    if (texts.every((t) => t !== '' && t === t.trim())) {
      const c: Constraint = { contextName, operator: negated ? 'NOT_IN' : 'IN', values: texts, caseInsensitive: false, inverted: false };
      return negated ? [present, c] : [c];
    }
    const pattern = texts.map((t) => `^${escapeRegex(t)}$`).join('|');
    const c: Constraint = { contextName, operator: 'REGEX', value: pattern, caseInsensitive: false, inverted: negated };
    return negated ? [present, c] : [c];
  }

  private textOp(operator: string, subject: Subject, value: string, negated: boolean): Constraint[] {
    const contextName = subject.attribute;
    if (value === '' || value !== value.trim()) {
      // Trimmed or dropped by Unleash: a pattern keeps the value as written.
      const pattern = operator === 'STR_STARTS_WITH' ? `^${escapeRegex(value)}` : operator === 'STR_ENDS_WITH' ? `${escapeRegex(value)}$` : escapeRegex(value);
      const c: Constraint = { contextName, operator: 'REGEX', value: pattern, caseInsensitive: false, inverted: negated };
      return negated ? [{ contextName, operator: 'REGEX', value: '^', caseInsensitive: false, inverted: false }, c] : [c];
    }
    const c: Constraint = { contextName, operator, values: [value], caseInsensitive: false, inverted: negated };
    return negated ? [{ contextName, operator: 'REGEX', value: '^', caseInsensitive: false, inverted: false }, c] : [c];
  }

  private lengthOf(subject: Subject, op: '==' | '<' | '<=' | '>' | '>=', value: ExportValue): string {
    if (subject.fieldType.startsWith('list<')) throw new ExportRefusal(`${SYSTEM} receives a list as one text and cannot count its items (len)`, subject);
    const [min, max] = lengthRange(op, value.type === 'number' ? value.value : NaN);
    if (min > 1000 || (max ?? 0) > 1000) throw new ExportRefusal(`${SYSTEM}'s regular expressions count at most 1000 repetitions`, subject);
    return lengthPattern(min, max, 're2');
  }

  private warnListAsText(subject: Subject): void {
    const message = `${SYSTEM} receives a list as its items joined by commas: an item that itself contains a comma would read as two items`;
    if (!this.plan.warnings.some((w) => w.message === message)) this.plan.warnings.push({ message, file: subject.file, range: subject.range });
  }
}

/**
 * Rewrites what Unleash has no single constraint for: a version `!=` or
 * `not in` (an inverted version test also holds for a text that is not a
 * version), a list of versions.
 */
export function expandVersions(cond: Condition): Condition {
  switch (cond.kind) {
    case 'all':
      return { kind: 'all', items: cond.items.map(expandVersions) };
    case 'any':
      return { kind: 'any', items: cond.items.map(expandVersions) };
    case 'equals':
      if (cond.value.type === 'semver' && cond.negated) {
        return { kind: 'any', items: [{ kind: 'order', subject: cond.subject, op: '<', value: cond.value }, { kind: 'order', subject: cond.subject, op: '>', value: cond.value }] };
      }
      return cond;
    case 'oneOf':
      if (!cond.values.some((v) => v.type === 'semver')) return cond;
      if (cond.negated) return { kind: 'all', items: cond.values.map((value) => expandVersions({ kind: 'equals', subject: cond.subject, value, negated: true })) };
      return { kind: 'any', items: cond.values.map((value) => ({ kind: 'equals', subject: cond.subject, value, negated: false })) };
    default:
      return cond;
  }
}

function text(value: ExportValue): string {
  return String(value.value);
}
