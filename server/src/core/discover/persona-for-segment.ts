/**
 * The persona draft of a named segment of an analysed workspace, as a
 * declaration text: what `segspec persona` prints and the editor's code
 * action inserts.
 */
import { referenceDate } from '../engine/index.js';
import { prop } from '../syntax/ast.js';
import type { Analysis } from '../workspace.js';
import { draftPersona } from './persona.js';
import { personaDeclaration } from './persona-text.js';
import { fieldsOf } from './rule-walk.js';

export type PersonaForSegment = { ok: true; name: string; text: string } | { ok: false; message: string };

export function personaForSegment(analysis: Analysis, segment: string, options: { name?: string; asOf?: string } = {}): PersonaForSegment {
  const { model, data, results } = analysis;
  const sym = model.segments.get(segment);
  if (!sym) return { ok: false, message: `no segment named '${segment}'` };
  if (!sym.where) return { ok: false, message: `${segment} is a draft (no \`where\`): it has no members to draw a persona from` };
  const result = results.segments.get(segment);
  const table = sym.dataset ? data.get(sym.dataset)?.table : undefined;
  if (!table || !result?.members || result.status === 'unavailable') return { ok: false, message: `${segment} cannot be evaluated${result?.reason ? `: ${result.reason}` : ''}` };
  if (result.size === 0) return { ok: false, message: `${segment} has no members in the data: there is no one to draw a persona from` };
  const datasetDecl = sym.dataset ? model.datasets.get(sym.dataset)?.decl : undefined;
  const keyField = datasetDecl ? prop(datasetDecl, 'key')?.value?.name : undefined;
  const draft = draftPersona(table, result.members, {
    today: referenceDate(model, sym.dataset, { asOf: options.asOf }),
    ruleFields: fieldsOf(sym.where, model),
    exclude: new Set(keyField ? [keyField] : []),
  });
  if (!draft) return { ok: false, message: `${segment} has no members in the data` };
  const taken = new Set([...model.segments.keys(), ...model.personas.keys(), ...model.datasets.keys(), ...model.partitions.keys()]);
  let name = options.name ?? `${segment}_persona`;
  for (let i = 2; taken.has(name); i++) name = `${segment}_persona_${i}`;
  return { ok: true, name, text: personaDeclaration(name, segment, draft, result.size) };
}
