/**
 * Builds the workspace model from parsed files: one namespace across files,
 * symbols, every reference resolved with its range, segment dependency order.
 * Pure and cheap (no parsing here), so it is simply rebuilt after an edit.
 */
import type {
  DatasetDecl,
  Declaration,
  Expr,
  Identifier,
  NameExpr,
  PartitionDecl,
  PersonaDecl,
  RecordLiteral,
  SegmentDecl,
} from '../syntax/ast.js';
import { prop, props } from '../syntax/ast.js';
import { walkScoped } from '../syntax/walk.js';
import type { Finding } from '../diagnostics/types.js';
import type {
  DatasetSymbol,
  FieldTypeInfo,
  NameResolution,
  ParsedFile,
  PartitionSymbol,
  PersonaSymbol,
  Reference,
  SegmentSymbol,
  WorkspaceModel,
} from './model.js';
import { staticFinding } from './finding.js';
import { didYouMean, suggest } from '../util/suggest.js';
import { declaredFieldTypes } from './field-types.js';
import { unreachable } from '../util/unreachable.js';
import { linkDatasets, resolveRelated, resolveRelatedRows } from './related-model.js';

export interface BuildOptions {
  /**
   * Field types found in each dataset's data (from the loader), merged under the
   * declared ones. A dataset listed here has a complete field list, so unknown
   * names in its segments can be reported.
   */
  dataFieldTypes?: Map<string, Map<string, FieldTypeInfo>>;
}

export interface BuildResult {
  model: WorkspaceModel;
  /** Name-level findings: duplicates, unknown names, cycles, clashes. */
  findings: Finding[];
}

export function buildModel(root: string, files: Iterable<ParsedFile>, options: BuildOptions = {}): BuildResult {
  const model: WorkspaceModel = {
    root,
    files: new Map(),
    datasets: new Map(),
    segments: new Map(),
    personas: new Map(),
    partitions: new Map(),
    flags: new Map(),
    declarations: [],
    references: [],
    names: new Map(),
    segmentOrder: [],
    cyclic: new Set(),
    fieldTypes: new Map(),
    completeFields: new Set(),
    relatedOf(parent: string) {
      return [...this.datasets.values()]
        .filter((d) => d.link?.parent === parent)
        .sort((a, b) => a.name.localeCompare(b.name));
    },
  };
  const findings: Finding[] = [];
  const sortedFiles = [...files].sort((a, b) => a.path.localeCompare(b.path));
  for (const file of sortedFiles) model.files.set(file.path, file);

  collectSymbols(model, sortedFiles, findings);
  collectFieldTypes(model, options);
  linkDatasets(model, findings);
  resolveReferences(model, findings);
  orderSegments(model, findings);
  return { model, findings };
}

// ------------------------------------------------------------------ symbols

function collectSymbols(model: WorkspaceModel, files: ParsedFile[], findings: Finding[]): void {
  const byName = new Map<string, Array<{ file: string; decl: Declaration }>>();
  for (const file of files) {
    for (const decl of file.ast.declarations) {
      model.declarations.push({ file: file.path, decl });
      if (!decl.name) continue;
      const list = byName.get(decl.name.name) ?? [];
      list.push({ file: file.path, decl });
      byName.set(decl.name.name, list);
    }
  }
  for (const [name, defs] of byName) {
    if (defs.length > 1) {
      for (const def of defs) {
        const others = defs.filter((d) => d !== def);
        findings.push({
          ...staticFinding(
            'SEG002',
            def.file,
            def.decl.name!.range,
            `\`${name}\` is defined ${defs.length} times (${defs.map((d) => kindWord(d.decl)).join(', ')}); names are shared by all .segspec files of the workspace`,
          ),
          related: others.map((o) => ({
            file: o.file,
            range: o.decl.name!.range,
            message: `other definition of \`${name}\``,
          })),
        });
      }
    }
    const { file, decl } = defs[0];
    const base = { name, file, nameRange: decl.name!.range, range: decl.range };
    switch (decl.type) {
      case 'Dataset':
        model.datasets.set(name, datasetSymbol(base, decl));
        break;
      case 'Segment':
        model.segments.set(name, segmentSymbol(base, decl));
        break;
      case 'Persona':
        model.personas.set(name, personaSymbol(base, decl));
        break;
      case 'Partition':
        model.partitions.set(name, partitionSymbol(base, decl));
        break;
      case 'Flag':
        model.flags.set(name, { ...base, kind: 'flag', decl });
        break;
      default:
        return unreachable(decl);
    }
  }
}

type SymbolBase = { name: string; file: string; nameRange: DatasetSymbol['nameRange']; range: DatasetSymbol['range'] };

function datasetSymbol(base: SymbolBase, decl: DatasetDecl): DatasetSymbol {
  const declaredFields = new Map();
  for (const fields of props(decl, 'fields')) {
    for (const field of fields.fields) {
      if (!declaredFields.has(field.name.name)) declaredFields.set(field.name.name, field);
    }
  }
  return { ...base, kind: 'dataset', decl, declaredFields };
}

function segmentSymbol(base: SymbolBase, decl: SegmentDecl): SegmentSymbol {
  return { ...base, kind: 'segment', decl, where: prop(decl, 'where')?.value, dataset: undefined, uses: [] };
}

function personaSymbol(base: SymbolBase, decl: PersonaDecl): PersonaSymbol {
  return { ...base, kind: 'persona', decl, segment: prop(decl, 'segment')?.value?.name };
}

function partitionSymbol(base: SymbolBase, decl: PartitionDecl): PartitionSymbol {
  return {
    ...base,
    kind: 'partition',
    decl,
    members: props(decl, 'segments').flatMap((p) => p.value),
    exclusive: prop(decl, 'exclusive') !== undefined,
    exhaustive: prop(decl, 'exhaustive') !== undefined,
  };
}

function kindWord(decl: Declaration): string {
  return decl.type.toLowerCase();
}

function collectFieldTypes(model: WorkspaceModel, options: BuildOptions): void {
  for (const dataset of model.datasets.values()) {
    const types = new Map<string, FieldTypeInfo>();
    const fromData = options.dataFieldTypes?.get(dataset.name);
    if (fromData) {
      for (const [name, info] of fromData) types.set(name, info);
      model.completeFields.add(dataset.name);
    }
    for (const [name, info] of declaredFieldTypes(dataset)) types.set(name, info);
    model.fieldTypes.set(dataset.name, types);
  }
}

// ------------------------------------------------------------------ references

function resolveReferences(model: WorkspaceModel, findings: Finding[]): void {
  const onlyDataset = model.datasets.size === 1 ? [...model.datasets.keys()][0] : undefined;

  for (const { file, decl } of model.declarations) {
    if (decl.type === 'Segment') {
      const symbol = decl.name ? model.segments.get(decl.name.name) : undefined;
      const isCanonical = symbol?.decl === decl;
      const from = prop(decl, 'from')?.value;
      let dataset: string | undefined = onlyDataset;
      if (from) {
        dataset = referTo(model, findings, file, from, 'dataset') ? from.name : undefined;
      } else if (model.datasets.size > 1 && decl.name) {
        findings.push(
          staticFinding(
            'SEG021',
            file,
            decl.name.range,
            `segment \`${decl.name.name}\` must say which dataset it draws from: add \`from ${[...model.datasets.keys()].join('` or `from ')}\``,
          ),
        );
      }
      const uses = new Set<string>();
      const resolveIn = (expr: Expr) => resolveExpr(model, findings, file, expr, dataset, uses);
      const where = prop(decl, 'where')?.value;
      if (where) resolveIn(where);
      for (const expect of props(decl, 'expect')) {
        const e = expect.value;
        if (!e) continue;
        if (e.type === 'ExpectShare') resolveExpr(model, findings, file, e.expr, dataset, new Set());
        if (e.type === 'ExpectAggregate') resolveExpr(model, findings, file, e.arg, dataset, new Set());
        if ((e.type === 'ExpectDisjoint' || e.type === 'ExpectOverlap' || e.type === 'ExpectSubset') && e.segment) {
          referTo(model, findings, file, e.segment, 'segment');
        }
      }
      for (const example of props(decl, 'example')) {
        if (example.value) resolveRecord(model, findings, file, example.value, dataset);
      }
      if (symbol && isCanonical) {
        symbol.dataset = dataset;
        symbol.uses = [...uses];
      }
    } else if (decl.type === 'Persona') {
      const segment = prop(decl, 'segment')?.value;
      if (segment) referTo(model, findings, file, segment, 'segment');
      const profile = prop(decl, 'profile')?.value;
      const segmentDataset = segment ? model.segments.get(segment.name)?.decl : undefined;
      const dataset = segmentDataset ? datasetOfSegment(model, segmentDataset) : onlyDataset;
      if (profile) resolveRecord(model, findings, file, profile, dataset);
    } else if (decl.type === 'Partition') {
      for (const member of props(decl, 'segments').flatMap((p) => p.value)) {
        referTo(model, findings, file, member, 'segment', 'SEG027');
      }
    } else if (decl.type === 'Flag') {
      for (const segment of props(decl, 'for').flatMap((p) => p.value)) referTo(model, findings, file, segment, 'segment', 'SEG063');
    }
  }
}

function datasetOfSegment(model: WorkspaceModel, decl: SegmentDecl): string | undefined {
  const from = prop(decl, 'from')?.value?.name;
  if (from) return model.datasets.has(from) ? from : undefined;
  return model.datasets.size === 1 ? [...model.datasets.keys()][0] : undefined;
}

const unknownCodes = { dataset: 'SEG005', segment: 'SEG003', persona: 'SEG006' } as const;

/** Records a reference to a named declaration; reports it when unknown. */
function referTo(
  model: WorkspaceModel,
  findings: Finding[],
  file: string,
  id: Identifier,
  kind: 'dataset' | 'segment' | 'persona',
  code: string = unknownCodes[kind],
): boolean {
  const table = kind === 'dataset' ? model.datasets : kind === 'segment' ? model.segments : model.personas;
  const known = table.has(id.name);
  model.references.push({
    file,
    range: id.range,
    name: id.name,
    expected: kind,
    target: known ? { kind, name: id.name } : undefined,
  });
  if (!known) {
    const suggestions = suggest(id.name, table.keys());
    findings.push(
      staticFinding(code, file, id.range, `unknown ${kind} \`${id.name}\`${didYouMean(suggestions)}`, {
        suggestions,
        name: id.name,
      }),
    );
  }
  return known;
}

function resolveExpr(
  model: WorkspaceModel,
  findings: Finding[],
  file: string,
  expr: Expr,
  dataset: string | undefined,
  uses: Set<string>,
): void {
  const fields = dataset ? model.fieldTypes.get(dataset) : undefined;
  walkScoped(expr, (node, aggregate) => {
    if (node.type === 'Aggregate' || node.type === 'RelatedField') {
      resolveRelated(model, findings, file, node, dataset, aggregate);
      return;
    }
    if (node.type !== 'Name') return;
    const resolution = aggregate
      ? resolveRelatedName(model, findings, file, node, aggregate.dataset.name)
      : resolveName(model, findings, file, node, dataset, fields);
    model.names.set(node, resolution);
    if (resolution.kind === 'segment') uses.add(resolution.name);
    model.references.push({
      file,
      range: node.range,
      name: node.name,
      expected: 'fieldOrSegment',
      target:
        resolution.kind === 'segment'
          ? { kind: 'segment', name: resolution.name }
          : resolution.kind === 'field'
            ? { kind: 'field', dataset: resolution.dataset, name: resolution.name }
            : undefined,
    });
  });
}

function resolveName(
  model: WorkspaceModel,
  findings: Finding[],
  file: string,
  node: NameExpr,
  dataset: string | undefined,
  fields: Map<string, FieldTypeInfo> | undefined,
): NameResolution {
  const isSegment = model.segments.has(node.name);
  const isField = fields?.has(node.name) ?? false;
  if (isSegment && isField) {
    findings.push(
      staticFinding(
        'SEG008',
        file,
        node.range,
        `\`${node.name}\` is both a field of \`${dataset}\` and a segment: rename the segment so the rule says which one it means`,
      ),
    );
    return { kind: 'field', dataset: dataset!, name: node.name };
  }
  if (isSegment) {
    const target = model.segments.get(node.name);
    // Its own dataset, from its declaration: it may come later in the files than this rule.
    const other = target ? datasetOfSegment(model, target.decl) : undefined;
    if (dataset && other && other !== dataset) {
      findings.push(
        staticFinding(
          'SEG030',
          file,
          node.range,
          `segment \`${node.name}\` draws from \`${other}\`, not \`${dataset}\`: a rule can only name segments of its own dataset`,
        ),
      );
    }
    return { kind: 'segment', name: node.name };
  }
  if (isField) return { kind: 'field', dataset: dataset!, name: node.name };
  if (!dataset) return { kind: 'unknown' };
  if (!model.completeFields.has(dataset)) {
    // The data has not been read, so an undeclared column may still exist.
    return { kind: 'field', dataset, name: node.name };
  }
  const candidates = [...(fields?.keys() ?? []), ...model.segments.keys()];
  const suggestions = suggest(node.name, candidates);
  findings.push(
    staticFinding(
      'SEG004',
      file,
      node.range,
      `unknown field \`${node.name}\`: \`${dataset}\` has no such field and there is no segment of that name${didYouMean(suggestions)}`,
      { suggestions, name: node.name, dataset },
    ),
  );
  return { kind: 'unknown' };
}

/**
 * A bare name inside an aggregate's `where`: a field or a segment of the
 * related dataset (SPEC §11). Unknown only when the related dataset's fields
 * are all known (its data was read).
 */
function resolveRelatedName(
  model: WorkspaceModel,
  findings: Finding[],
  file: string,
  node: NameExpr,
  related: string,
): NameResolution {
  if (!model.datasets.has(related)) return { kind: 'unknown' };
  const fields = model.fieldTypes.get(related);
  if (fields?.has(node.name)) return { kind: 'field', dataset: related, name: node.name };
  const segment = model.segments.get(node.name);
  if (segment && datasetOfSegment(model, segment.decl) === related) return { kind: 'segment', name: node.name };
  if (!model.completeFields.has(related)) return { kind: 'field', dataset: related, name: node.name };
  const relatedSegments = [...model.segments.values()].filter((s) => datasetOfSegment(model, s.decl) === related).map((s) => s.name);
  const suggestions = suggest(node.name, [...(fields?.keys() ?? []), ...relatedSegments]);
  findings.push(
    staticFinding(
      'SEG041',
      file,
      node.range,
      `unknown field \`${node.name}\`: inside the aggregate, names are fields or segments of \`${related}\`, which has none of that name${didYouMean(suggestions)}`,
      { suggestions, name: node.name, dataset: related },
    ),
  );
  return { kind: 'unknown' };
}

function resolveRecord(
  model: WorkspaceModel,
  findings: Finding[],
  file: string,
  record: RecordLiteral,
  dataset: string | undefined,
): void {
  const fields = dataset ? model.fieldTypes.get(dataset) : undefined;
  for (const entry of record.entries) {
    const related = dataset ? model.datasets.get(entry.key.name) : undefined;
    if (entry.value.type === 'RelatedRows' || (related?.link?.parent === dataset && !fields?.has(entry.key.name))) {
      const target = resolveRelatedRows(model, findings, file, entry, dataset);
      if (entry.value.type === 'RelatedRows' && target) {
        for (const row of entry.value.rows) resolveRecord(model, findings, file, row, target);
      }
      continue;
    }
    const known = fields?.has(entry.key.name) ?? false;
    model.references.push({
      file,
      range: entry.key.range,
      name: entry.key.name,
      expected: 'field',
      target: known && dataset ? { kind: 'field', dataset, name: entry.key.name } : undefined,
    });
    if (!known && dataset && model.completeFields.has(dataset)) {
      const suggestions = suggest(entry.key.name, fields?.keys() ?? []);
      findings.push(
        staticFinding(
          'SEG024',
          file,
          entry.key.range,
          `\`${dataset}\` has no field \`${entry.key.name}\`${didYouMean(suggestions)}`,
          { suggestions, name: entry.key.name, dataset },
        ),
      );
    }
  }
}

// ------------------------------------------------------------------ order and cycles

function orderSegments(model: WorkspaceModel, findings: Finding[]): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();

  const visit = (name: string): void => {
    const status = state.get(name);
    if (status === 'done') return;
    if (status === 'visiting') {
      const cycle = stack.slice(stack.indexOf(name));
      for (const member of cycle) model.cyclic.add(member);
      const key = [...cycle].sort().join(',');
      if (!reported.has(key)) {
        reported.add(key);
        const path = [...cycle, name].map((n) => `\`${n}\``).join(' → ');
        for (const member of cycle) {
          const symbol = model.segments.get(member)!;
          findings.push(staticFinding('SEG007', symbol.file, symbol.nameRange, `reference cycle: ${path}`, { cycle }));
        }
      }
      return;
    }
    state.set(name, 'visiting');
    stack.push(name);
    for (const used of model.segments.get(name)?.uses ?? []) {
      if (model.segments.has(used)) visit(used);
    }
    stack.pop();
    state.set(name, 'done');
    model.segmentOrder.push(name);
  };
  for (const name of model.segments.keys()) visit(name);
  // A segment that uses a cyclic one cannot be evaluated either.
  let changed = true;
  while (changed) {
    changed = false;
    for (const symbol of model.segments.values()) {
      if (!model.cyclic.has(symbol.name) && symbol.uses.some((u) => model.cyclic.has(u))) {
        model.cyclic.add(symbol.name);
        changed = true;
      }
    }
  }
  model.segmentOrder = model.segmentOrder.filter((n) => !model.cyclic.has(n));
}

export type { Reference };
