/** The data behind the preview panel (`segspec/preview`). */
import { datasetUnit } from '../../core/semantics/units.js';
import { prop, props } from '../../core/syntax/ast.js';
import { displayRecord } from '../../core/engine/display-record.js';
import type { PreviewData, PreviewSelection } from '../protocol.js';
import type { Snapshot } from '../session.js';
import { segmentView, overlapMatrix } from '../results.js';
import { previewSample } from './preview-sample.js';
import { locate } from '../locate.js';
import { contains } from '../ranges.js';
import { previewFlags } from './flag-views.js';

const SAMPLE_ROWS = 20;

/** The segment the cursor is in or on: a reference, a declaration, or a persona's segment. */
export function segmentAt(snapshot: Snapshot, path: string, offset: number): string | undefined {
  const located = locate(snapshot, path, offset);
  const model = snapshot.analysis.model;
  if (located && !located.unresolved) {
    if (located.target.kind === 'segment') return located.target.name;
    if (located.target.kind === 'persona') return model.personas.get(located.target.name)?.segment;
  }
  for (const segment of model.segments.values()) {
    if (segment.file === path && contains(segment.range, offset)) return segment.name;
  }
  for (const persona of model.personas.values()) {
    if (persona.file === path && contains(persona.range, offset)) return persona.segment;
  }
  return undefined;
}

export function previewData(snapshot: Snapshot, selected: string | undefined): PreviewData {
  const { model, data, results } = snapshot.analysis;
  const segments = [...model.segments.keys()].map((name) => {
    const view = segmentView(snapshot, name)!;
    return {
      name,
      title: view.title,
      kind: view.kind,
      dataset: view.dataset,
      draft: view.draft,
      size: view.size,
      share: view.share,
      status: view.status,
      ...(view.reason ? { reason: view.reason } : {}),
      expectations: view.expectations,
      unit: datasetUnit(model, view.dataset),
    };
  });
  const measured = segments.filter((s) => s.size !== undefined).map((s) => s.name);
  return {
    datasets: [...model.datasets.values()].map((d) => {
      const loaded = data.get(d.name);
      const error = loaded && !loaded.table ? loaded.findings.find((f) => f.severity === 'error')?.message : undefined;
      const measured = results.datasets.get(d.name);
      return { name: d.name, rows: measured?.rows ?? loaded?.table?.rowCount ?? 0, file: loaded?.path || undefined, loaded: loaded?.table !== undefined || measured !== undefined, error };
    }),
    segments,
    overlaps: { names: measured, counts: overlapMatrix(snapshot, measured) },
    coverage: [...results.datasets.values()].map((d) => ({ dataset: d.name, covered: d.coverage.covered, rows: d.coverage.rows })),
    partitions: [...model.partitions.values()].map((p) => {
      const result = results.partitions.find((r) => r.name === p.name);
      const checked = result !== undefined && result.reason === undefined;
      const overlapping = checked ? result.overlaps.reduce((sum, o) => sum + o.count, 0) : undefined;
      return {
        name: p.name,
        title: p.decl.title?.value,
        segments: p.members.map((m) => m.name),
        exclusive: p.exclusive,
        exhaustive: p.exhaustive,
        uncovered: checked && (result.passed !== undefined || result.uncovered.count) ? result.uncovered.count : undefined,
        overlapping,
        ...(result?.reason ? { reason: result.reason } : {}),
      };
    }),
    personas: [...model.personas.values()].map((p) => {
      const personaText = model.files.get(p.file)?.text ?? '';
      const strings = (key: 'goals' | 'pains' | 'jobs' | 'channels'): string[] => {
        const property = p.decl.properties.find((x) => x.key === key);
        const list = property && 'value' in property && property.value?.type === 'List' ? property.value.items : [];
        return list.flatMap((i) => (i.type === 'String' ? [i.value] : []));
      };
      return {
        name: p.name,
        title: p.decl.title?.value,
        segment: p.segment,
        quote: prop(p.decl, 'quote')?.value?.value,
        goals: strings('goals'),
        pains: strings('pains'),
        jobs: strings('jobs'),
        channels: strings('channels'),
        profile: displayRecord(prop(p.decl, 'profile')?.value, (node) => personaText.slice(node.range.start.offset, node.range.end.offset)),
        profileIsMember: results.personas.get(p.name)?.member,
      };
    }),
    flags: previewFlags(snapshot),
    selected: selected ? selection(snapshot, selected) : undefined,
  };
}

function selection(snapshot: Snapshot, name: string): PreviewSelection | undefined {
  const symbol = snapshot.analysis.model.segments.get(name);
  if (!symbol) return undefined;
  const view = segmentView(snapshot, name);
  const text = snapshot.analysis.model.files.get(symbol.file)?.text ?? '';
  const slice = (r: { start: { offset: number }; end: { offset: number } }): string => text.slice(r.start.offset, r.end.offset).replace(/\s+/g, ' ');
  const sample = previewSample(snapshot, name, SAMPLE_ROWS);
  const results = view?.result?.expectations ?? [];
  return {
    name,
    title: view?.title,
    description: view?.description,
    where: symbol.where ? slice(symbol.where.range) : undefined,
    columns: sample.columns,
    numericColumns: sample.numericColumns,
    sample: sample.rows,
    keyField: sample.keyField,
    expectations: props(symbol.decl, 'expect').map((p) => {
      const result = results.find((r) => r.range.start.offset === p.value?.range.start.offset);
      return { text: slice(p.range), passed: result?.passed, message: result?.message };
    }),
  };
}
