/**
 * A segment's `where` → `Condition` (condition.ts): SQL's three-valued logic
 * (SPEC §5.3) resolved into two-valued conditions with `not` pushed down.
 *
 * Each expression is read in one of four modes: is true (T), is false (F),
 * is not true (NT = false or unknown), is not false (NF). A comparison
 * `x < 5` is T: `x present and x < 5`, F: `x present and x >= 5`,
 * NT: `x missing or x >= 5`, NF: `x missing or x < 5`. A segment reference
 * is two-valued (T = NF = member). Membership is T of the rule; a negated
 * reference inlined into a system without negation uses NT.
 */
import type { Table } from '../../data/table.js';
import type { CallExpr, CompareOp, Expr, NameExpr, Range } from '../../syntax/ast.js';
import type { NameResolution, WorkspaceModel } from '../../semantics/model.js';
import { newSharedCache, tableAggregate, type CompileContext } from '../../engine/compile.js';
import { isAggregateName } from '../../engine/aggregates.js';
import { parseSemver } from '../../engine/semver.js';
import { MS_PER_DAY, daysFromIso, isoFromDays, subtractUnits } from '../../sql/dates.js';
import { isSemverText } from '../../sql/semver.js';
import { unreachable } from '../../util/unreachable.js';
import { all, any, type Condition, type ExportValue, type OrderOp, type Subject } from './condition.js';
import { ExportRefusal, type ExportWarning } from './problems.js';

export type Mode = 'T' | 'F' | 'NT' | 'NF';

export interface NormalizeScope {
  model: WorkspaceModel;
  /** The file the expression is written in (for located refusals and warnings). */
  file: string;
  /** Reference date `YYYY-MM-DD` (the dataset's `as of`). */
  asOf: string;
  /** The dataset's sample table: dataset-wide aggregates are computed on it. */
  table?: Table;
  /** The context attribute a field is sent as. */
  attributeOf(field: string): string;
  /** The system's name as users write it, for messages. */
  system: string;
  warnings: ExportWarning[];
}

const NEGATED_ORDER: Record<OrderOp, OrderOp> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
const FLIPPED_ORDER: Record<OrderOp, OrderOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export function normalize(expr: Expr, mode: Mode, scope: NormalizeScope): Condition {
  return new Normalizer(scope).cond(expr, mode);
}

/** The mode of a negated operand. */
function negate(mode: Mode): Mode {
  switch (mode) {
    case 'T':
      return 'F';
    case 'F':
      return 'T';
    case 'NT':
      return 'NF';
    case 'NF':
      return 'NT';
    default:
      return unreachable(mode);
  }
}

/** For an atom: does the mode ask for the relation itself (else its negation)? */
function wantsRelation(mode: Mode): boolean {
  return mode === 'T' || mode === 'NF';
}

/** For an atom: does a missing attribute satisfy the mode? */
function acceptsMissing(mode: Mode): boolean {
  return mode === 'NT' || mode === 'NF';
}

type Temporal = { days: number } | { ms: number };

class Normalizer {
  private readonly today: number;

  constructor(private readonly scope: NormalizeScope) {
    const today = daysFromIso(scope.asOf);
    if (today === undefined) throw new ExportRefusal(`as-of date '${scope.asOf}' is not a YYYY-MM-DD date`);
    this.today = today;
  }

  cond(expr: Expr, mode: Mode): Condition {
    switch (expr.type) {
      case 'Paren':
        return this.cond(expr.expr, mode);
      case 'Not':
        return this.cond(expr.operand, negate(mode));
      case 'Logical': {
        const left = this.cond(expr.left, mode);
        const right = this.cond(expr.right, mode);
        // T and NF distribute as written; F and NT swap and/or (De Morgan).
        const conjunctive = (expr.op === 'and') === (mode === 'T' || mode === 'NF');
        return conjunctive ? all([left, right]) : any([left, right]);
      }
      case 'Boolean':
        return { kind: 'constant', value: expr.value === wantsRelation(mode) };
      case 'Name':
        return this.bareName(expr, mode);
      case 'Compare':
        return this.compare(expr.left, expr.op, expr.right, mode, expr);
      case 'Temporal':
        return this.compare(expr.subject, expr.op === 'before' ? '<' : '>', expr.value, mode, expr);
      case 'In': {
        const subject = this.subject(expr.subject);
        const values = expr.list.items.map((item) => this.value(item, subject)).filter((v) => v !== undefined);
        const relation: Condition =
          values.length === 0
            ? { kind: 'constant', value: false }
            : { kind: 'oneOf', subject, values: this.caseFiltered(subject, values), negated: false };
        return this.atom(subject, expr.negated ? negateAtom(relation, subject) : relation, mode);
      }
      case 'Between': {
        const subject = this.subject(expr.subject);
        const low = this.order(subject, '>=', expr.low);
        const high = this.order(subject, '<=', expr.high);
        // Present-and-in-range, or present-and-outside (a bound that is not a value never holds).
        const inside = all([low, high]);
        const outside = any([this.flipOrder(low, subject), this.flipOrder(high, subject)]);
        return this.withPresence(subject, wantsRelation(mode) ? inside : outside, mode);
      }
      case 'Contains': {
        const subject = this.subject(expr.subject);
        const items = expr.value.type === 'List' ? expr.value.items : [expr.value];
        if (expr.mode === 'one' && expr.value.type === 'List') {
          throw this.refuse('`contains` takes one value; use `contains any [...]` or `contains all [...]`', expr.value.range);
        }
        const tests = items.map((item) => this.containsTest(subject, item));
        const holds = expr.mode === 'all' ? all(tests) : any(tests);
        const fails = expr.mode === 'all' ? any(tests.map((t) => negateAtom(t, subject))) : all(tests.map((t) => negateAtom(t, subject)));
        return this.withPresence(subject, wantsRelation(mode) ? holds : fails, mode);
      }
      case 'Affix': {
        const subject = this.stringSubject(expr.subject, expr.op === 'starts' ? '`starts with`' : '`ends with`');
        const value = this.stringLiteral(expr.value);
        const relation: Condition = this.caseImpossible(subject, value)
          ? { kind: 'constant', value: false }
          : { kind: 'affix', subject, op: expr.op, value, negated: false };
        return this.atom(subject, relation, mode);
      }
      case 'Matches': {
        const subject = this.stringSubject(expr.subject, '`matches`');
        return this.atom(subject, { kind: 'matches', subject, pattern: expr.pattern.value, negated: false, file: this.scope.file, range: expr.pattern.range }, mode);
      }
      case 'Missing': {
        const subject = this.subject(expr.subject);
        // `is missing` is two-valued: NT = F and NF = T.
        const isMissing = expr.negated !== (mode === 'T' || mode === 'NF');
        return { kind: 'present', subject: { ...subject, transform: undefined }, negated: isMissing };
      }
      case 'WithinLast': {
        const subject = this.subject(expr.subject);
        const nowDays = this.today + 1;
        const lowMs = subtractUnits(nowDays, expr.amount.value, expr.unit);
        this.warn(
          `'within last ${expr.amount.raw} ${expr.unit}${expr.amount.value === 1 ? '' : 's'}' is written as the dates it means on the as-of date ${this.scope.asOf}: the flag does not move with time`,
          expr.range,
        );
        const low = this.orderTemporal(subject, '>=', { ms: lowMs });
        const high = this.orderTemporal(subject, '<', { ms: nowDays * MS_PER_DAY });
        const inside = all([low, high]);
        const outside = any([this.flipOrder(low, subject), this.flipOrder(high, subject)]);
        return this.withPresence(subject, wantsRelation(mode) ? inside : outside, mode);
      }
      case 'String':
      case 'Number':
      case 'Percent':
      case 'Date':
      case 'DateTime':
      case 'List':
      case 'Negate':
      case 'Arith':
      case 'Call':
      case 'Ago':
      case 'Today':
      case 'Now':
        throw this.refuse('a value is not a condition', expr.range);
      case 'Error':
        throw this.refuse('the rule has a syntax error here', expr.range);
      case 'RelatedField':
      case 'Aggregate':
        throw this.refuseRelated(expr);
      default:
        return unreachable(expr);
    }
  }

  /** Related rows (SPEC §11) live in other datasets; a flag system sees one context per identity. */
  private refuseRelated(expr: Extract<Expr, { type: 'RelatedField' | 'Aggregate' }>): ExportRefusal {
    const what = expr.type === 'RelatedField' ? `${expr.dataset.name}.${expr.field.name}` : `${expr.callee.name}(${expr.dataset.name}…)`;
    return this.refuse(`${this.scope.system} sees one context per user, not the related rows of '${expr.dataset.name}': ${what} cannot be exported (send its value as an attribute instead)`, expr.range);
  }

  // ------------------------------------------------------------ atoms

  /**
   * An atom in a mode: T = relation (attribute present), F = its negation
   * (present), NT / NF add "or missing".
   */
  private atom(subject: Subject, relation: Condition, mode: Mode): Condition {
    const body = wantsRelation(mode) ? relation : negateAtom(relation, subject);
    return this.withPresence(subject, body, mode);
  }

  /** `body` already holds only for present attributes; NT and NF also accept a missing one. */
  private withPresence(subject: Subject, body: Condition, mode: Mode): Condition {
    const present = { kind: 'present' as const, subject: { ...subject, transform: undefined }, negated: false };
    // A constant relation still needs the attribute present (`x in []` is unknown for a missing x).
    const guarded = body.kind === 'constant' ? (body.value ? present : body) : body;
    return acceptsMissing(mode) ? any([{ ...present, negated: true }, guarded]) : guarded;
  }

  private flipOrder(cond: Condition, subject: Subject): Condition {
    return negateAtom(cond, subject);
  }

  private bareName(expr: NameExpr, mode: Mode): Condition {
    const resolution = this.resolve(expr);
    if (resolution.kind === 'segment') {
      const member = mode === 'T' || mode === 'NF';
      return { kind: 'segment', name: expr.name, negated: !member, file: this.scope.file, range: expr.range };
    }
    if (resolution.kind !== 'field') throw this.refuse(`unknown name '${expr.name}'`, expr.range);
    const subject = this.subject(expr);
    if (subject.fieldType !== 'boolean') throw this.refuse(`'${expr.name}' is not a boolean field, so it is not a condition`, expr.range);
    return this.atom(subject, { kind: 'equals', subject, value: { type: 'boolean', value: true }, negated: false }, mode);
  }

  private compare(leftExpr: Expr, op: CompareOp, rightExpr: Expr, mode: Mode, whole: Expr): Condition {
    let subjectExpr = leftExpr;
    let valueExpr = rightExpr;
    let relOp = op;
    if (!this.isSubject(leftExpr)) {
      if (!this.isSubject(rightExpr)) throw this.refuse(`${this.scope.system} compares an attribute with a value; this compares two values`, whole.range);
      subjectExpr = rightExpr;
      valueExpr = leftExpr;
      if (op !== '==' && op !== '!=') relOp = FLIPPED_ORDER[op];
    }
    const subject = this.subject(subjectExpr);
    if (this.isSubject(valueExpr)) {
      throw this.refuse(`${this.scope.system} cannot compare two attributes with each other`, whole.range);
    }
    let relation: Condition;
    if (relOp === '==' || relOp === '!=') {
      const temporal = this.temporalOf(valueExpr, subject);
      const value = temporal ? this.temporalEquals(subject, temporal) : this.value(valueExpr, subject);
      relation =
        value === undefined || (value.type === 'string' && this.caseImpossible(subject, value.value))
          ? { kind: 'constant', value: false }
          : { kind: 'equals', subject, value, negated: false };
      if (relOp === '!=') relation = negateAtom(relation, subject);
    } else {
      relation = this.order(subject, relOp, valueExpr);
    }
    return this.atom(subject, relation, mode);
  }

  private order(subject: Subject, op: OrderOp, valueExpr: Expr): Condition {
    const temporal = this.temporalOf(valueExpr, subject);
    if (temporal) return this.orderTemporal(subject, op, temporal);
    const value = this.value(valueExpr, subject);
    if (value === undefined) return { kind: 'constant', value: false };
    if (subject.fieldType === 'boolean' || value.type === 'boolean') {
      throw this.refuse('booleans have no order', valueExpr.range);
    }
    return { kind: 'order', subject, op, value };
  }

  /** An ordering against a date or an instant, for a date or date-time attribute. */
  private orderTemporal(subject: Subject, op: OrderOp, t: Temporal): Condition {
    if (subject.fieldType === 'datetime') {
      const ms = 'ms' in t ? t.ms : t.days * MS_PER_DAY;
      return { kind: 'order', subject, op, value: instant(ms) };
    }
    if (subject.fieldType !== 'date') throw this.refuse(`'${subject.field}' is not a date`, subject.range);
    if ('days' in t) return { kind: 'order', subject, op, value: { type: 'date', value: isoFromDays(t.days) } };
    // A date compares with an instant as its midnight does: d·DAY < ms ⇔ d < ceil(ms / DAY), etc.
    const lower = Math.floor(t.ms / MS_PER_DAY);
    const upper = Math.ceil(t.ms / MS_PER_DAY);
    const days = op === '<' || op === '>=' ? upper : lower;
    return { kind: 'order', subject, op, value: { type: 'date', value: isoFromDays(days) } };
  }

  /** The value an attribute must equal to equal a temporal value (undefined: it never does). */
  private temporalEquals(subject: Subject, t: Temporal): ExportValue | undefined {
    if (subject.fieldType === 'datetime') return instant('ms' in t ? t.ms : t.days * MS_PER_DAY);
    if ('days' in t) return { type: 'date', value: isoFromDays(t.days) };
    return t.ms % MS_PER_DAY === 0 ? { type: 'date', value: isoFromDays(t.ms / MS_PER_DAY) } : undefined;
  }

  private containsTest(subject: Subject, item: Expr): Condition {
    const isList = subject.fieldType === 'list<string>' || subject.fieldType === 'list<integer>';
    if (!isList && subject.transform !== 'lower' && subject.transform !== 'upper' && subject.fieldType !== 'string' && subject.fieldType !== 'enum') {
      throw this.refuse(`\`contains\` needs a list or a text; '${subject.field}' is ${subject.fieldType}`, subject.range);
    }
    if (isList) {
      if (subject.transform) throw this.refuse(`${subject.transform}() of a list`, subject.range);
      const value = this.listItem(item, subject);
      return { kind: 'contains', subject, value, negated: false };
    }
    const text = this.stringLiteral(item);
    if (this.caseImpossible(subject, text)) return { kind: 'constant', value: false };
    return { kind: 'contains', subject, value: { type: 'string', value: text }, negated: false };
  }

  private listItem(item: Expr, subject: Subject): ExportValue {
    const inner = item.type === 'Paren' ? item.expr : item;
    if (subject.fieldType === 'list<string>') {
      if (inner.type !== 'String') throw this.refuse('a list of texts holds texts: write the item in quotes', item.range);
      return { type: 'string', value: inner.value };
    }
    const n = this.number(inner);
    if (n === undefined) throw this.refuse('a list of integers holds numbers', item.range);
    return { type: 'number', value: n };
  }

  /** `lower(x) == "Ab"` can never hold: the literal has letters `lower` never yields. */
  private caseImpossible(subject: Subject, text: string): boolean {
    if (subject.transform === 'lower') return text !== text.toLowerCase();
    if (subject.transform === 'upper') return text !== text.toUpperCase();
    return false;
  }

  private caseFiltered(subject: Subject, values: ExportValue[]): ExportValue[] {
    return values.filter((v) => v.type !== 'string' || !this.caseImpossible(subject, v.value));
  }

  // ------------------------------------------------------------ subjects and values

  private isSubject(expr: Expr): boolean {
    const inner = expr.type === 'Paren' ? expr.expr : expr;
    if (inner.type === 'Name') return this.resolve(inner).kind === 'field';
    if (inner.type === 'Call') return ['lower', 'upper', 'len'].includes(inner.callee.name);
    if (inner.type === 'RelatedField' || inner.type === 'Aggregate') return true;
    return inner.type === 'Arith' && this.mentionsField(inner);
  }

  private mentionsField(expr: Expr): boolean {
    switch (expr.type) {
      case 'Name':
        return this.resolve(expr).kind === 'field';
      case 'Paren':
        return this.mentionsField(expr.expr);
      case 'Arith':
        return this.mentionsField(expr.left) || this.mentionsField(expr.right);
      case 'Negate':
        return this.mentionsField(expr.operand);
      case 'String':
      case 'Number':
      case 'Percent':
      case 'Boolean':
      case 'Date':
      case 'DateTime':
      case 'List':
      case 'Not':
      case 'Logical':
      case 'Compare':
      case 'In':
      case 'Between':
      case 'Contains':
      case 'Affix':
      case 'Matches':
      case 'Missing':
      case 'WithinLast':
      case 'Temporal':
      case 'Call':
      case 'Ago':
      case 'Today':
      case 'Now':
      case 'RelatedField':
      case 'Aggregate':
      case 'Error':
        return false;
      default:
        return unreachable(expr);
    }
  }

  private subject(expr: Expr): Subject {
    const inner = expr.type === 'Paren' ? expr.expr : expr;
    if (inner.type === 'Name') {
      const resolution = this.resolve(inner);
      if (resolution.kind !== 'field') throw this.refuse(`'${inner.name}' is not a field`, inner.range);
      const info = this.fieldInfo(inner.name);
      if (!info) throw this.refuse(`the type of field '${inner.name}' is not known (no data and not declared)`, inner.range);
      return { field: inner.name, attribute: this.scope.attributeOf(inner.name), fieldType: info, file: this.scope.file, range: inner.range };
    }
    if (inner.type === 'Call') {
      const fn = inner.callee.name;
      if (fn === 'lower' || fn === 'upper' || fn === 'len') {
        const arg = inner.arg.type === 'Paren' ? inner.arg.expr : inner.arg;
        if (arg.type !== 'Name') throw this.refuse(`${this.scope.system} can only apply ${fn}() to an attribute`, inner.range);
        const base = this.subject(arg);
        if (fn !== 'len' && base.fieldType !== 'string' && base.fieldType !== 'enum') throw this.refuse(`${fn}() of ${base.fieldType}`, inner.range);
        return { ...base, transform: fn, range: inner.range };
      }
    }
    if (inner.type === 'RelatedField' || inner.type === 'Aggregate') throw this.refuseRelated(inner);
    if (inner.type === 'Arith' || inner.type === 'Negate') {
      throw this.refuse(`${this.scope.system} cannot compute arithmetic (${describeArith(inner)}) on attributes`, inner.range);
    }
    throw this.refuse(`${this.scope.system} compares attributes; this is not one`, inner.range);
  }

  private stringSubject(expr: Expr, what: string): Subject {
    const subject = this.subject(expr);
    const textual = subject.fieldType === 'string' || subject.fieldType === 'enum';
    if (!textual || subject.transform === 'len') throw this.refuse(`${what} needs a text; '${subject.field}' is ${subject.transform === 'len' ? 'a length' : subject.fieldType}`, subject.range);
    return subject;
  }

  private fieldInfo(name: string): Subject['fieldType'] | undefined {
    for (const fields of this.scope.model.fieldTypes.values()) {
      // The segment's dataset comes first in practice; names are per dataset.
      const info = fields.get(name);
      if (info) return info.type;
    }
    return undefined;
  }

  /** A literal (or a frozen relative date / aggregate) as the subject's attribute holds it; undefined: not a value of its type. */
  private value(expr: Expr, subject: Subject): ExportValue | undefined {
    const inner = expr.type === 'Paren' ? expr.expr : expr;
    const type = subject.transform === 'len' ? 'integer' : subject.fieldType;
    switch (type) {
      case 'integer':
      case 'number': {
        const n = this.number(inner);
        if (n === undefined) throw this.refuse(`expected a number for '${subject.field}'`, inner.range);
        return { type: 'number', value: n };
      }
      case 'string':
      case 'enum':
        return { type: 'string', value: this.stringLiteral(inner) };
      case 'semver': {
        const text = this.stringLiteral(inner);
        // The engine reads a comparison with a non-version as unknown; no system has that value.
        const parsed = parseSemver(text);
        if (!isSemverText(text) || !parsed) throw this.refuse(`'${text}' is not a version, so '${subject.field}' never compares with it`, inner.range);
        // Written in full (`1.2` is `1.2.0`, no `v`, no build): the systems' parsers are stricter than Segspec's.
        return { type: 'semver', value: `${parsed.core.join('.')}${parsed.pre.length > 0 ? `-${parsed.pre.join('.')}` : ''}` };
      }
      case 'boolean':
        if (inner.type !== 'Boolean') throw this.refuse(`expected true or false for '${subject.field}'`, inner.range);
        return { type: 'boolean', value: inner.value };
      case 'date':
      case 'datetime': {
        const t = this.temporalOf(inner, subject);
        if (!t) throw this.refuse(`expected a date for '${subject.field}'`, inner.range);
        return this.temporalEquals(subject, t);
      }
      case 'list<string>':
      case 'list<integer>':
        throw this.refuse(`'${subject.field}' is a list: use \`contains\``, inner.range);
      default:
        return unreachable(type);
    }
  }

  private temporalOf(expr: Expr, subject: Subject): Temporal | undefined {
    if (subject.transform || (subject.fieldType !== 'date' && subject.fieldType !== 'datetime')) return undefined;
    const inner = expr.type === 'Paren' ? expr.expr : expr;
    switch (inner.type) {
      case 'Date': {
        const days = daysFromIso(inner.value);
        if (days === undefined) throw this.refuse(`'${inner.value}' is not a valid date`, inner.range);
        return { days };
      }
      case 'DateTime':
        return { ms: inner.epochMs };
      case 'String': {
        const days = daysFromIso(inner.value);
        if (days !== undefined) return { days };
        if (/^\d{4}-\d{2}-\d{2}T/.test(inner.value)) {
          const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(inner.value) ? inner.value : `${inner.value}Z`);
          if (!Number.isNaN(ms)) return { ms };
        }
        throw this.refuse(`'${inner.value}' is not a date`, inner.range);
      }
      case 'Today':
        this.warnFrozen('today', isoFromDays(this.today), inner.range);
        return subject.fieldType === 'datetime' ? { ms: this.today * MS_PER_DAY } : { days: this.today };
      case 'Now':
        this.warnFrozen('now', new Date((this.today + 1) * MS_PER_DAY).toISOString(), inner.range);
        return { ms: (this.today + 1) * MS_PER_DAY };
      case 'Ago': {
        const text = `${inner.amount.raw} ${inner.unit}${inner.amount.value === 1 ? '' : 's'} ago`;
        if (subject.fieldType === 'datetime') {
          const ms = subtractUnits(this.today + 1, inner.amount.value, inner.unit);
          this.warnFrozen(text, new Date(ms).toISOString(), inner.range);
          return { ms };
        }
        const ms = subtractUnits(this.today, inner.amount.value, inner.unit);
        this.warnFrozen(text, ms % MS_PER_DAY === 0 ? isoFromDays(ms / MS_PER_DAY) : new Date(ms).toISOString(), inner.range);
        return ms % MS_PER_DAY === 0 ? { days: ms / MS_PER_DAY } : { ms };
      }
      case 'Call': {
        const frozen = this.aggregate(inner);
        if (frozen === undefined) return undefined;
        if (typeof frozen === 'object' && frozen !== null && !Array.isArray(frozen)) {
          if (frozen.kind === 'date') return { days: frozen.days };
          if (frozen.kind === 'instant') return { ms: frozen.ms };
        }
        throw this.refuse(`${inner.callee.name}(…) is not a date here`, inner.range);
      }
      case 'Number':
      case 'Percent':
      case 'Boolean':
      case 'Name':
      case 'List':
      case 'Not':
      case 'Logical':
      case 'Negate':
      case 'Arith':
      case 'Compare':
      case 'In':
      case 'Between':
      case 'Contains':
      case 'Affix':
      case 'Matches':
      case 'Missing':
      case 'WithinLast':
      case 'Temporal':
      case 'RelatedField':
      case 'Aggregate':
      case 'Error':
      case 'Paren':
        return undefined;
      default:
        return unreachable(inner);
    }
  }

  private number(expr: Expr): number | undefined {
    const inner = expr.type === 'Paren' ? expr.expr : expr;
    switch (inner.type) {
      case 'Number':
        return inner.value;
      case 'Percent':
        return inner.value / 100;
      case 'Negate': {
        const n = this.number(inner.operand);
        return n === undefined ? undefined : -n;
      }
      case 'Call': {
        const frozen = this.aggregate(inner);
        if (typeof frozen === 'number') return frozen;
        if (frozen === null) throw this.refuse(`${inner.callee.name}(…) has no value on the sample data (no values), so it cannot be frozen`, inner.range);
        return undefined;
      }
      case 'Arith':
        throw this.refuse(`${this.scope.system} cannot compute arithmetic (${describeArith(inner)})`, inner.range);
      case 'String':
      case 'Boolean':
      case 'Date':
      case 'DateTime':
      case 'Name':
      case 'List':
      case 'Not':
      case 'Logical':
      case 'Compare':
      case 'In':
      case 'Between':
      case 'Contains':
      case 'Affix':
      case 'Matches':
      case 'Missing':
      case 'WithinLast':
      case 'Temporal':
      case 'Ago':
      case 'Today':
      case 'Now':
      case 'RelatedField':
      case 'Aggregate':
      case 'Error':
      case 'Paren':
        return undefined;
      default:
        return unreachable(inner);
    }
  }

  /** A dataset-wide aggregate computed on the sample table, with a warning; undefined when `call` is not one. */
  private aggregate(call: CallExpr): ReturnType<typeof tableAggregate> | undefined {
    if (!isAggregateName(call.callee.name)) return undefined;
    const table = this.scope.table;
    if (!table) throw this.refuse(`${call.callee.name}(…) is computed over the dataset, and no data is loaded to compute it on`, call.range);
    const ctx: CompileContext = {
      table,
      today: this.today,
      resolve: (name) => this.resolve(name),
      segmentBits: () => undefined,
      shared: newSharedCache(),
    };
    const value = tableAggregate(call, ctx);
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
    this.warn(`${call.callee.name}(…) is written as its value on the sample data as of ${this.scope.asOf} (${shown}): the flag does not follow the data`, call.range);
    return value;
  }

  private stringLiteral(expr: Expr): string {
    const inner = expr.type === 'Paren' ? expr.expr : expr;
    if (inner.type !== 'String') throw this.refuse(`${this.scope.system} compares with a written value; expected a text in quotes`, inner.range);
    return inner.value;
  }

  private resolve(name: NameExpr): NameResolution {
    const known = this.scope.model.names.get(name);
    if (known) return known;
    if (this.fieldInfo(name.name)) return { kind: 'field', dataset: '', name: name.name };
    if (this.scope.model.segments.has(name.name)) return { kind: 'segment', name: name.name };
    return { kind: 'unknown' };
  }

  private warnFrozen(what: string, value: string, range: Range): void {
    this.warn(`'${what}' is written as its value on the as-of date ${this.scope.asOf} (${value}): the flag does not move with time`, range);
  }

  private warn(message: string, range: Range): void {
    if (this.scope.warnings.some((w) => w.message === message && w.range.start.offset === range.start.offset && w.file === this.scope.file)) return;
    this.scope.warnings.push({ message, range, file: this.scope.file });
  }

  private refuse(message: string, range: Range): ExportRefusal {
    return new ExportRefusal(message, { file: this.scope.file, range });
  }
}

/** The relation's negation, still for a present attribute. */
export function negateAtom(cond: Condition, subject: Subject): Condition {
  switch (cond.kind) {
    case 'constant':
      // Present and not a relation that never holds: just present.
      return cond.value ? { kind: 'constant', value: false } : { kind: 'present', subject: { ...subject, transform: undefined }, negated: false };
    case 'present':
      return cond.negated ? { ...cond, negated: false } : { kind: 'constant', value: false };
    case 'equals':
    case 'oneOf':
    case 'contains':
    case 'affix':
    case 'matches':
      return { ...cond, negated: !cond.negated };
    case 'order':
      return { ...cond, op: NEGATED_ORDER[cond.op] };
    case 'all':
      return any(cond.items.map((item) => negateAtom(item, subject)));
    case 'any':
      return all(cond.items.map((item) => negateAtom(item, subject)));
    case 'segment':
      return { ...cond, negated: !cond.negated };
    default:
      return unreachable(cond);
  }
}

function describeArith(expr: Expr): string {
  if (expr.type === 'Arith') return `'${expr.op}'`;
  return "'-'";
}

function instant(ms: number): ExportValue {
  return { type: 'datetime', value: new Date(ms).toISOString(), ms };
}
