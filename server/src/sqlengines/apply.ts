/**
 * Puts a SQL engine's results in place of the embedded engine's in an
 * analysis: the data findings follow them, and the embedded reader's
 * "unsupported format" (Parquet) goes for sources the engine read itself.
 */
import { prop } from '../core/syntax/ast.js';
import type { Range } from '../core/syntax/ast.js';
import { withDataResults, type Analysis } from '../core/workspace.js';
import type { SqlAnalysis } from './analyze.js';

const UNSUPPORTED_FORMAT = 'SEG102';

export function applySqlAnalysis(analysis: Analysis, results: SqlAnalysis, readByEngine: Iterable<string>): Analysis {
  const next = withDataResults(analysis, results);
  const sources = new Set<string>();
  for (const name of readByEngine) {
    const symbol = analysis.model.datasets.get(name);
    const source = symbol ? prop(symbol.decl, 'source')?.value : undefined;
    if (symbol && source) sources.add(rangeKey(symbol.file, source.range));
  }
  next.findings = next.findings.filter((f) => !(f.code === UNSUPPORTED_FORMAT && sources.has(rangeKey(f.file, f.range))));
  return next;
}

function rangeKey(file: string, range: Range): string {
  return `${file}\u0000${range.start.offset}`;
}
