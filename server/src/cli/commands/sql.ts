import { analyzePaths } from '../analysis.js';
import { flag, stringOption, type ParsedCommand } from '../args.js';
import { CliError, EXIT_OK, UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import { requireName, workspaceDefining } from '../lookup.js';
import {
  compileSegment,
  countQuery,
  datasetTable,
  DIALECTS,
  isDialect,
  selectQuery,
  SqlCompileError,
} from '../../core/sql/index.js';
import { prop } from '../../core/syntax/ast.js';

/** `segspec sql SEGMENT --dialect D [--count|--select] [paths…]` */
export async function runSql(cmd: ParsedCommand, io: CliIO): Promise<number> {
  const { name, paths } = requireName(cmd.positionals, 'SEGMENT', 'sql');
  const dialect = stringOption(cmd, 'dialect');
  if (dialect === undefined) throw new UsageError(`--dialect is required (one of ${DIALECTS.join(', ')})`, 'sql');
  if (!isDialect(dialect)) throw new UsageError(`--dialect must be one of ${DIALECTS.join(', ')}; got '${dialect}'`, 'sql');
  if (flag(cmd, 'count') && flag(cmd, 'select')) throw new UsageError('--count and --select exclude each other', 'sql');

  const analysis = await analyzePaths(paths, cmd.shared, io);
  const { model, brokenRules } = workspaceDefining(analysis, 'segment', name).analysis;
  const broken = brokenRules.get(name);
  if (broken !== undefined) throw new CliError(`cannot compile '${name}' to SQL: ${broken} (segspec check shows where)`);
  let compiled;
  try {
    compiled = compileSegment(model, name, { dialect, asOf: cmd.shared.asOf });
  } catch (e) {
    if (e instanceof SqlCompileError) throw new CliError(`cannot compile '${name}' to SQL: ${e.message}`);
    throw e;
  }
  const dataset = model.segments.get(name)?.dataset ?? '';
  const target = { dialect, table: datasetTable(model, dataset), joins: compiled.joins, multiline: true };
  // A rule over related datasets reads joined subqueries (one per related dataset, a column per aggregate):
  // its WHERE alone would not run, so the whole statement is printed.
  const statement = flag(cmd, 'count') || flag(cmd, 'select') || compiled.joins !== undefined;
  let sql = compiled.sql;
  if (flag(cmd, 'count')) sql = countQuery(compiled.sql, target);
  else if (statement) {
    const key = model.datasets.get(dataset);
    const keyName = key ? prop(key.decl, 'key')?.value?.name : undefined;
    sql = selectQuery(compiled.sql, target, { orderBy: keyName ? [keyName] : undefined });
  }
  if (!cmd.shared.quiet) for (const note of compiled.notes) io.stderr.write(`note: ${note}\n`);
  io.stdout.write(`${sql}${statement ? ';' : ''}\n`);
  return EXIT_OK;
}
