/**
 * What the cursor is on: a declaration's name, a resolved reference, a field
 * declaration, or a Markdown reference — as a core ReferenceTarget with the
 * range of the name under the cursor.
 */
import type { Position as LspPosition } from 'vscode-languageserver/node';
import type { Range } from '../core/syntax/ast.js';
import type { ReferenceTarget, WorkspaceSymbol } from '../core/semantics/model.js';
import { referenceAt } from '../core/markdown/index.js';
import { LineIndex } from '../core/markdown/index.js';
import type { Snapshot } from './session.js';
import { contains } from './ranges.js';

export interface Located {
  target: ReferenceTarget;
  /** Range of the name under the cursor. */
  range: Range;
  /** True when the name is unresolved (a reference to nothing). */
  unresolved?: boolean;
}

export function offsetIn(snapshot: Snapshot, path: string, position: LspPosition): number | undefined {
  const text = textOf(snapshot, path);
  return text === undefined ? undefined : new LineIndex(text).offset(position.line, position.character);
}

export function textOf(snapshot: Snapshot, path: string): string | undefined {
  return snapshot.texts.get(path) ?? snapshot.analysis.model.files.get(path)?.text;
}

export function locate(snapshot: Snapshot, path: string, offset: number): Located | undefined {
  const markdown = snapshot.markdown.get(path);
  if (markdown) {
    const ref = referenceAt(markdown, offset);
    if (!ref || ref.name === '' || !contains(ref.nameRange, offset)) return undefined;
    const known = ref.kind === 'segment' ? snapshot.analysis.model.segments.has(ref.name) : snapshot.analysis.model.personas.has(ref.name);
    return { target: { kind: ref.kind, name: ref.name }, range: ref.nameRange, unresolved: !known };
  }
  const model = snapshot.analysis.model;
  const reference = model.references.find((r) => r.file === path && contains(r.range, offset));
  if (reference) {
    if (reference.target) return { target: reference.target, range: reference.range };
    const kind = reference.expected === 'fieldOrSegment' || reference.expected === 'field' ? 'segment' : reference.expected;
    return { target: { kind, name: reference.name } as ReferenceTarget, range: reference.range, unresolved: true };
  }
  for (const symbol of allSymbols(snapshot)) {
    if (symbol.file === path && contains(symbol.nameRange, offset)) {
      if (symbol.kind === 'partition' || symbol.kind === 'flag') return undefined;
      return { target: { kind: symbol.kind, name: symbol.name }, range: symbol.nameRange };
    }
  }
  for (const dataset of model.datasets.values()) {
    if (dataset.file !== path) continue;
    for (const field of dataset.declaredFields.values()) {
      if (contains(field.name.range, offset)) {
        return { target: { kind: 'field', dataset: dataset.name, name: field.name.name }, range: field.name.range };
      }
    }
  }
  return undefined;
}

export function allSymbols(snapshot: Snapshot): WorkspaceSymbol[] {
  const m = snapshot.analysis.model;
  return [...m.datasets.values(), ...m.segments.values(), ...m.personas.values(), ...m.partitions.values(), ...m.flags.values()];
}

export function symbolOf(snapshot: Snapshot, target: ReferenceTarget): WorkspaceSymbol | undefined {
  const m = snapshot.analysis.model;
  switch (target.kind) {
    case 'dataset':
      return m.datasets.get(target.name);
    case 'segment':
      return m.segments.get(target.name);
    case 'persona':
      return m.personas.get(target.name);
    default:
      return undefined;
  }
}

export function sameTarget(a: ReferenceTarget | undefined, b: ReferenceTarget): boolean {
  if (!a || a.kind !== b.kind || a.name !== b.name) return false;
  return a.kind !== 'field' || b.kind !== 'field' || a.dataset === b.dataset;
}
