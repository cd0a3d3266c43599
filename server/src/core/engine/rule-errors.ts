/**
 * A segment whose rule has an error (an unknown name, a type error: already
 * reported by the static checks) is not evaluated: counting it would only
 * repeat that error as "never holds" or "no members" noise, or make a SQL
 * engine reject the statement. The same rule holds for every engine.
 */
import type { Finding } from '../diagnostics/types.js';
import type { WorkspaceModel } from '../semantics/model.js';

/** Segments whose `where` holds an error finding, with the reason shown for them. */
export function segmentsWithRuleErrors(model: WorkspaceModel, findings: readonly Finding[]): Map<string, string> {
  const errors = findings.filter((f) => f.severity === 'error');
  const out = new Map<string, string>();
  for (const sym of model.segments.values()) {
    const where = sym.where;
    if (!where) continue;
    const inside = errors.find(
      (f) => f.file === sym.file && f.range.start.offset >= where.range.start.offset && f.range.end.offset <= where.range.end.offset,
    );
    if (inside) out.set(sym.name, `its rule has an error (${inside.code}): ${inside.message}`);
  }
  return out;
}
