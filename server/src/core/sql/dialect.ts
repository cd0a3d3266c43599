/**
 * What differs between the SQL dialects the compiler targets: quoting,
 * function names, and the handful of constructs (regex, percentiles, list
 * membership) that have no common spelling.
 *
 * Table representation assumed for every dialect (what the runners create and
 * what a warehouse table must look like):
 * - string, enum, semver: text; integer: 64-bit integer; number: double;
 *   boolean: boolean; date: DATE; datetime: TIMESTAMP without time zone,
 *   holding UTC (BigQuery: TIMESTAMP; Spark: TIMESTAMP with the session time
 *   zone set to UTC).
 * - list<string> / list<integer>: a native array (DuckDB `VARCHAR[]`,
 *   PostgreSQL `text[]`, Spark / BigQuery / Trino `ARRAY<…>`, Snowflake
 *   `ARRAY`); a missing list is NULL. CSV cells `a;b;c` are split on `;` when
 *   the table is loaded.
 * - a missing value is NULL (an empty CSV cell is loaded as NULL).
 */

export type Dialect = 'duckdb' | 'postgres' | 'spark' | 'bigquery' | 'snowflake' | 'trino';

export const DIALECTS: readonly Dialect[] = ['duckdb', 'postgres', 'spark', 'bigquery', 'snowflake', 'trino'];

export function isDialect(name: string): name is Dialect {
  return (DIALECTS as readonly string[]).includes(name);
}

export interface DialectRules {
  name: Dialect;
  /** A quoted identifier (one part). */
  ident(name: string): string;
  /** A string literal. */
  string(value: string): string;
  /** The double-precision type name for casts. */
  double: string;
  /** The text type name for casts. */
  text: string;
  /** Integer position of `needle` in `text`, 1-based, 0 when absent. */
  position(text: string, needle: string): string;
  /** `split_part(text, delimiter, index)` with a literal delimiter; 1-based; '' or NULL past the end. */
  splitPart(text: string, delimiter: string, index: number): string;
  /** Characters of a string. */
  strLength(text: string): string;
  /** Items of a list; NULL for a NULL list. */
  listLength(list: string): string;
  /** Whether the list holds the value; NULL when the list is NULL. */
  listContains(list: string, value: string): string;
  startsWith(text: string, prefix: string): string;
  endsWith(text: string, suffix: string): string;
  /** Regex search anywhere in the value; `pattern` is already a literal. */
  regexSearch(text: string, pattern: string): string;
  /** How the dialect's regex flavour differs from JavaScript's. */
  regexNote: string;
  /**
   * Every match of `pattern` (plain regex text, no backslashes) replaced by
   * `replacement`: literal text (no backslashes or `$`) and group numbers.
   */
  regexReplaceAll(text: string, pattern: string, replacement: ReadonlyArray<string | number>): string;
  /** Continuous percentile (linear interpolation) of the non-missing values over `table`; fraction in [0, 1]. */
  percentile(arg: string, fraction: number, table: string): { sql: string; note?: string };
  /** Wraps one operand of a text ordering comparison so that it compares by code point. */
  byCodePoint(sql: string): string;
  /**
   * How an aggregate over related rows keeps the rows where its `where` holds
   * (SPEC §11): SQL's `FILTER (WHERE …)`, or, where the dialect lacks it, a
   * `CASE WHEN … THEN x END` argument (the other rows give NULL, which
   * aggregates skip).
   */
  aggregateFilter: 'filter' | 'case';
  /**
   * The continuous percentile of the non-missing values of `arg` among a
   * group's rows where `filter` holds (all rows without one): `inner` is an
   * aggregate for a GROUP BY select list, `outer` turns its column into the
   * value (NULL when there are none), the engine's definition as in
   * `percentile`.
   */
  groupPercentile(arg: string, fraction: number, filter: string | undefined): GroupPercentile;
}

export interface GroupPercentile {
  inner: string;
  /** Undefined when the inner aggregate is the value. */
  outer?(column: string): string;
}

function doubleQuoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Standard SQL literal: only the quote is special (DuckDB, PostgreSQL with standard_conforming_strings, Trino). */
function standardString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Literal for dialects where a backslash escapes inside '…' (Spark, BigQuery, Snowflake). */
function backslashString(value: string): string {
  const body = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
  return `'${body}'`;
}

/** A replacement with groups written `\\1` (RE2, PostgreSQL, POSIX) or `$1` (Java). */
function replacementText(replacement: ReadonlyArray<string | number>, group: (n: number) => string): string {
  return replacement.map((part) => (typeof part === 'number' ? group(part) : part)).join('');
}

const backslashGroup = (n: number): string => `\\${n}`;
const dollarGroup = (n: number): string => `$${n}`;

function scalarSubqueryPercentile(aggregate: string, table: string): string {
  return `(SELECT ${aggregate} FROM ${table})`;
}

/**
 * The engine's percentile (`core/engine/aggregates.ts`) spelled out for
 * dialects without an exact `percentile_cont`: the non-missing values as
 * doubles in one sorted array, position q·(n−1), and
 * `lo + (hi − lo) · (pos − floor(pos))` — the same operations in the same
 * order, so the result is the same double. `sorted` aggregates `arg` into
 * that array; `at` reads it at a 0-based index given as a whole DOUBLE.
 */
function sortedArrayPercentile(
  sorted: string,
  at: (index: string) => string,
  arg: string,
  fraction: number,
  table: string,
): string {
  const pos = 'segspec_pos';
  const lo = at(`floor(${pos})`);
  const hi = at(`floor(${pos}) + 1`);
  const value = `CASE WHEN segspec_n = 0 THEN NULL WHEN ${pos} = floor(${pos}) THEN ${lo} ELSE ${lo} + (${hi} - ${lo}) * (${pos} - floor(${pos})) END`;
  const counted = `SELECT ${sorted} AS segspec_sorted, count(${arg}) AS segspec_n FROM ${table}`;
  const ranked = `SELECT segspec_sorted, segspec_n, CAST(${fraction} AS DOUBLE) * (segspec_n - 1) AS ${pos} FROM (${counted}) AS segspec_counted`;
  return `(SELECT ${value} FROM (${ranked}) AS segspec_ranked)`;
}

/** `arg` where `filter` holds, else NULL. */
function whenFilter(arg: string, filter: string | undefined): string {
  return filter === undefined ? arg : `CASE WHEN ${filter} THEN ${arg} END`;
}

/** ` FILTER (WHERE …)` when there is a filter. */
function filterClause(filter: string | undefined): string {
  return filter === undefined ? '' : ` FILTER (WHERE ${filter})`;
}

/**
 * The engine's percentile over a sorted array of doubles held in a column
 * (the per-group counterpart of `sortedArrayPercentile`): `size` gives its
 * length, `at` reads it at a 0-based index given as a whole DOUBLE.
 */
function arrayColumnPercentile(
  column: string,
  fraction: number,
  size: (array: string) => string,
  at: (array: string, index: string) => string,
  double = 'DOUBLE',
): string {
  const n = size(column);
  const pos = `(CAST(${fraction} AS ${double}) * (${n} - 1))`;
  const lo = at(column, `floor(${pos})`);
  const hi = at(column, `floor(${pos}) + 1`);
  return `(CASE WHEN ${column} IS NULL OR ${n} = 0 THEN NULL WHEN ${pos} = floor(${pos}) THEN ${lo} ELSE ${lo} + (${hi} - ${lo}) * (${pos} - floor(${pos})) END)`;
}

const SIMPLE_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words Snowflake reserves; such names are quoted even though that makes them case-sensitive. */
const SNOWFLAKE_RESERVED = new Set(
  (
    'ACCOUNT ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS ' +
    'CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP ELSE EXISTS ' +
    'FALSE FOLLOWING FOR FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ' +
    'ISSUE JOIN LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION ' +
    'QUALIFY REGEXP REVOKE RIGHT RLIKE ROW ROWS SAMPLE SCHEMA SELECT SET SOME START TABLE TABLESAMPLE THEN TO ' +
    'TRIGGER TRUE TRY_CAST UNION UNIQUE UPDATE USING VALUES VIEW WHEN WHENEVER WHERE WITH'
  ).split(' '),
);

const DUCKDB: DialectRules = {
  name: 'duckdb',
  ident: doubleQuoted,
  string: standardString,
  double: 'DOUBLE',
  text: 'VARCHAR',
  position: (t, n) => `strpos(${t}, ${n})`,
  splitPart: (t, d, i) => `split_part(${t}, ${standardString(d)}, ${i})`,
  strLength: (t) => `length(${t})`,
  listLength: (l) => `len(${l})`,
  listContains: (l, v) => `list_contains(${l}, ${v})`,
  startsWith: (t, p) => `starts_with(${t}, ${p})`,
  endsWith: (t, s) => `ends_with(${t}, ${s})`,
  regexSearch: (t, p) => `regexp_matches(${t}, ${p})`,
  regexNote:
    'duckdb: regexp_matches uses RE2, the syntax `matches` is written in — the same matches, in linear time; its RE2 is older and refuses named groups spelled `(?<name>…)` (write `(?P<name>…)`).',
  regexReplaceAll: (t, p, r) =>
    `regexp_replace(${t}, ${standardString(p)}, ${standardString(replacementText(r, backslashGroup))}, 'g')`,
  // quantile_cont selects in linear time; it interpolates as lo·(1−d) + hi·d, which can differ from the
  // engine's lo + (hi−lo)·d in the last bit. The exact form (as for Trino) sorts: 4–6× slower on 10M rows.
  percentile: (arg, f, table) => ({ sql: scalarSubqueryPercentile(`quantile_cont(${arg}, ${f})`, table) }),
  aggregateFilter: 'filter',
  groupPercentile: (arg, f, filter) => ({ inner: `quantile_cont(${arg}, ${f})${filterClause(filter)}` }),
  byCodePoint: (sql) => sql,
};

const POSTGRES: DialectRules = {
  name: 'postgres',
  ident: doubleQuoted,
  string: standardString,
  double: 'DOUBLE PRECISION',
  text: 'TEXT',
  position: (t, n) => `strpos(${t}, ${n})`,
  splitPart: (t, d, i) => `split_part(${t}, ${standardString(d)}, ${i})`,
  strLength: (t) => `char_length(${t})`,
  listLength: (l) => `cardinality(${l})`,
  listContains: (l, v) => `${v} = ANY(${l})`,
  startsWith: (t, p) => `starts_with(${t}, ${p})`,
  endsWith: (t, s) => `right(${t}, char_length(${s})) = ${s}`,
  regexSearch: (t, p) => `${t} ~ ${p}`,
  regexNote:
    'postgres: `~` uses POSIX advanced regular expressions, not RE2 — `\\b` is a backspace there (a word boundary is `\\y`), `\\z` (write `$`), `\\p{…}` classes and `(?P<name>…)` groups are errors there; `\\d`, `\\w`, `\\s`, classes, quantifiers and anchors match as in RE2.',
  regexReplaceAll: (t, p, r) =>
    `regexp_replace(${t}, ${standardString(p)}, ${standardString(replacementText(r, backslashGroup))}, 'g')`,
  percentile: (arg, f, table) => ({
    sql: scalarSubqueryPercentile(`percentile_cont(${f}) WITHIN GROUP (ORDER BY ${arg})`, table),
  }),
  aggregateFilter: 'filter',
  groupPercentile: (arg, f, filter) => ({
    inner: `percentile_cont(${f}) WITHIN GROUP (ORDER BY ${arg})${filterClause(filter)}`,
  }),
  byCodePoint: (sql) => `(${sql} COLLATE "C")`,
};

const SPARK: DialectRules = {
  name: 'spark',
  ident: (name) => `\`${name.replace(/`/g, '``')}\``,
  string: backslashString,
  double: 'DOUBLE',
  text: 'STRING',
  position: (t, n) => `instr(${t}, ${n})`,
  splitPart: (t, d, i) => `split_part(${t}, ${backslashString(d)}, ${i})`,
  strLength: (t) => `char_length(${t})`,
  // size(NULL) is -1 under the legacy setting: keep NULL a NULL.
  listLength: (l) => `CASE WHEN ${l} IS NULL THEN NULL ELSE size(${l}) END`,
  listContains: (l, v) => `array_contains(${l}, ${v})`,
  startsWith: (t, p) => `left(${t}, char_length(${p})) = ${p}`,
  endsWith: (t, s) => `right(${t}, char_length(${s})) = ${s}`,
  regexSearch: (t, p) => `${t} RLIKE ${p}`,
  regexNote:
    'spark: RLIKE uses java.util.regex (find anywhere), not RE2 — a backtracking engine, so a pattern such as `(a+)+$` can take exponential time on Spark; `.` also stops at `\\r` and other line terminators, `\\p{…}` classes and `(?P<name>…)` groups differ; common patterns match as in RE2.',
  regexReplaceAll: (t, p, r) =>
    `regexp_replace(${t}, ${backslashString(p)}, ${backslashString(replacementText(r, dollarGroup))})`,
  // percentile() interpolates as (hi−pos)·lo + (pos−lo)·hi, which can differ from the engine in the last bit.
  // collect_list leaves NULLs out; subscripts are 0-based. `× 1.0` makes the values doubles like CAST would,
  // but a date is a type error instead of CAST's silent NULL (outside ANSI mode).
  percentile: (arg, f, table) => ({
    sql: sortedArrayPercentile(
      `array_sort(collect_list(${arg} * CAST(1 AS DOUBLE)))`,
      (index) => `segspec_sorted[CAST(${index} AS INT)]`,
      arg,
      f,
      table,
    ),
  }),
  aggregateFilter: 'case',
  groupPercentile: (arg, f, filter) => ({
    inner: `array_sort(collect_list(${whenFilter(`${arg} * CAST(1 AS DOUBLE)`, filter)}))`,
    outer: (c) => arrayColumnPercentile(c, f, (a) => `size(${a})`, (a, i) => `${a}[CAST(${i} AS INT)]`),
  }),
  byCodePoint: (sql) => sql,
};

const BIGQUERY: DialectRules = {
  name: 'bigquery',
  ident: (name) => `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``,
  string: backslashString,
  double: 'FLOAT64',
  text: 'STRING',
  position: (t, n) => `STRPOS(${t}, ${n})`,
  splitPart: (t, d, i) => `SPLIT(${t}, ${backslashString(d)})[SAFE_OFFSET(${i - 1})]`,
  strLength: (t) => `CHAR_LENGTH(${t})`,
  listLength: (l) => `ARRAY_LENGTH(${l})`,
  listContains: (l, v) => `${v} IN UNNEST(${l})`,
  startsWith: (t, p) => `STARTS_WITH(${t}, ${p})`,
  endsWith: (t, s) => `ENDS_WITH(${t}, ${s})`,
  regexSearch: (t, p) => `REGEXP_CONTAINS(${t}, ${p})`,
  regexNote: 'bigquery: REGEXP_CONTAINS uses RE2, the syntax `matches` is written in — the same matches, in linear time.',
  regexReplaceAll: (t, p, r) =>
    `REGEXP_REPLACE(${t}, ${backslashString(p)}, ${backslashString(replacementText(r, backslashGroup))})`,
  percentile: (arg, f, table) => ({
    // PERCENTILE_CONT is analytic-only in BigQuery: evaluate it over the whole table and take one row.
    sql: `(SELECT PERCENTILE_CONT(${arg}, ${f}) OVER () FROM ${table} LIMIT 1)`,
  }),
  aggregateFilter: 'case',
  groupPercentile: (arg, f, filter) => {
    const value = whenFilter(`CAST(${arg} AS FLOAT64)`, filter);
    return {
      // PERCENTILE_CONT is analytic-only: the engine's computation over the group's sorted values instead.
      inner: `ARRAY_AGG(${value} IGNORE NULLS ORDER BY ${value})`,
      outer: (c) => arrayColumnPercentile(c, f, (a) => `ARRAY_LENGTH(${a})`, (a, i) => `${a}[OFFSET(CAST(${i} AS INT64))]`, 'FLOAT64'),
    };
  },
  byCodePoint: (sql) => sql,
};

const SNOWFLAKE: DialectRules = {
  name: 'snowflake',
  ident: (name) =>
    SIMPLE_IDENT.test(name) && !SNOWFLAKE_RESERVED.has(name.toUpperCase()) ? name : doubleQuoted(name),
  string: (value) => backslashString(value),
  double: 'DOUBLE',
  text: 'VARCHAR',
  position: (t, n) => `POSITION(${n}, ${t})`,
  splitPart: (t, d, i) => `SPLIT_PART(${t}, ${backslashString(d)}, ${i})`,
  strLength: (t) => `LENGTH(${t})`,
  listLength: (l) => `ARRAY_SIZE(${l})`,
  listContains: (l, v) => `ARRAY_CONTAINS(${v}::VARIANT, ${l})`,
  startsWith: (t, p) => `STARTSWITH(${t}, ${p})`,
  endsWith: (t, s) => `ENDSWITH(${t}, ${s})`,
  // REGEXP_LIKE matches the whole value; REGEXP_INSTR finds anywhere, as the spec wants.
  regexSearch: (t, p) => `REGEXP_INSTR(${t}, ${p}) > 0`,
  regexNote:
    'snowflake: POSIX extended regular expressions with \\d \\w \\s, not RE2 — no non-greedy quantifiers (`*?`), no `(?i)`-style flags inside the pattern, no `\\p{…}` classes or named groups; other common patterns match as in RE2.',
  regexReplaceAll: (t, p, r) =>
    `REGEXP_REPLACE(${t}, ${backslashString(p)}, ${backslashString(replacementText(r, backslashGroup))})`,
  percentile: (arg, f, table) => ({
    sql: scalarSubqueryPercentile(`PERCENTILE_CONT(${f}) WITHIN GROUP (ORDER BY ${arg})`, table),
  }),
  aggregateFilter: 'case',
  groupPercentile: (arg, f, filter) => ({
    inner: `PERCENTILE_CONT(${f}) WITHIN GROUP (ORDER BY ${whenFilter(arg, filter)})`,
  }),
  byCodePoint: (sql) => sql,
};

const TRINO: DialectRules = {
  name: 'trino',
  ident: doubleQuoted,
  string: standardString,
  double: 'DOUBLE',
  text: 'VARCHAR',
  position: (t, n) => `strpos(${t}, ${n})`,
  splitPart: (t, d, i) => `split_part(${t}, ${standardString(d)}, ${i})`,
  strLength: (t) => `length(${t})`,
  listLength: (l) => `cardinality(${l})`,
  listContains: (l, v) => `contains(${l}, ${v})`,
  startsWith: (t, p) => `starts_with(${t}, ${p})`,
  endsWith: (t, s) => `starts_with(reverse(${t}), reverse(${s}))`,
  regexSearch: (t, p) => `regexp_like(${t}, ${p})`,
  regexNote:
    'trino: regexp_like uses Java-style patterns (find anywhere; the Joni library unless `regex-library=RE2J` is set) — with Joni a backtracking engine, so a pattern such as `(a+)+$` can take exponential time; `(?P<name>…)` groups differ; common patterns match as in RE2.',
  regexReplaceAll: (t, p, r) =>
    `regexp_replace(${t}, ${standardString(p)}, ${standardString(replacementText(r, dollarGroup))})`,
  // Trino has only approx_percentile: the exact one from a sorted array (subscripts are 1-based).
  percentile: (arg, f, table) => ({
    sql: sortedArrayPercentile(
      `array_sort(array_agg(CAST(${arg} AS DOUBLE)) FILTER (WHERE ${arg} IS NOT NULL))`,
      (index) => `segspec_sorted[CAST(${index} AS BIGINT) + 1]`,
      arg,
      f,
      table,
    ),
  }),
  aggregateFilter: 'filter',
  groupPercentile: (arg, f, filter) => ({
    inner: `array_sort(array_agg(CAST(${arg} AS DOUBLE)) FILTER (WHERE ${arg} IS NOT NULL${filter === undefined ? '' : ` AND (${filter})`}))`,
    outer: (c) => arrayColumnPercentile(c, f, (a) => `cardinality(${a})`, (a, i) => `${a}[CAST(${i} AS BIGINT) + 1]`),
  }),
  byCodePoint: (sql) => sql,
};

const RULES: Record<Dialect, DialectRules> = {
  duckdb: DUCKDB,
  postgres: POSTGRES,
  spark: SPARK,
  bigquery: BIGQUERY,
  snowflake: SNOWFLAKE,
  trino: TRINO,
};

export function dialectRules(dialect: Dialect): DialectRules {
  return RULES[dialect];
}

/**
 * A possibly dotted table name (`schema.table`), each part quoted. A part may
 * itself be written in double quotes or backticks to hold a dot or other
 * characters (`"my-project".analytics.users`); it is re-quoted for the dialect.
 */
export function quoteTableName(rules: DialectRules, table: string): string {
  return splitTableName(table)
    .map((part) => rules.ident(part))
    .join('.');
}

export function splitTableName(table: string): string[] {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    const quote = table[i];
    if (quote === '"' || quote === '`') {
      let part = '';
      i++;
      while (i < table.length) {
        if (table[i] === quote && table[i + 1] === quote) {
          part += quote;
          i += 2;
        } else if (table[i] === quote) {
          i++;
          break;
        } else {
          part += table[i++];
        }
      }
      parts.push(part);
      while (i < table.length && table[i] !== '.') i++;
    } else {
      const end = table.indexOf('.', i);
      parts.push(table.slice(i, end < 0 ? table.length : end));
      i = end < 0 ? table.length : end;
    }
    if (table[i] !== '.') return parts;
    i++;
  }
}
