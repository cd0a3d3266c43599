/**
 * Differential testing of aggregates and lookups over related datasets
 * (SPEC §11): random rules over a random parent table `users`, a random
 * many-per-parent `ev` (links that are missing or name no user, rows with
 * missing fields) and a random one-to-one `sv` (answers of some users and of
 * users that do not exist). The reference interpreter evaluates each rule
 * with the values SPEC §11 defines (worked out here, row by row, from the
 * related rows); SQL must select the same users.
 */
import fc from 'fast-check';
import type { ColumnType } from '../../../server/src/core/data/table.js';
import { aggregateValues } from '../../../server/src/core/engine/aggregates.js';
import { daysFromIso } from '../../../server/src/core/engine/dates.js';
import { type EvalEnv, evalPredicate, evalValue } from '../../../server/src/core/engine/reference.js';
import type { Truth, Value } from '../../../server/src/core/engine/values.js';
import type { NameResolution } from '../../../server/src/core/semantics/model.js';
import type { AggregateExpr, Expr, NameExpr, RelatedFieldExpr } from '../../../server/src/core/syntax/ast.js';
import type { FieldSpec } from '../../../server/src/sqlengines/duckdb.js';
import type { Row, RowValue } from '../../../server/src/sqlengines/rows.js';
import { cellValue } from './differential.js';
import { whereExpr } from './fixtures.js';
import type { RelatedSpec } from './related-fixtures.js';

export const PARENT_FIELDS: Record<string, ColumnType> = { id: 'integer', a: 'integer', s: 'string' };
/** `a` is also a parent field: inside `where` of an aggregate it must be the related row's. */
export const EV_FIELDS: Record<string, ColumnType> = {
  pid: 'integer',
  a: 'integer',
  x: 'number',
  g: 'string',
  t: 'datetime',
  d: 'date',
  ok: 'boolean',
};
export const SV_FIELDS: Record<string, ColumnType> = { pid: 'integer', n: 'integer', k: 'string', dd: 'date', l: 'list<string>' };

export const specs = (fields: Record<string, ColumnType>): FieldSpec[] => Object.entries(fields).map(([name, type]) => ({ name, type }));

export function relatedDiffSpecs(tables: { ev: string; sv: string }): Record<string, RelatedSpec> {
  return {
    ev: { table: tables.ev, link: 'pid', oneToOne: false, fields: EV_FIELDS },
    sv: { table: tables.sv, link: 'pid', oneToOne: true, fields: SV_FIELDS },
  };
}

export interface RelatedDiffCase {
  asOf: string;
  users: Row[];
  ev: Row[];
  sv: Row[];
  where: string;
}

const AS_OF = ['2026-06-30', '2024-02-29'];
const STRINGS = ['a', 'b', 'B', 'é'];
const NUMBERS = [-1.5, 0, 0.5, 2, 3.25];
const DAY_OFFSETS = [-400, -31, -30, -8, -7, -6, -1, 0, 1];
const HOUR_OFFSETS = [-24 * 31, -24 * 7 - 1, -24 * 7, -25, -24, -1, 0, 5, 23, 24];

function maybe<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.option(arb, { nil: null, freq: 4 });
}

function isoDay(asOf: string, offset: number): string {
  return new Date(((daysFromIso(asOf) as number) + offset) * 86_400_000).toISOString().slice(0, 10);
}

function isoInstant(asOf: string, hours: number): string {
  return new Date((daysFromIso(asOf) as number) * 86_400_000 + hours * 3_600_000).toISOString();
}

function evRow(asOf: string, users: number): fc.Arbitrary<Row> {
  return fc.record({
    // Links to a user, to no user (users + 1, users + 2), or missing.
    pid: maybe(fc.integer({ min: 1, max: users + 2 })),
    a: maybe(fc.integer({ min: -2, max: 4 })),
    x: maybe(fc.constantFrom(...NUMBERS)),
    g: maybe(fc.constantFrom(...STRINGS)),
    t: maybe(fc.constantFrom(...HOUR_OFFSETS).map((h) => isoInstant(asOf, h))),
    d: maybe(fc.constantFrom(...DAY_OFFSETS).map((o) => isoDay(asOf, o))),
    ok: maybe(fc.boolean()),
  }) as fc.Arbitrary<Row>;
}

function svRows(asOf: string, users: number): fc.Arbitrary<Row[]> {
  // At most one answer per user; some answers from users that do not exist.
  return fc.subarray(Array.from({ length: users + 2 }, (_, i) => i + 1)).chain((ids) =>
    fc.tuple(
      ...ids.map((pid) =>
        fc.record({
          pid: fc.constant(pid),
          n: maybe(fc.integer({ min: 0, max: 10 })),
          k: maybe(fc.constantFrom(...STRINGS)),
          dd: maybe(fc.constantFrom(...DAY_OFFSETS).map((o) => isoDay(asOf, o))),
          l: maybe(fc.subarray(['x', 'y'])) as fc.Arbitrary<RowValue>,
        }) as fc.Arbitrary<Row>,
      ),
    ),
  );
}

const cmp = fc.constantFrom('==', '!=', '<', '<=', '>', '>=');
const small = fc.integer({ min: -1, max: 4 });
const unit = fc.constantFrom('day', 'days', 'week', 'month');
const amount = fc.constantFrom(1, 7, 30);

/** A condition on an `ev` row. */
const evCondition: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(cmp, small).map(([op, k]) => `a ${op} ${k}`),
  fc.constantFrom('a is missing', 'ok', 'not ok', 'g == "a"', 'g in ["a", "b"]', 'x >= 0.5', 'x > a'),
  fc.tuple(amount, unit).map(([n, u]) => `t within last ${n} ${u}`),
  fc.tuple(fc.constantFrom('before', 'after'), fc.constantFrom(-7, -1, 0)).map(([op, o]) => `d ${op} ${o === 0 ? 'today' : `${-o} days ago`}`),
);
const evFilter: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: evCondition },
  { weight: 1, arbitrary: fc.tuple(evCondition, evCondition, fc.constantFrom('and', 'or')).map(([x, y, op]) => `(${x}) ${op} (${y})`) },
);
const optionalFilter = fc.option(evFilter, { nil: undefined, freq: 2 }).map((f) => (f === undefined ? '' : ` where ${f}`));

const aggregateLeaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(optionalFilter, cmp, fc.integer({ min: 0, max: 3 })).map(([f, op, k]) => `count(ev${f}) ${op} ${k}`),
  fc.tuple(optionalFilter, cmp, fc.integer({ min: 0, max: 3 })).map(([f, op, k]) => `count(distinct ev.g${f}) ${op} ${k}`),
  fc.tuple(fc.constantFrom('a', 'x'), optionalFilter, cmp, fc.integer({ min: -2, max: 6 })).map(([x, f, op, k]) => `sum(ev.${x}${f}) ${op} ${k}`),
  fc
    .tuple(fc.constantFrom('mean', 'median', 'p25', 'p90', 'min', 'max'), fc.constantFrom('a', 'x'), optionalFilter, cmp, small)
    .map(([fn, x, f, op, k]) => `${fn}(ev.${x}${f}) ${op} ${k}`),
  fc.tuple(fc.boolean(), optionalFilter).map(([neg, f]) => `${neg ? 'not ' : ''}exists(ev${f})`),
  fc.tuple(fc.constantFrom('min', 'max'), amount, unit).map(([fn, n, u]) => `${fn}(ev.t) within last ${n} ${u}`),
  fc.tuple(fc.constantFrom('min', 'max'), fc.constantFrom('before', 'after'), fc.constantFrom('today', 'now', '3 days ago')).map(
    ([fn, op, k]) => `${fn}(ev.${k === 'now' ? 't' : 'd'}) ${op} ${k}`,
  ),
  fc.tuple(fc.constantFrom('min', 'max', 'mean', 'sum'), fc.boolean()).map(([fn, neg]) => `${fn}(ev.a) is ${neg ? 'not ' : ''}missing`),
  fc.tuple(cmp, optionalFilter).map(([op, f]) => `a ${op} count(ev${f})`),
);

const lookupLeaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(cmp, fc.integer({ min: 0, max: 10 })).map(([op, k]) => `sv.n ${op} ${k}`),
  fc.constantFrom('sv.k == "a"', 'sv.k != "b"', 'sv.n is missing', 'sv.k is not missing', 'sv.l contains "x"', 'sv.n > a', 'sv.dd within last 7 days'),
);

const parentLeaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(cmp, small).map(([op, k]) => `a ${op} ${k}`),
  fc.constantFrom('s == "a"', 'a is missing'),
);

function rule(depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof({ weight: 4, arbitrary: aggregateLeaf }, { weight: 2, arbitrary: lookupLeaf }, { weight: 1, arbitrary: parentLeaf });
  if (depth <= 0) return leaf;
  const sub = rule(depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 2, arbitrary: fc.tuple(sub, sub).map(([x, y]) => `(${x}) and (${y})`) },
    { weight: 2, arbitrary: fc.tuple(sub, sub).map(([x, y]) => `(${x}) or (${y})`) },
    { weight: 1, arbitrary: sub.map((x) => `not (${x})`) },
  );
}

export const relatedDiffCaseArb: fc.Arbitrary<RelatedDiffCase> = fc
  .tuple(fc.constantFrom(...AS_OF), fc.integer({ min: 0, max: 6 }))
  .chain(([asOf, n]) =>
    fc.record({
      asOf: fc.constant(asOf),
      users: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.record({ id: fc.constant(i + 1), a: maybe(fc.integer({ min: -2, max: 4 })), s: maybe(fc.constantFrom(...STRINGS)) }),
        ),
      ) as fc.Arbitrary<Row[]>,
      ev: fc.array(evRow(asOf, n), { maxLength: 14 }),
      sv: svRows(asOf, n),
      where: rule(2),
    }),
  );

/** Users (ids) the rule selects according to the reference interpreter and SPEC §11. */
export function relatedReferenceMembers(c: RelatedDiffCase): number[] {
  const today = daysFromIso(c.asOf) as number;
  const where = whereExpr(c.where);
  const byName = (fields: Record<string, ColumnType>) => (name: NameExpr): NameResolution =>
    name.name in fields ? { kind: 'field', dataset: '', name: name.name } : { kind: 'unknown' };
  const rowEnv = (fields: Record<string, ColumnType>, row: Row): EvalEnv => ({
    today,
    resolve: byName(fields),
    field: (name) => cellValue(fields[name], row[name] ?? null),
    segment: () => false,
    aggregate: (call) => aggregateValues(call.callee.name, c.ev.map((r) => evalValue(call.arg, rowEnv(EV_FIELDS, r)))),
  });
  const related = (user: Row, expr: AggregateExpr | RelatedFieldExpr): Value => {
    if (expr.type === 'RelatedField') {
      const answer = c.sv.find((r) => r.pid === user.id);
      return answer ? cellValue(SV_FIELDS[expr.field.name], answer[expr.field.name] ?? null) : null;
    }
    const rows = c.ev.filter((r) => r.pid !== null && r.pid === user.id);
    const matching = expr.filter ? rows.filter((r) => evalPredicate(expr.filter as Expr, rowEnv(EV_FIELDS, r)) === true) : rows;
    const values = expr.field
      ? matching.map((r) => cellValue(EV_FIELDS[(expr.field as { name: string }).name], r[(expr.field as { name: string }).name] ?? null)).filter((v) => v !== null)
      : [];
    switch (expr.fn) {
      case 'count':
        return matching.length;
      case 'exists':
        return matching.length > 0;
      case 'countDistinct':
        return new Set(values.map((v) => JSON.stringify(v))).size;
      case 'sum':
        return (values as number[]).reduce((s, v) => s + v, 0);
      case 'mean':
      case 'median':
      case 'min':
      case 'max':
        return aggregateValues(expr.fn, values);
      case 'percentile':
        return aggregateValues(`p${expr.percentile}`, values);
      default:
        throw new Error(`unexpected aggregate ${String(expr.fn)}`);
    }
  };
  return c.users
    .filter((user) => {
      const env: EvalEnv = { ...rowEnv(PARENT_FIELDS, user), related: (expr) => related(user, expr) };
      const truth: Truth = evalPredicate(where, env);
      return truth === true;
    })
    .map((user) => user.id as number);
}
