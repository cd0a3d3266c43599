/**
 * What every emitter starts from: the segment's condition, the conditions of
 * the segments it refers to (each once, those it uses first), the flag key,
 * the rollout and the context mapping.
 */
import type { Table } from '../../data/table.js';
import type { WorkspaceModel } from '../../semantics/model.js';
import { prop } from '../../syntax/ast.js';
import { datasetAsOf } from '../../sql/from-model.js';
import type { FlagSystemName } from '../system.js';
import { rolloutProblem } from '../rollout.js';
import { referencedSegments, type Condition } from './condition.js';
import { normalize, type Mode } from './normalize.js';
import { ExportRefusal, type ExportWarning } from './problems.js';

export interface ExportRequest {
  model: WorkspaceModel;
  segment: string;
  system: FlagSystemName;
  /** The flag's key in the file; the segment's name by default. */
  flagKey?: string;
  /** Share of the segment's members that get the flag, 0–100 (default 100: all of them). */
  rolloutPercent?: number;
  /** The rollout's seed (GrowthBook seed, Unleash groupId, LaunchDarkly rollout seed) and salt (LaunchDarkly). */
  seed?: string;
  salt?: string;
  /** Context attribute → dataset field, for attributes not named as their field. */
  context?: Readonly<Record<string, string>>;
  /** Reference date when the dataset has no `as of`. */
  asOf?: string;
  /** The dataset's sample table, for dataset-wide aggregates (`p90(x)`). */
  table?: Table;
}

export interface ExportPlan {
  system: FlagSystemName;
  segment: string;
  flagKey: string;
  rolloutPercent: number | undefined;
  seed: string | undefined;
  salt: string | undefined;
  /** Membership of the exported segment. */
  root: Condition;
  /** Referenced segments (transitively), each after those it uses, with their membership. */
  segments: Array<{ name: string; condition: Condition }>;
  /** A referenced segment's rule in a mode (`NT`: not a member), for systems that inline it. */
  expand(name: string, mode: Extract<Mode, 'T' | 'NT'>): Condition;
  /** The field each context attribute is read from. */
  attributes: Map<string, string>;
  /** The dataset's key field, which the identity attribute carries. */
  keyField: string | undefined;
  asOf: string;
  warnings: ExportWarning[];
}

export function planExport(request: ExportRequest, systemTitle: string): ExportPlan {
  const { model, segment } = request;
  const symbol = model.segments.get(segment);
  if (!symbol) throw new ExportRefusal(`no segment named '${segment}'`);
  if (!symbol.where) throw new ExportRefusal(`segment '${segment}' is a draft (no \`where\`): there is nothing to export`, { file: symbol.file, range: symbol.nameRange });
  if (model.cyclic.has(segment)) throw new ExportRefusal(`segment '${segment}' is part of a reference cycle`, { file: symbol.file, range: symbol.nameRange });
  const dataset = symbol.dataset;
  if (dataset === undefined) throw new ExportRefusal(`segment '${segment}' has no dataset`, { file: symbol.file, range: symbol.nameRange });
  const percent = request.rolloutPercent;
  if (percent !== undefined || request.seed !== undefined || request.salt !== undefined) {
    const problem = rolloutProblem({ system: request.system, flagKey: request.flagKey ?? segment, percent: percent ?? 100, seed: request.seed, salt: request.salt });
    if (problem) throw new ExportRefusal(problem);
  }

  const fields = model.fieldTypes.get(dataset);
  const attributeByField = new Map<string, string>();
  const attributes = new Map<string, string>();
  for (const [attribute, field] of Object.entries(request.context ?? {})) {
    if (fields && !fields.has(field)) throw new ExportRefusal(`--context ${attribute}=${field}: dataset '${dataset}' has no field '${field}'`);
    attributeByField.set(field, attribute);
    attributes.set(attribute, field);
  }
  for (const field of fields?.keys() ?? []) {
    if (!attributeByField.has(field) && !attributes.has(field)) {
      attributeByField.set(field, field);
      attributes.set(field, field);
    }
  }

  const asOf = datasetAsOf(model, dataset, request.asOf);
  const warnings: ExportWarning[] = [];
  const system = systemTitle;
  const conditionOf = (name: string, mode: Mode): Condition => {
    const sym = model.segments.get(name);
    if (!sym) throw new ExportRefusal(`no segment named '${name}'`);
    if (sym.dataset !== dataset) {
      throw new ExportRefusal(`segment '${name}' draws from dataset '${sym.dataset ?? '?'}', not '${dataset}'`, { file: sym.file, range: sym.nameRange });
    }
    // A draft has no members.
    if (!sym.where) return { kind: 'constant', value: mode === 'NT' || mode === 'F' };
    return normalize(sym.where, mode, {
      model,
      file: sym.file,
      asOf,
      table: request.table,
      attributeOf: (field) => attributeByField.get(field) ?? field,
      system,
      warnings,
    });
  };

  const root = conditionOf(segment, 'T');
  const ordered: Array<{ name: string; condition: Condition }> = [];
  const visit = (name: string, trail: string[]): void => {
    if (ordered.some((s) => s.name === name)) return;
    if (trail.includes(name)) throw new ExportRefusal(`segment '${name}' refers to itself through ${[...trail, name].join(' → ')}`);
    const condition = conditionOf(name, 'T');
    for (const used of referencedSegments(condition)) visit(used, [...trail, name]);
    ordered.push({ name, condition });
  };
  for (const used of referencedSegments(root)) visit(used, [segment]);

  const datasetSym = model.datasets.get(dataset);
  return {
    system: request.system,
    segment,
    flagKey: request.flagKey ?? segment,
    rolloutPercent: percent === 100 ? undefined : percent,
    seed: request.seed,
    salt: request.salt,
    root,
    segments: ordered,
    expand: (name, mode) => conditionOf(name, mode),
    attributes,
    keyField: datasetSym ? prop(datasetSym.decl, 'key')?.value?.name : undefined,
    asOf,
    warnings,
  };
}
