/** The data behind the preview panel (`segspec/preview`). */
import { prop, props } from '../../core/syntax/ast.js';
import { cellValue } from '../../core/data/accessors.js';
import type { PreviewData, PreviewSelection } from '../protocol.js';
import type { Snapshot } from '../session.js';
import { segmentView, overlapMatrix } from '../results.js';
import { displayCell, sampleColumns } from './hover.js';
import { locate } from '../locate.js';
import { contains } from '../ranges.js';

const SAMPLE_ROWS = 20;
const EXTRA_COLUMNS = 8;

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
      expectations: view.expectations,
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
      const overlapping = result ? result.overlaps.reduce((sum, o) => sum + o.count, 0) : undefined;
      return {
        name: p.name,
        title: p.decl.title?.value,
        segments: p.members.map((m) => m.name),
        exclusive: p.exclusive,
        exhaustive: p.exhaustive,
        uncovered: result?.passed === undefined && !result?.uncovered.count ? undefined : result?.uncovered.count,
        overlapping,
      };
    }),
    personas: [...model.personas.values()].map((p) => {
      const strings = (key: 'goals' | 'pains'): string[] => {
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
        profileIsMember: results.personas.get(p.name)?.member,
      };
    }),
    selected: selected ? selection(snapshot, selected) : undefined,
  };
}

function selection(snapshot: Snapshot, name: string): PreviewSelection | undefined {
  const symbol = snapshot.analysis.model.segments.get(name);
  if (!symbol) return undefined;
  const view = segmentView(snapshot, name);
  const text = snapshot.analysis.model.files.get(symbol.file)?.text ?? '';
  const slice = (r: { start: { offset: number }; end: { offset: number } }): string => text.slice(r.start.offset, r.end.offset).replace(/\s+/g, ' ');
  const table = symbol.dataset ? snapshot.analysis.data.get(symbol.dataset)?.table : undefined;
  const { key, columns } = sampleColumns(snapshot, name);
  const all = [...columns];
  for (const column of table?.columns ?? []) {
    if (all.length >= columns.length + EXTRA_COLUMNS) break;
    if (!all.includes(column.name)) all.push(column.name);
  }
  const rows = view?.result?.sampleRows.slice(0, SAMPLE_ROWS) ?? [];
  const keys = view?.result?.sampleKeys.slice(0, SAMPLE_ROWS) ?? [];
  const sample = table && rows.length > 0
    ? rows.map((row) => Object.fromEntries(all.map((c) => {
        const column = table.byName.get(c);
        return [c, column ? displayCell(cellValue(column, row)) : ''];
      })))
    : key // Measured on DuckDB: the members' keys, without their rows.
      ? keys.map((k) => Object.fromEntries(all.map((c) => [c, c === key ? k : ''])))
      : [];
  const results = view?.result?.expectations ?? [];
  return {
    name,
    title: view?.title,
    description: view?.description,
    where: symbol.where ? slice(symbol.where.range) : undefined,
    columns: all,
    sample,
    keyField: key,
    expectations: props(symbol.decl, 'expect').map((p) => {
      const result = results.find((r) => r.range.start.offset === p.value?.range.start.offset);
      return { text: slice(p.range), passed: result?.passed, message: result?.message };
    }),
  };
}
