/**
 * What the SQL compiler needs to know about the world around an expression.
 */
import type { ColumnType } from '../data/table.js';
import type { Expr, NameExpr } from '../syntax/ast.js';
import type { Dialect } from './dialect.js';
import type { RelatedJoin, RelatedJoins, RelatedTable } from './related.js';

export interface SqlContext {
  dialect: Dialect;
  /** Reference date `YYYY-MM-DD`: `today`; `now` is the following midnight UTC. */
  asOf: string;
  /** Whether a bare name is a field of the dataset or a segment; undefined when unknown. */
  resolveName(name: NameExpr): 'field' | 'segment' | undefined;
  fieldType(name: string): ColumnType | undefined;
  /**
   * How the table stores a field when the engine said and it differs from the
   * declared type: a `boolean` field held as 0/1 numbers or as words
   * (yes/no/true/false, any case) is read as the embedded reader reads such
   * cells. Undefined: as declared (see dialect.ts).
   */
  storedAs?(field: string): StoredKind | undefined;
  /** A segment's `where`; undefined for a draft (which then has no members). */
  segmentWhere(name: string): Expr | undefined;
  /** Table name as written, possibly `schema.table`; each part is quoted. */
  table: string;
  /**
   * A FROM item that replaces the table in aggregates (e.g. a derived table of
   * a segment's members, for `expect mean(x)`); written as given, not quoted.
   */
  from?: string;
  /** A dataset that belongs to this one (SPEC §11), by name; undefined when it does not (or is unknown). */
  related?(dataset: string): RelatedTable | undefined;
  /**
   * Collects the joined subqueries that aggregates and lookups read from;
   * shared by every predicate of one statement (see related.ts). When left
   * out, `compileWhere` makes one and returns its joins.
   */
  joins?: RelatedJoins;
}

/** What kind of column holds a field on the engine. */
export type StoredKind = 'boolean' | 'number' | 'text' | 'other';

export interface CompiledSql {
  sql: string;
  /** Where the dialect's behaviour differs from the embedded engine's (e.g. its regex flavour). */
  notes: string[];
  /**
   * The subqueries the predicate reads aggregates and lookups of related
   * datasets from, when it uses some and the context brought no `joins`:
   * the statement's FROM must be `fromClause(…, joins)`.
   */
  joins?: RelatedJoin[];
}

/** An expression the compiler cannot translate (unknown name, cycle, syntax error placeholder). */
export class SqlCompileError extends Error {
  constructor(
    message: string,
    readonly expr?: Expr,
  ) {
    super(message);
    this.name = 'SqlCompileError';
  }
}
