/**
 * "Copy SQL": a refactor code action on a segment's name that runs the
 * client command `segspec.copySql`; the command asks the server for the
 * segment's SQL with the `segspec/sql` request (answered here from the core
 * compiler, as `segspec sql SEGMENT --dialect D` prints it) and puts it on
 * the clipboard.
 */
import { CodeActionKind, type CodeAction, type Position } from 'vscode-languageserver/node';
import { compileSegment, DIALECTS, isDialect, SqlCompileError, type Dialect } from '../../core/sql/index.js';
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
    const { sql, notes } = compileSegment(snapshot.analysis.model, params.segment, { dialect, asOf });
    return { segment: params.segment, dialect, sql, notes };
  } catch (e) {
    if (e instanceof SqlCompileError) return { segment: params.segment, error: e.message };
    throw e;
  }
}

/** The "Copy SQL" action when the cursor is on a segment's name (its declaration or a reference to it). */
export function copySqlActions(snapshot: Snapshot, path: string, position: Position, dialect: Dialect = 'duckdb'): CodeAction[] {
  const offset = offsetIn(snapshot, path, position);
  if (offset === undefined) return [];
  const located = locate(snapshot, path, offset);
  if (located?.target.kind !== 'segment' || located.unresolved) return [];
  const segment = located.target.name;
  if (!snapshot.analysis.model.segments.get(segment)?.where) return [];
  const title = `Copy SQL (${dialectTitle(dialect)})`;
  return [{ title, kind: CodeActionKind.Refactor, command: { title, command: CopySqlCommand, arguments: [segment, dialect] } }];
}

export function registerCopySql(ctx: FeatureContext): void {
  const { connection, session } = ctx;
  connection.onRequest(SqlRequestMethod, async (params: SqlParams, token): Promise<SqlResult> =>
    segmentSql(await session.allSnapshots(token), params, session.settings.asOf),
  );
}
