/**
 * "Copy SQL": a refactor code action on a segment's name that runs the
 * client command `segspec.copySql`; the command asks the server for the
 * segment's SQL with the `segspec/sql` request (answered here from the core
 * compiler, as `segspec sql SEGMENT --dialect D` prints it) and puts it on
 * the clipboard.
 */
import { CodeActionKind, type CodeAction, type Position } from 'vscode-languageserver/node';
import { compileSegment, DIALECTS, isDialect, SqlCompileError, type Dialect } from '../../core/sql/index.js';
import { datasetTable } from '../../core/sql/from-model.js';
import { selectQuery } from '../../core/sql/queries.js';
import { dialectRules } from '../../core/sql/dialect.js';
import { prop } from '../../core/syntax/ast.js';
import type { FeatureContext } from '../context.js';
import type { Snapshot } from '../session.js';
import { locate, offsetIn } from '../locate.js';
import { CopySqlCommand, SqlRequestMethod, type SqlParams, type SqlResult } from './copy-sql-protocol.js';

export { CopySqlCommand, SqlRequestMethod, type SqlParams, type SqlResult };

const DIALECT_TITLES: Record<Dialect, string> = {
  duckdb: 'DuckDB',
  postgres: 'PostgreSQL',
  spark: 'Spark SQL',
  bigquery: 'BigQuery',
  snowflake: 'Snowflake',
  trino: 'Trino',
};

export function dialectTitle(dialect: Dialect): string {
  return DIALECT_TITLES[dialect];
}

/** The WHERE condition of a segment in a dialect, or why it cannot be compiled. */
export function segmentSql(snapshots: readonly Snapshot[], params: SqlParams, asOf?: string): SqlResult {
  const dialect = params.dialect ?? 'duckdb';
  if (!isDialect(dialect)) return { segment: params.segment, error: `unknown dialect '${dialect}' (one of ${DIALECTS.join(', ')})` };
  const snapshot = snapshots.find((s) => s.analysis.model.segments.has(params.segment));
  if (!snapshot) return { segment: params.segment, error: `unknown segment '${params.segment}'` };
  try {
    if (params.form === 'select') return selectStatement(snapshot, params.segment, dialect, asOf, params.table);
    const { sql, notes, joins } = compileSegment(snapshot.analysis.model, params.segment, { dialect, asOf });
    // A rule over related datasets reads joined subqueries: a WHERE alone would not run.
    if (joins) return selectStatement(snapshot, params.segment, dialect, asOf, params.table);
    return { segment: params.segment, dialect, sql, notes };
  } catch (e) {
    if (e instanceof SqlCompileError) return { segment: params.segment, error: e.message };
    throw e;
  }
}

/**
 * `SELECT * FROM t WHERE …;`. The table: the setting, else the dataset's
 * `table` property, else on DuckDB the data file itself (`read_csv('…')`,
 * named like the dataset so that aggregates such as `p90(x)` read it too),
 * else the file name's stem (`users.csv` → `users`), else the dataset's name.
 */
function selectStatement(snapshot: Snapshot, segment: string, dialect: Dialect, asOf: string | undefined, setting?: string): SqlResult {
  const model = snapshot.analysis.model;
  const dataset = model.segments.get(segment)?.dataset;
  const explicit = setting?.trim() || (dataset ? tableProperty(snapshot, dataset) : undefined);
  const source = dataset ? snapshot.analysis.data.get(dataset)?.path : undefined;
  if (!explicit && source && dataset && dialect === 'duckdb') {
    const name = datasetTable(model, dataset);
    const { sql: where, notes, joins } = compileSegment(model, segment, { dialect, asOf, table: name });
    const lists = [...(model.fieldTypes.get(dataset)?.entries() ?? [])].filter(([, t]) => t.type.startsWith('list<')).map(([f]) => f);
    const listNote = lists.length
      ? [`${duckdbReader(source)} reads the list field${lists.length === 1 ? '' : 's'} ${lists.join(', ')} as text: name a table with typed lists in the segspec.sqlTable setting.`]
      : [];
    const reads = [dataset, ...relatedDatasets(model, dataset)].flatMap((d) => {
      const path = snapshot.analysis.data.get(d)?.path;
      const read = `${duckdbReader(path ?? '')}('${(path ?? '').replace(/'/g, "''")}')`;
      return path ? [`${dialectRules(dialect).ident(datasetTable(model, d))} AS (SELECT * FROM ${read})`] : [];
    });
    const sql = `WITH ${reads.join(',\n  ')}\n${selectQuery(where, { dialect, table: name, joins, multiline: true })};`;
    return { segment, dialect, sql, notes: [...notes, ...listNote] };
  }
  const stem = source?.split(/[\\/]/).pop()?.replace(/\.[^.]*$/, '');
  const table = explicit || stem || (dataset ? datasetTable(model, dataset) : segment);
  const { sql: where, notes, joins } = compileSegment(model, segment, { dialect, asOf, table });
  return { segment, dialect, sql: `${selectQuery(where, { dialect, table, joins, multiline: true })};`, notes };
}

/** The datasets that belong to `dataset` (SPEC §11). */
function relatedDatasets(model: Snapshot['analysis']['model'], dataset: string): string[] {
  return [...model.datasets.values()].filter((d) => d.link?.parent === dataset).map((d) => d.name);
}

function tableProperty(snapshot: Snapshot, dataset: string): string | undefined {
  const symbol = snapshot.analysis.model.datasets.get(dataset);
  return symbol ? prop(symbol.decl, 'table')?.value?.value : undefined;
}

function duckdbReader(path: string): string {
  if (/\.parquet$/i.test(path)) return 'read_parquet';
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'read_json';
  return 'read_csv';
}

/** The segment whose name is under the cursor (its declaration or a reference to it), when it has a `where`. */
export function copySqlTarget(snapshot: Snapshot, path: string, position: Position): string | undefined {
  const offset = offsetIn(snapshot, path, position);
  if (offset === undefined) return undefined;
  const located = locate(snapshot, path, offset);
  if (located?.target.kind !== 'segment' || located.unresolved) return undefined;
  return snapshot.analysis.model.segments.get(located.target.name)?.where ? located.target.name : undefined;
}

/** The "Copy SQL" action: runs the client command with the segment and the dialect. */
export function copySqlAction(segment: string, dialect: Dialect): CodeAction {
  const title = `Copy SQL (${dialectTitle(dialect)})`;
  return { title, kind: CodeActionKind.Refactor, command: { title, command: CopySqlCommand, arguments: [segment, dialect] } };
}

/**
 * The `segspec.sqlDialect` setting, asked of the client each time (a code
 * action is rare enough); DuckDB when the client has no configuration or the
 * value is not a dialect.
 */
export async function sqlDialectSetting(ctx: FeatureContext): Promise<Dialect> {
  if (!ctx.capabilities.workspace?.configuration) return 'duckdb';
  try {
    const value: unknown = await ctx.connection.workspace.getConfiguration('segspec.sqlDialect');
    return typeof value === 'string' && isDialect(value) ? value : 'duckdb';
  } catch {
    return 'duckdb';
  }
}

export function registerCopySql(ctx: FeatureContext): void {
  const { connection, session } = ctx;
  connection.onRequest(SqlRequestMethod, async (params: SqlParams, token): Promise<SqlResult> =>
    segmentSql(await session.allSnapshots(token), params, session.settings.asOf),
  );
}
