export { compileWhere } from './compile.js';
export { type CompiledSql, type SqlContext, SqlCompileError } from './context.js';
export { DIALECTS, type Dialect, dialectRules, isDialect, quoteTableName } from './dialect.js';
export { countQuery, selectQuery, type QueryTarget, type SelectOptions } from './queries.js';
export {
  compileSegment,
  datasetAsOf,
  datasetTable,
  sqlContextFor,
  type SegmentSqlOptions,
} from './from-model.js';
export { semverKeyOf } from './semver.js';
export { PARENT_ALIAS, RelatedJoins, fromClause, type RelatedJoin, type RelatedTable } from './related.js';
