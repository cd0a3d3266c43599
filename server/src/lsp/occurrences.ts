/** Every place a target is named: its declaration, references in .segspec files, Markdown references. */
import type { Range } from '../core/syntax/ast.js';
import { prop } from '../core/syntax/ast.js';
import type { ReferenceTarget } from '../core/semantics/model.js';
import type { Snapshot } from './session.js';
import { sameTarget, symbolOf } from './locate.js';

export interface Occurrence {
  path: string;
  range: Range;
  isDeclaration: boolean;
}

export function declarationOf(snapshot: Snapshot, target: ReferenceTarget): Occurrence | undefined {
  if (target.kind === 'field') {
    const dataset = snapshot.analysis.model.datasets.get(target.dataset);
    if (!dataset) return undefined;
    const field = dataset.declaredFields.get(target.name);
    if (field) return { path: dataset.file, range: field.name.range, isDeclaration: true };
    // An inferred field: its home is the data file the dataset names.
    const source = prop(dataset.decl, 'source')?.value;
    return { path: dataset.file, range: source?.range ?? dataset.nameRange, isDeclaration: false };
  }
  const symbol = symbolOf(snapshot, target);
  return symbol ? { path: symbol.file, range: symbol.nameRange, isDeclaration: true } : undefined;
}

export function occurrencesOf(snapshot: Snapshot, target: ReferenceTarget, includeDeclaration: boolean): Occurrence[] {
  const out: Occurrence[] = [];
  if (includeDeclaration) {
    const declaration = declarationOf(snapshot, target);
    if (declaration?.isDeclaration) out.push(declaration);
  }
  for (const reference of snapshot.analysis.model.references) {
    if (sameTarget(reference.target, target)) out.push({ path: reference.file, range: reference.range, isDeclaration: false });
  }
  if (target.kind === 'segment' || target.kind === 'persona') {
    for (const [path, doc] of snapshot.markdown) {
      for (const ref of doc.references) {
        if (ref.kind === target.kind && ref.name === target.name) out.push({ path, range: ref.nameRange, isDeclaration: false });
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((o) => {
    const key = `${o.path}:${o.range.start.offset}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
