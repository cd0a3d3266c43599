/**
 * Related datasets in SQL (SPEC §11). Every aggregate over a related dataset
 * becomes one column of a grouped subquery of that dataset — one row per link
 * value, `GROUP BY` the link — LEFT JOINed to the parent by its key, so each
 * distinct aggregate is computed once per statement however many rules use it,
 * and a parent without related rows meets NULL there: the compiled predicate
 * turns that into SPEC §11's value (`COALESCE(…, 0)` for count, count distinct
 * and sum; false for exists; missing for the others). A one-to-one lookup
 * (`survey.nps`) reads a second subquery holding one row per link value.
 *
 * The compiler registers what a predicate needs here (`RelatedJoins`) while it
 * compiles; the statement around the predicate takes its FROM from
 * `fromClause`, which is the plain table when nothing was registered.
 */
import type { ColumnType } from '../data/table.js';
import type { AggregateExpr } from '../syntax/ast.js';
import { unreachable } from '../util/unreachable.js';
import { type SqlContext, SqlCompileError } from './context.js';
import { type DialectRules, quoteTableName } from './dialect.js';

/** What an expression over the related rows (`E` in `count(plays where E)`) is compiled against. */
export type RowsContext = Pick<SqlContext, 'table' | 'resolveName' | 'fieldType' | 'storedAs' | 'segmentWhere'>;

/** A dataset that belongs to the one a segment draws from. */
export interface RelatedTable {
  /** The related dataset's name (for aliases and messages). */
  dataset: string;
  /** Its field holding the parent's key (`belongs to PARENT by FIELD`). */
  link: string;
  /** The parent's key field. */
  parentKey: string;
  /** Whether the link is also the related dataset's key (at most one row per parent). */
  oneToOne: boolean;
  /** Its table and fields. */
  rows: RowsContext;
}

/** One LEFT JOIN of the parent's FROM. */
export interface RelatedJoin {
  /** The join's alias (unquoted). */
  alias: string;
  /** The subquery, one row per link value. */
  subquery: string;
  /** The parent's key field it joins on. */
  parentKey: string;
}

/** The parent table's alias once joins are added. */
export const PARENT_ALIAS = 'segspec_parent';
/** The link column of every joined subquery. */
const LINK = 'segspec_link';

interface Group {
  related: RelatedTable;
  /** Aggregate columns: name → the aggregate in the GROUP BY's select list, and what turns it into the value. */
  aggregates: Map<string, { inner: string; outer?: (column: string) => string }>;
  /** Looked-up fields, in the order first used. */
  lookups: Set<string>;
}

/** The joined subqueries a statement needs, collected while its predicates compile. */
export class RelatedJoins {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly rules: DialectRules) {}

  get isEmpty(): boolean {
    return this.groups.size === 0;
  }

  /**
   * The qualified column holding `aggregate` (an aggregate over the related
   * table, in the select list of a GROUP BY on the link) for the parent row;
   * NULL when the parent has no related row. `hint` names the column readably;
   * `outer`, when given, computes the value from the aggregate's column (a
   * percentile from a sorted array) in a SELECT around the GROUP BY.
   */
  aggregateColumn(related: RelatedTable, aggregate: string, hint: string, outer?: (column: string) => string): string {
    const group = this.group(related);
    // Named by its text, so equal aggregates share one column and a name always means the same aggregate.
    const name = `${hint}_${hash(outer ? `${aggregate}\u0000${outer('x')}` : aggregate)}`;
    group.aggregates.set(name, { inner: aggregate, outer });
    return `${this.rules.ident(aggregateAlias(related))}.${this.rules.ident(name)}`;
  }

  /** The qualified column holding `field` of the parent's related row; NULL when it has none. */
  lookupColumn(related: RelatedTable, field: string): string {
    this.group(related).lookups.add(field);
    return `${this.rules.ident(lookupAlias(related))}.${this.rules.ident(lookupColumnName(field))}`;
  }

  /** The joins, in the order their datasets were first used. */
  joins(): RelatedJoin[] {
    const out: RelatedJoin[] = [];
    const ident = this.rules.ident;
    for (const { related, aggregates, lookups } of this.groups.values()) {
      const table = quoteTableName(this.rules, related.rows.table);
      const link = ident(related.link);
      if (aggregates.size > 0) {
        const columns = [...aggregates].map(([name, { inner }]) => `${inner} AS ${ident(name)}`);
        let subquery = `SELECT ${link} AS ${LINK}, ${columns.join(', ')} FROM ${table} GROUP BY ${link}`;
        if ([...aggregates.values()].some((a) => a.outer)) {
          const values = [...aggregates].map(([name, { outer }]) => (outer ? `${outer(ident(name))} AS ${ident(name)}` : ident(name)));
          subquery = `SELECT ${LINK}, ${values.join(', ')} FROM (${subquery}) AS segspec_grouped`;
        }
        out.push({ alias: aggregateAlias(related), subquery, parentKey: related.parentKey });
      }
      if (lookups.size > 0) {
        // One row per link value even when the data repeats a link (a data error reported by the checks).
        // Spark and Snowflake want an ORDER BY in ROW_NUMBER's window; which of the repeated rows is kept is unspecified.
        const fields = [...lookups].map((f) => `${ident(f)} AS ${ident(lookupColumnName(f))}`).join(', ');
        const numbered = `SELECT *, ROW_NUMBER() OVER (PARTITION BY ${link} ORDER BY ${link}) AS segspec_nth FROM ${table}`;
        out.push({
          alias: lookupAlias(related),
          subquery: `SELECT ${link} AS ${LINK}, ${fields} FROM (${numbered}) AS segspec_numbered WHERE segspec_nth = 1`,
          parentKey: related.parentKey,
        });
      }
    }
    return out;
  }

  private group(related: RelatedTable): Group {
    let group = this.groups.get(related.dataset);
    if (!group) {
      group = { related, aggregates: new Map(), lookups: new Set() };
      this.groups.set(related.dataset, group);
    }
    return group;
  }
}

function aggregateAlias(related: RelatedTable): string {
  return `segspec_${related.dataset}`;
}

/** Renamed so that the parent's own (unqualified) columns never meet a joined column of the same name. */
function lookupColumnName(field: string): string {
  return `segspec_${field}`;
}

function lookupAlias(related: RelatedTable): string {
  return `segspec_${related.dataset}_row`;
}

/**
 * The FROM of a statement over `table` with the joins its predicates need:
 * the table alone when there are none (the SQL of rules without related
 * datasets is unchanged), else the table as `segspec_parent` with one LEFT
 * JOIN per subquery. `multiline` puts each join on its own lines, for people.
 */
export function fromClause(rules: DialectRules, table: string, joins: readonly RelatedJoin[] = [], multiline = false): string {
  const quoted = quoteTableName(rules, table);
  if (joins.length === 0) return quoted;
  const parent = rules.ident(PARENT_ALIAS);
  const [nl, indent] = multiline ? ['\n', '  '] : [' ', ''];
  const parts = joins.map((j) => {
    const alias = rules.ident(j.alias);
    const on = `ON ${alias}.${LINK} = ${parent}.${rules.ident(j.parentKey)}`;
    return `LEFT JOIN (${nl}${indent}${indent}${j.subquery}${nl}${indent}) AS ${alias} ${on}`;
  });
  return [`${quoted} AS ${parent}`, ...parts].join(`${nl}${indent}`);
}

/** The parent's own columns in a select list over `fromClause` (`*` would bring the joined ones too). */
export function parentColumns(rules: DialectRules, joins: readonly RelatedJoin[]): string {
  return joins.length === 0 ? '*' : `${rules.ident(PARENT_ALIAS)}.*`;
}

/** How to compile the pieces of an aggregate: its field, its filter, and the dialect's rules. */
export interface AggregateParts {
  rules: DialectRules;
  related: RelatedTable;
  joins: RelatedJoins;
  /** The filter `E` compiled on the related row, or undefined without one. */
  filter: string | undefined;
}

/** The value of an aggregate on the parent row, and its type. */
export interface AggregateValue {
  sql: string;
  type: ColumnType | 'unknown';
}

/**
 * SQL for `count(R …)`, `count(distinct R.f …)`, `sum`, `mean`, `median`,
 * `min`, `max`, `pNN` and `exists(R …)` with SPEC §11's values for parents
 * without (matching) related rows.
 */
export function aggregateSql(expr: AggregateExpr, parts: AggregateParts): AggregateValue {
  const { rules, related, joins, filter } = parts;
  const field = expr.field?.name;
  const fieldType = field === undefined ? undefined : related.rows.fieldType(field);
  const column = (): string => {
    if (field === undefined) throw new SqlCompileError(`${expr.callee.name}(${related.dataset}) needs a field: ${expr.callee.name}(${related.dataset}.FIELD)`, expr);
    if (fieldType === undefined) throw new SqlCompileError(`'${related.dataset}' has no field '${field}'`, expr);
    return rules.ident(field);
  };
  const hint = `${expr.callee.name.toLowerCase()}${field === undefined ? '' : `_${field}`}`.replace(/[^A-Za-z0-9_]/g, '_');
  const agg = (fn: (arg: string) => string, arg: string): string => filtered(rules, fn, arg, filter);
  const col = (aggregate: string): string => joins.aggregateColumn(related, aggregate, hint);
  switch (expr.fn) {
    case 'count':
      return { sql: `COALESCE(${col(countRows(rules, filter))}, 0)`, type: 'integer' };
    case 'exists':
      // The count's column: `exists(R where E)` and `count(R where E)` share it.
      return { sql: `(COALESCE(${joins.aggregateColumn(related, countRows(rules, filter), `count`)}, 0) > 0)`, type: 'boolean' };
    case 'countDistinct':
      return { sql: `COALESCE(${col(agg((x) => `count(DISTINCT ${x})`, column()))}, 0)`, type: 'integer' };
    case 'sum':
      return { sql: `COALESCE(${col(agg((x) => `sum(${x})`, column()))}, 0)`, type: 'number' };
    case 'mean':
      return { sql: col(agg((x) => `avg(${x})`, `CAST(${column()} AS ${rules.double})`)), type: 'number' };
    case 'min':
    case 'max':
      return { sql: col(agg((x) => `${expr.fn}(${x})`, column())), type: fieldType ?? 'unknown' };
    case 'median':
    case 'percentile': {
      const fraction = expr.fn === 'median' ? 0.5 : (expr.percentile ?? NaN) / 100;
      if (!(fraction > 0 && fraction < 1)) throw new SqlCompileError(`'${expr.callee.name}' is not a percentile from p1 to p99`, expr);
      const { inner, outer } = rules.groupPercentile(column(), fraction, filter);
      return { sql: joins.aggregateColumn(related, inner, hint, outer), type: 'number' };
    }
    default:
      return unreachable(expr.fn);
  }
}

/** `count(*)` of the rows where the filter holds. */
function countRows(rules: DialectRules, filter: string | undefined): string {
  if (filter === undefined) return 'count(*)';
  return rules.aggregateFilter === 'filter' ? `count(*) FILTER (WHERE ${filter})` : `count(CASE WHEN ${filter} THEN 1 END)`;
}

/** An aggregate over the rows where the filter holds: `FILTER (WHERE …)`, or NULL for the others where the dialect lacks it. */
function filtered(rules: DialectRules, fn: (arg: string) => string, arg: string, filter: string | undefined): string {
  if (filter === undefined) return fn(arg);
  return rules.aggregateFilter === 'filter' ? `${fn(arg)} FILTER (WHERE ${filter})` : fn(`CASE WHEN ${filter} THEN ${arg} END`);
}

/** FNV-1a, 32 bits, as 8 hex digits: a short stable name for a column. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
