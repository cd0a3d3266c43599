/**
 * Compiles a segment expression to a SQL predicate with the semantics of
 * SPEC §5: SQL three-valued logic for comparisons (which SQL gives natively),
 * two-valued segment references (`COALESCE((…), FALSE)`), relative dates as
 * literals computed from the as-of date, real division with division by zero
 * giving NULL, and dataset-wide aggregates as scalar subqueries.
 */
import type { ColumnType } from '../data/table.js';
import type {
  AffixExpr,
  AggregateExpr,
  ArithExpr,
  BetweenExpr,
  CallExpr,
  CompareExpr,
  CompareOp,
  ContainsExpr,
  Expr,
  InExpr,
  NameExpr,
  RelatedFieldExpr,
  TimeUnit,
  WithinLastExpr,
} from '../syntax/ast.js';
import { type CompiledSql, type SqlContext, type StoredKind, SqlCompileError } from './context.js';
import { type DialectRules, dialectRules, quoteTableName } from './dialect.js';
import { MS_PER_DAY, daysFromIso, isoFromDays, subtractUnits, timestampText } from './dates.js';
import { unreachable } from '../util/unreachable.js';
import { type SqlComparison, isSemverText, semverKeyOf, semverKeySql, semverLiteralComparisonSql } from './semver.js';
import { type RelatedTable, RelatedJoins, aggregateSql } from './related.js';

/** Binding strength of the produced SQL, loosest first; an operand is parenthesised when looser than needed. */
const enum Prec {
  Or = 1,
  And = 2,
  Not = 3,
  Predicate = 4,
  Additive = 5,
  Multiplicative = 6,
  Unary = 7,
  Atom = 8,
}

interface Out {
  sql: string;
  prec: Prec;
  /** Set on `AND` / `OR` chains so that a chain of the same operator is not parenthesised. */
  logical?: 'and' | 'or';
}

/**
 * Static type of an operand as far as SQL generation cares. `today`, `now`,
 * `N units ago` and ISO-looking strings adapt to the temporal type beside them.
 */
type OperandType = ColumnType | 'ago' | 'today' | 'now' | 'unknown';

type Target = 'date' | 'datetime' | 'semver' | undefined;

const AGGREGATE = /^p([1-9][0-9]?)$/;

export function compileWhere(expr: Expr, ctx: SqlContext): CompiledSql {
  const joins = ctx.joins ?? new RelatedJoins(dialectRules(ctx.dialect));
  const compiler = new WhereCompiler({ ...ctx, joins });
  const out = compiler.predicate(expr);
  const compiled: CompiledSql = { sql: out.sql, notes: [...compiler.notes] };
  if (!ctx.joins && !joins.isEmpty) compiled.joins = joins.joins();
  return compiled;
}

class WhereCompiler {
  readonly notes = new Set<string>();
  private readonly rules: DialectRules;
  private readonly todayDays: number;
  private readonly inlining: string[] = [];

  constructor(private readonly ctx: SqlContext) {
    this.rules = dialectRules(ctx.dialect);
    const days = daysFromIso(ctx.asOf);
    if (days === undefined) throw new SqlCompileError(`as-of date '${ctx.asOf}' is not a YYYY-MM-DD date`);
    this.todayDays = days;
  }

  // ------------------------------------------------------------ predicates

  predicate(expr: Expr): Out {
    switch (expr.type) {
      case 'Paren':
        return this.predicate(expr.expr);
      case 'Logical': {
        const left = this.logicalOperand(this.predicate(expr.left), expr.op);
        const right = this.logicalOperand(this.predicate(expr.right), expr.op);
        const op = expr.op === 'and' ? 'AND' : 'OR';
        return { sql: `${left} ${op} ${right}`, prec: expr.op === 'and' ? Prec.And : Prec.Or, logical: expr.op };
      }
      case 'Not':
        return { sql: `NOT ${wrap(this.predicate(expr.operand), Prec.Atom)}`, prec: Prec.Not };
      case 'Compare':
        return this.compare(expr);
      case 'Temporal':
        return this.comparison(expr.subject, expr.op === 'before' ? '<' : '>', expr.value);
      case 'In':
        return this.inList(expr);
      case 'Between':
        return this.between(expr);
      case 'Contains':
        return this.contains(expr);
      case 'Affix':
        return this.affix(expr);
      case 'Matches': {
        this.notes.add(this.rules.regexNote);
        const subject = this.arg(expr.subject);
        return { sql: this.rules.regexSearch(subject, this.rules.string(expr.pattern.value)), prec: Prec.Predicate };
      }
      case 'Missing':
        return {
          sql: `${wrap(this.value(expr.subject), Prec.Additive)} IS ${expr.negated ? 'NOT ' : ''}NULL`,
          prec: Prec.Predicate,
        };
      case 'WithinLast':
        return this.withinLast(expr);
      default:
        // A boolean field, a segment reference, a boolean literal, …
        return this.value(expr);
    }
  }

  private logicalOperand(out: Out, op: 'and' | 'or'): string {
    return out.logical === op ? out.sql : wrap(out, Prec.Not);
  }

  private compare(expr: CompareExpr): Out {
    return this.comparison(expr.left, expr.op, expr.right);
  }

  private comparison(leftExpr: Expr, op: CompareOp, rightExpr: Expr): Out {
    const types = [this.typeOf(leftExpr), this.typeOf(rightExpr)];
    const target = unify(types);
    const left = wrap(this.operand(leftExpr, target), Prec.Additive);
    let right = wrap(this.operand(rightExpr, target), Prec.Additive);
    const sqlOp = sqlComparison(op);
    // Equality too: under a nondeterministic (e.g. case-insensitive ICU) collation `=` is not the engine's equality.
    if (this.ordersText(types, target)) right = this.rules.byCodePoint(right);
    const keyed = `${left} ${sqlOp} ${right}`;
    const againstLiteral = target === 'semver' ? this.semverAgainstLiteral(leftExpr, sqlOp, rightExpr, keyed) : undefined;
    return againstLiteral ? atom(againstLiteral) : { sql: keyed, prec: Prec.Predicate };
  }

  /** A version compared with a version literal, the literal split at compile time (see `semverLiteralComparisonSql`). */
  private semverAgainstLiteral(leftExpr: Expr, op: SqlComparison, rightExpr: Expr, keyed: string): string | undefined {
    const left = unparen(leftExpr);
    const right = unparen(rightExpr);
    if (right.type === 'String' && left.type !== 'String') {
      return semverLiteralComparisonSql(this.rules, this.arg(left), op, right.value, keyed);
    }
    if (left.type === 'String' && right.type !== 'String') {
      return semverLiteralComparisonSql(this.rules, this.arg(right), MIRRORED[op], left.value, keyed);
    }
    return undefined;
  }

  /** Text ordering and equality must follow code points like the engine, not a locale collation. */
  private ordersText(types: OperandType[], target: Target): boolean {
    return target === 'semver' || (target === undefined && types.some((t) => t === 'string' || t === 'enum'));
  }

  private inList(expr: InExpr): Out {
    const types = [this.typeOf(expr.subject), ...expr.list.items.map((i) => this.typeOf(i))];
    const target = unify(types);
    const subject = wrap(this.operand(expr.subject, target), Prec.Additive);
    if (expr.list.items.length === 0) {
      // No SQL spelling for `IN ()`: unknown for a missing subject, else false (true for `not in`).
      return { sql: `CASE WHEN ${subject} IS NULL THEN NULL ELSE ${expr.negated ? 'TRUE' : 'FALSE'} END`, prec: Prec.Atom };
    }
    const byCodePoint = this.ordersText(types, target);
    const items = expr.list.items
      .map((i) => wrap(this.operand(i, target), Prec.Not))
      .map((sql) => (byCodePoint ? this.rules.byCodePoint(sql) : sql))
      .join(', ');
    return { sql: `${subject} ${expr.negated ? 'NOT IN' : 'IN'} (${items})`, prec: Prec.Predicate };
  }

  private between(expr: BetweenExpr): Out {
    const types = [expr.subject, expr.low, expr.high].map((e) => this.typeOf(e));
    const target = unify(types);
    const byCodePoint = this.ordersText(types, target);
    const [subject, low, high] = [expr.subject, expr.low, expr.high].map((e) =>
      wrap(this.operand(e, target), Prec.Additive),
    );
    const bound = (sql: string): string => (byCodePoint ? this.rules.byCodePoint(sql) : sql);
    if (target === 'semver') {
      // `x BETWEEN a AND b` is `x >= a AND x <= b`, unknowns included: each bound a literal comparison when it can be.
      const atLeast = this.semverAgainstLiteral(expr.subject, '>=', expr.low, `${subject} >= ${bound(low)}`);
      const atMost = this.semverAgainstLiteral(expr.subject, '<=', expr.high, `${subject} <= ${bound(high)}`);
      if (atLeast && atMost) return atom(`(${atLeast} AND ${atMost})`);
    }
    return { sql: `${subject} BETWEEN ${bound(low)} AND ${bound(high)}`, prec: Prec.Predicate };
  }

  private contains(expr: ContainsExpr): Out {
    const subjectType = this.typeOf(expr.subject);
    const isList = subjectType === 'list<string>' || subjectType === 'list<integer>';
    const subject = this.arg(expr.subject);
    const test = (value: string): string =>
      isList
        ? this.rules.listContains(subject, value)
        : `${this.rules.position(subject, value)} > 0`;
    if (expr.mode === 'one' && expr.value.type === 'List') {
      throw new SqlCompileError('`contains` takes one value; use `contains any [...]` or `contains all [...]` for a list', expr.value);
    }
    if (expr.value.type !== 'List') {
      if (expr.mode !== 'one') {
        throw new SqlCompileError(`'contains ${expr.mode}' needs a list of values in SQL`, expr.value);
      }
      if (isList) this.noteListRepresentation();
      return { sql: test(this.arg(expr.value)), prec: Prec.Predicate };
    }
    if (isList) this.noteListRepresentation();
    const values = expr.value.items.map((item) => this.arg(item));
    const joiner = expr.mode === 'any' ? ' OR ' : ' AND ';
    if (values.length === 0) {
      const whenPresent = expr.mode === 'any' ? 'FALSE' : 'TRUE';
      return { sql: `CASE WHEN ${subject} IS NULL THEN NULL ELSE ${whenPresent} END`, prec: Prec.Atom };
    }
    if (values.length === 1) return { sql: test(values[0]), prec: Prec.Predicate };
    return { sql: `(${values.map((v) => wrapSql(test(v))).join(joiner)})`, prec: Prec.Atom };
  }

  private noteListRepresentation(): void {
    if (this.ctx.dialect === 'bigquery') {
      this.notes.add(
        'bigquery: a NULL array is stored as an empty array, so a missing list reads as empty (`contains` is false rather than unknown).',
      );
    }
  }

  private affix(expr: AffixExpr): Out {
    const subject = this.arg(expr.subject);
    const value = this.arg(expr.value);
    const sql = expr.op === 'starts' ? this.rules.startsWith(subject, value) : this.rules.endsWith(subject, value);
    return { sql, prec: Prec.Predicate };
  }

  private withinLast(expr: WithinLastExpr): Out {
    const subjectType = this.typeOf(expr.subject);
    const target: Target = subjectType === 'datetime' ? 'datetime' : 'date';
    const nowDays = this.todayDays + 1;
    const lowMs = subtractUnits(nowDays, expr.amount.value, expr.unit);
    const subject = wrap(this.operand(expr.subject, target), Prec.Additive);
    const low = target === 'date' ? this.dateLiteral(Math.ceil(lowMs / MS_PER_DAY)) : this.timestampLiteral(lowMs);
    const high = target === 'date' ? this.dateLiteral(nowDays) : this.timestampLiteral(nowDays * MS_PER_DAY);
    return { sql: `(${subject} >= ${low} AND ${subject} < ${high})`, prec: Prec.Atom };
  }

  // ------------------------------------------------------------ values

  /** A value with no temporal or semver adaptation. */
  private value(expr: Expr): Out {
    return this.operand(expr, undefined);
  }

  /** An argument spliced into a function call of the dialect. */
  private arg(expr: Expr): string {
    return wrap(this.value(expr), Prec.Atom);
  }

  private operand(expr: Expr, target: Target): Out {
    if (target === 'semver') return this.semverOperand(expr);
    switch (expr.type) {
      case 'Paren':
        return this.operand(expr.expr, target);
      case 'String': {
        if (target === 'date' || target === 'datetime') {
          const temporal = this.temporalFromText(expr.value, target);
          if (temporal) return temporal;
        }
        return atom(this.rules.string(expr.value));
      }
      case 'Number': {
        const digits = integerBeyondSafeRange(expr.raw);
        // Kept exact: the engine compares it with an integer column exactly (a double would be rounded).
        if (digits !== undefined) return atom(this.ctx.dialect === 'bigquery' ? `BIGNUMERIC '${digits}'` : digits);
        return numberOut(expr.value);
      }
      case 'Percent':
        return numberOut(expr.value / 100);
      case 'Boolean':
        return atom(expr.value ? 'TRUE' : 'FALSE');
      case 'Date': {
        const days = daysFromIso(expr.value);
        if (days === undefined) throw new SqlCompileError(`'${expr.value}' is not a valid date`, expr);
        return atom(target === 'datetime' ? this.timestampLiteral(days * MS_PER_DAY) : this.dateLiteral(days));
      }
      case 'DateTime':
        return atom(this.timestampLiteral(expr.epochMs));
      case 'Today':
        return atom(
          target === 'datetime' ? this.timestampLiteral(this.todayDays * MS_PER_DAY) : this.dateLiteral(this.todayDays),
        );
      case 'Now':
        return atom(
          target === 'date'
            ? this.dateLiteral(this.todayDays + 1)
            : this.timestampLiteral((this.todayDays + 1) * MS_PER_DAY),
        );
      case 'Ago':
        return atom(this.agoLiteral(expr.amount.value, expr.unit, target));
      case 'Name':
        return this.name(expr, target);
      case 'Negate':
        return { sql: `-${wrap(this.value(expr.operand), Prec.Atom)}`, prec: Prec.Unary };
      case 'Arith':
        return this.arith(expr);
      case 'Call':
        return this.call(expr);
      case 'Aggregate':
        return this.aggregate(expr, target);
      case 'RelatedField':
        return this.lookup(expr, target);
      case 'List':
        throw new SqlCompileError('a list can only follow `in` or `contains`', expr);
      case 'Error':
        throw new SqlCompileError('the expression has a syntax error', expr);
      default: {
        // A predicate used as a value (e.g. compared with `true`).
        const out = this.predicate(expr);
        return out.prec === Prec.Atom ? out : atom(`(${out.sql})`);
      }
    }
  }

  private name(expr: NameExpr, target: Target): Out {
    const kind = this.ctx.resolveName(expr);
    if (kind === 'segment') return this.segmentReference(expr);
    if (kind !== 'field') throw new SqlCompileError(`unknown name '${expr.name}'`, expr);
    return this.column(this.rules.ident(expr.name), this.ctx.fieldType(expr.name) ?? 'unknown', this.ctx.storedAs?.(expr.name), target);
  }

  /** A column (or a value of a column's type) brought to the representation beside it. */
  private column(column: string, type: OperandType, stored: StoredKind | undefined, target: Target): Out {
    if (target === 'datetime' && type === 'date') {
      return atom(`CAST(${column} AS TIMESTAMP)`);
    }
    if (type === 'boolean') return atom(this.booleanColumn(column, stored));
    return atom(column);
  }

  // ------------------------------------------------------------ related datasets (SPEC §11)

  private relatedTable(dataset: string, expr: Expr): RelatedTable {
    const related = this.ctx.related?.(dataset);
    if (!related) throw new SqlCompileError(`'${dataset}' is not a dataset that belongs to this one`, expr);
    return related;
  }

  /** `E` of `count(R where E)`, on the related row; relative dates at this (the segment's) as-of date. */
  private relatedFilter(related: RelatedTable, filter: Expr): string {
    const rows: SqlContext = { ...related.rows, dialect: this.ctx.dialect, asOf: this.ctx.asOf, related: undefined };
    const compiled = compileWhere(filter, { ...rows, joins: new RelatedJoins(this.rules) });
    for (const note of compiled.notes) this.notes.add(note);
    return compiled.sql;
  }

  private aggregate(expr: AggregateExpr, target: Target): Out {
    const related = this.relatedTable(expr.dataset.name, expr);
    const filter = expr.filter ? this.relatedFilter(related, expr.filter) : undefined;
    const joins = this.ctx.joins as RelatedJoins;
    const { sql, type } = aggregateSql(expr, { rules: this.rules, related, joins, filter });
    return this.column(sql, type, undefined, target);
  }

  private lookup(expr: RelatedFieldExpr, target: Target): Out {
    const related = this.relatedTable(expr.dataset.name, expr);
    const field = expr.field.name;
    if (!related.oneToOne) {
      throw new SqlCompileError(`'${related.dataset}' has many rows per parent: use an aggregate such as max(${related.dataset}.${field})`, expr);
    }
    const type = related.rows.fieldType(field);
    if (type === undefined) throw new SqlCompileError(`'${related.dataset}' has no field '${field}'`, expr);
    const column = (this.ctx.joins as RelatedJoins).lookupColumn(related, field);
    return this.column(column, type, related.rows.storedAs?.(field), target);
  }

  /** A boolean field's column as a boolean: 0/1 and true/false/yes/no (any case) as the embedded reader takes them. */
  private booleanColumn(column: string, stored: StoredKind | undefined): string {
    if (stored === 'number') return `(CASE WHEN ${column} = 1 THEN TRUE WHEN ${column} = 0 THEN FALSE END)`;
    if (stored !== 'text') return column;
    const word = `lower(trim(${column}))`;
    return `(CASE WHEN ${word} IN ('1', 'true', 'yes') THEN TRUE WHEN ${word} IN ('0', 'false', 'no') THEN FALSE END)`;
  }

  private segmentReference(expr: NameExpr): Out {
    const name = expr.name;
    if (this.inlining.includes(name)) {
      throw new SqlCompileError(`segment '${name}' refers to itself through ${this.inlining.join(' → ')}`, expr);
    }
    const where = this.ctx.segmentWhere(name);
    if (!where) {
      this.notes.add(`segment '${name}' is a draft (no \`where\`): it has no members.`);
      return atom('FALSE');
    }
    this.inlining.push(name);
    try {
      const inner = this.predicate(where);
      // Membership is two-valued: an unknown result means "not a member".
      return atom(`COALESCE((${inner.sql}), FALSE)`);
    } finally {
      this.inlining.pop();
    }
  }

  private semverOperand(expr: Expr): Out {
    if (expr.type === 'Paren') return this.semverOperand(expr.expr);
    if (expr.type === 'String') {
      // A literal that is not a version compares as unknown, as in the engine.
      return atom(isSemverText(expr.value) ? this.rules.string(semverKeyOf(expr.value)) : `CAST(NULL AS ${this.rules.text})`);
    }
    return atom(semverKeySql(this.rules, this.arg(expr)));
  }

  private arith(expr: ArithExpr): Out {
    if (expr.op === '/') {
      // Inside CAST(… AS T) or SAFE_DIVIDE(…, …) any operand stands without parentheses.
      const left = wrap(this.value(expr.left), Prec.Or);
      const right = wrap(this.value(expr.right), Prec.Or);
      if (this.ctx.dialect === 'bigquery') return atom(`SAFE_DIVIDE(${left}, ${right})`);
      const double = this.rules.double;
      return { sql: `CAST(${left} AS ${double}) / NULLIF(CAST(${right} AS ${double}), 0)`, prec: Prec.Multiplicative };
    }
    const prec = expr.op === '*' ? Prec.Multiplicative : Prec.Additive;
    const left = wrap(this.arithOperand(expr.left), prec);
    const right = wrap(this.arithOperand(expr.right), prec + 1);
    return { sql: `${left} ${expr.op} ${right}`, prec };
  }

  /**
   * SQL reads `0.1` as an exact decimal, so `3 * 0.1` would be exactly 0.3;
   * the engine computes in doubles. A fractional literal is cast to double.
   */
  private arithOperand(expr: Expr): Out {
    const inner = expr.type === 'Paren' ? expr.expr : expr;
    const value = inner.type === 'Number' ? inner.value : inner.type === 'Percent' ? inner.value / 100 : undefined;
    if (value !== undefined && !Number.isInteger(value)) {
      return atom(`CAST(${wrap(numberOut(value), Prec.Atom)} AS ${this.rules.double})`);
    }
    return this.value(expr);
  }

  private call(expr: CallExpr): Out {
    const fn = expr.callee.name;
    switch (fn) {
      case 'lower':
      case 'upper':
        return atom(`${fn}(${this.arg(expr.arg)})`);
      case 'len': {
        const type = this.typeOf(expr.arg);
        const arg = this.arg(expr.arg);
        const isList = type === 'list<string>' || type === 'list<integer>';
        return atom(isList ? this.rules.listLength(arg) : this.rules.strLength(arg));
      }
      case 'mean':
        return atom(`(SELECT avg(${this.arg(expr.arg)}) FROM ${this.table()})`);
      case 'min':
      case 'max':
        return atom(`(SELECT ${fn}(${this.arg(expr.arg)}) FROM ${this.table()})`);
      case 'median':
        return this.percentile(expr, 0.5);
    }
    const p = AGGREGATE.exec(fn);
    if (p) return this.percentile(expr, Number(p[1]) / 100);
    throw new SqlCompileError(`unknown function '${fn}'`, expr);
  }

  private percentile(expr: CallExpr, fraction: number): Out {
    const { sql, note } = this.rules.percentile(this.arg(expr.arg), fraction, this.table());
    if (note) this.notes.add(note);
    return atom(sql);
  }

  private table(): string {
    return this.ctx.from ?? quoteTableName(this.rules, this.ctx.table);
  }

  // ------------------------------------------------------------ dates

  private dateLiteral(days: number): string {
    return `DATE '${isoFromDays(writableMs(days * MS_PER_DAY) / MS_PER_DAY)}'`;
  }

  private timestampLiteral(ms: number): string {
    return `TIMESTAMP '${timestampText(writableMs(ms))}'`;
  }

  private agoLiteral(amount: number, unit: TimeUnit, target: Target): string {
    if (target === 'datetime') return this.timestampLiteral(subtractUnits(this.todayDays + 1, amount, unit));
    // Next to a date, `N units ago` is `today - N units`: a whole day, unless N days is fractional,
    // when the date compares with that instant (SQL casts the date to its midnight).
    const ms = subtractUnits(this.todayDays, amount, unit);
    return ms % MS_PER_DAY === 0 ? this.dateLiteral(ms / MS_PER_DAY) : this.timestampLiteral(ms);
  }

  /** An ISO date or date-time written as a string, compared with a temporal value. */
  private temporalFromText(text: string, target: 'date' | 'datetime'): Out | undefined {
    const days = daysFromIso(text);
    if (days !== undefined) {
      return atom(target === 'datetime' ? this.timestampLiteral(days * MS_PER_DAY) : this.dateLiteral(days));
    }
    if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
    const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
    const ms = Date.parse(withZone);
    if (Number.isNaN(ms)) return undefined;
    // A date field next to an instant compares as the instant of its midnight.
    return atom(this.timestampLiteral(ms));
  }

  // ------------------------------------------------------------ types

  private aggregateType(expr: AggregateExpr): OperandType {
    switch (expr.fn) {
      case 'count':
      case 'countDistinct':
        return 'integer';
      case 'exists':
        return 'boolean';
      case 'sum':
      case 'mean':
      case 'median':
      case 'percentile':
        return 'number';
      case 'min':
      case 'max': {
        const field = expr.field?.name;
        const type = field === undefined ? undefined : this.ctx.related?.(expr.dataset.name)?.rows.fieldType(field);
        return type ?? 'unknown';
      }
      default:
        return unreachable(expr.fn);
    }
  }

  private typeOf(expr: Expr): OperandType {
    switch (expr.type) {
      case 'Paren':
        return this.typeOf(expr.expr);
      case 'String':
        return 'string';
      case 'Number':
      case 'Percent':
      case 'Arith':
      case 'Negate':
        return 'number';
      case 'Boolean':
        return 'boolean';
      case 'Date':
        return 'date';
      case 'DateTime':
        return 'datetime';
      case 'Today':
        return 'today';
      case 'Now':
        return 'now';
      case 'Ago':
        return 'ago';
      case 'Name': {
        const kind = this.ctx.resolveName(expr);
        if (kind === 'segment') return 'boolean';
        return this.ctx.fieldType(expr.name) ?? 'unknown';
      }
      case 'Call': {
        const fn = expr.callee.name;
        if (fn === 'lower' || fn === 'upper') return 'string';
        if (fn === 'len') return 'integer';
        const argType = this.typeOf(expr.arg);
        if ((fn === 'min' || fn === 'max') && (argType === 'date' || argType === 'datetime')) return argType;
        return 'number';
      }
      case 'Aggregate':
        return this.aggregateType(expr);
      case 'RelatedField':
        return this.ctx.related?.(expr.dataset.name)?.rows.fieldType(expr.field.name) ?? 'unknown';
      case 'List':
      case 'Error':
        return 'unknown';
      default:
        return 'boolean';
    }
  }
}

/** The common representation operands are brought to before comparing. */
function unify(types: OperandType[]): Target {
  if (types.includes('semver')) return 'semver';
  if (types.includes('datetime')) return 'datetime';
  if (types.includes('date')) return 'date';
  if (types.includes('now')) return 'datetime';
  if (types.includes('ago') || types.includes('today')) return 'date';
  return undefined;
}

function sqlComparison(op: CompareOp): SqlComparison {
  switch (op) {
    case '==':
      return '=';
    case '!=':
      return '<>';
    case '<':
    case '<=':
    case '>=':
    case '>':
      return op;
    default:
      return unreachable(op);
  }
}

function unparen(expr: Expr): Expr {
  return expr.type === 'Paren' ? unparen(expr.expr) : expr;
}

/** The operator that holds with the operands swapped (`a < b` is `b > a`). */
const MIRRORED: Record<SqlComparison, SqlComparison> = { '<': '>', '<=': '>=', '=': '=', '<>': '<>', '>=': '<=', '>': '<' };

function atom(sql: string): Out {
  return { sql, prec: Prec.Atom };
}

/** The digits of an integer literal beyond ±(2^53 − 1) (`_` separators dropped), else undefined. */
function integerBeyondSafeRange(raw: string): string | undefined {
  const digits = raw.replace(/_/g, '').replace(/^0+(?=\d)/, '');
  return /^\d+$/.test(digits) && !Number.isSafeInteger(Number(digits)) ? digits : undefined;
}

function numberOut(value: number): Out {
  if (!Number.isFinite(value)) throw new SqlCompileError(`number ${value} has no SQL literal`);
  const text = String(value);
  return value < 0 || Object.is(value, -0) ? atom(`(${text})`) : atom(text);
}

function wrap(out: Out, min: Prec): string {
  return out.prec >= min ? out.sql : `(${out.sql})`;
}

function wrapSql(sql: string): string {
  return `(${sql})`;
}

/** Years 0001-9999: what every dialect's DATE and TIMESTAMP literals can hold. */
const FIRST_WRITABLE_MS = -62_135_596_800_000; // 0001-01-01T00:00:00Z (Date.UTC reads year 1 as 1901)
const LAST_WRITABLE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The instant, when SQL can write it as a literal; a compile error otherwise (e.g. `within last 10000000 days`). */
function writableMs(ms: number): number {
  if (Number.isFinite(ms) && ms >= FIRST_WRITABLE_MS && ms <= LAST_WRITABLE_MS) return ms;
  throw new SqlCompileError('a date in this rule falls outside the years 0001-9999 that SQL date and timestamp literals can hold');
}
