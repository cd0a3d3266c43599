import { rowToRecord, type CellValue } from '../core/data/index.js';
import type { Finding } from '../core/diagnostics/types.js';
import { prop, props, type Expr, type Node, type RecordLiteral } from '../core/syntax/ast.js';
import { displayRecord } from '../core/engine/display-record.js';
import { spreadRows, type Bitset } from '../core/engine/bitset.js';
import type { AnalyzedWorkspace } from './analysis.js';
import { flagViews } from './flag-view.js';
import { linkViewOf } from './related-view.js';
import { countFindings, displayPath } from './reporters/findings.js';
import type {
  DatasetView,
  ExpectationView,
  FindingView,
  PersonaView,
  RoadmapReferenceView,
  SegmentStatus,
  SegmentView,
  WorkspaceView,
} from './view.js';

export interface ViewOptions {
  cwd: string;
  /** Member rows shown per segment. */
  sampleSize: number;
}

/** The plain view of one or more analysed workspaces, for stats and the report. */
export function buildView(workspaces: readonly AnalyzedWorkspace[], findings: readonly Finding[], opts: ViewOptions): WorkspaceView {
  const view: WorkspaceView = {
    datasets: [],
    segments: [],
    overlaps: [],
    coverage: [],
    partitions: [],
    personas: [],
    flags: [],
    roadmaps: [],
    findings: findings.map((f) => findingView(f, opts.cwd)),
    summary: countFindings(findings),
  };
  for (const w of workspaces) addWorkspace(view, w, opts);
  return view;
}

function findingView(f: Finding, cwd: string): FindingView {
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    file: displayPath(f.file, cwd),
    line: f.range.start.line,
    character: f.range.start.character,
  };
}

function cellText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  return Array.isArray(v) ? v.join(';') : String(v);
}

/** Member rows from the loaded table, spread over the file; measured on a SQL engine, the members' keys alone (spread the same way). */
function sampleMembers(
  model: AnalyzedWorkspace['analysis']['model'],
  dataset: string | undefined,
  table: Parameters<typeof rowToRecord>[0] | undefined,
  result: { members?: Bitset; sampleKeys: string[] } | undefined,
  limit: number,
): Array<Record<string, string>> {
  const rows = result?.members ? spreadRows(result.members, limit) : [];
  if (table && rows.length > 0) {
    return rows.map((row) => Object.fromEntries(Object.entries(rowToRecord(table, row)).map(([k, v]) => [k, cellText(v)])));
  }
  const decl = dataset ? model.datasets.get(dataset)?.decl : undefined;
  const key = decl ? prop(decl, 'key')?.value?.name : undefined;
  return key ? (result?.sampleKeys.slice(0, limit) ?? []).map((k) => ({ [key]: k })) : [];
}

function addWorkspace(view: WorkspaceView, w: AnalyzedWorkspace, opts: ViewOptions): void {
  const { model, results, data } = w.analysis;
  const workspace = displayPath(w.target.root, opts.cwd);
  const sourceText = (file: string, node: Node): string =>
    (model.files.get(file)?.text ?? '').slice(node.range.start.offset, node.range.end.offset).replace(/\s+/g, ' ');

  for (const d of model.datasets.values()) {
    const dv: DatasetView = {
      workspace,
      name: d.name,
      title: d.decl.title?.value,
      source: prop(d.decl, 'source')?.value?.value ?? prop(d.decl, 'table')?.value?.value ?? '',
      rows: results.datasets.get(d.name)?.rows,
    };
    const link = linkViewOf(w.analysis, d);
    if (link) dv.link = link;
    view.datasets.push(dv);
    const stat = results.datasets.get(d.name);
    if (stat) {
      view.coverage.push({
        workspace,
        dataset: d.name,
        rows: stat.rows,
        covered: stat.coverage.covered,
        share: stat.rows === 0 ? 0 : stat.coverage.covered / stat.rows,
      });
    }
  }

  for (const s of model.segments.values()) {
    const r = results.segments.get(s.name);
    const table = s.dataset ? data.get(s.dataset)?.table : undefined;
    const expectations: ExpectationView[] = [];
    for (const e of r?.expectations ?? []) {
      const p = props(s.decl, 'expect').find((x) => x.value?.range.start.offset === e.range.start.offset);
      expectations.push({
        text: p ? sourceText(s.file, p) : e.type,
        passed: e.passed === true,
        ...(e.passed === undefined ? { unavailable: e.message ?? 'it could not be measured' } : {}),
        message: e.message,
        warn: e.severity === 'warning',
      });
    }
    for (const ex of r?.examples ?? []) {
      const p = props(s.decl, 'example').find((x) => x.range.start.offset === ex.range.start.offset);
      expectations.push({
        text: p ? sourceText(s.file, p) : `example ${ex.member ? 'member' : 'nonmember'}`,
        passed: ex.passed,
        message: ex.passed ? undefined : ex.member ? 'is not a member' : 'is a member',
        warn: false,
      });
    }
    const status: SegmentStatus = r ? r.status : s.where ? 'unavailable' : 'draft';
    const reason = status === 'unavailable' ? (r?.reason ?? 'it has no results') : undefined;
    if (reason !== undefined) {
      // Its expectations were not checked: listed as unavailable, never as passed or failed.
      for (const p of props(s.decl, 'expect')) expectations.push({ text: sourceText(s.file, p), passed: false, unavailable: reason, warn: false });
    }
    const seg: SegmentView = {
      workspace,
      name: s.name,
      title: s.decl.title?.value,
      kind: prop(s.decl, 'kind')?.value?.name,
      description: prop(s.decl, 'description')?.value?.value,
      dataset: s.dataset,
      size: reason === undefined ? (r?.size ?? 0) : undefined,
      share: reason === undefined ? (r?.share ?? 0) : undefined,
      status,
      ...(reason === undefined ? {} : { reason }),
      expectations,
      sample: sampleMembers(model, s.dataset, table, r, opts.sampleSize),
    };
    view.segments.push(seg);
  }

  for (const o of results.overlaps) view.overlaps.push({ workspace, a: o.a, b: o.b, count: o.count });

  view.flags.push(...flagViews(w, workspace));

  for (const p of results.partitions) {
    const sym = model.partitions.get(p.name);
    view.partitions.push({
      workspace,
      name: p.name,
      title: sym?.decl.title?.value,
      segments: sym ? sym.members.map((m) => m.name) : [],
      exclusive: p.exclusive,
      exhaustive: p.exhaustive,
      overlaps: p.overlaps.map((o) => ({ a: o.a, b: o.b, count: o.count })),
      gaps: p.reason === undefined ? p.uncovered.count : undefined,
      ok: p.reason === undefined ? p.passed !== false : undefined,
      ...(p.reason === undefined ? {} : { reason: p.reason }),
    });
  }

  for (const persona of model.personas.values()) {
    const decl = persona.decl;
    const strings = (key: 'goals' | 'pains' | 'jobs' | 'channels'): string[] =>
      (prop(decl, key)?.value?.items ?? []).map((item: Expr) => (item.type === 'String' ? item.value : sourceText(persona.file, item)));
    const profile: RecordLiteral | undefined = prop(decl, 'profile')?.value;
    const pv: PersonaView = {
      workspace,
      name: persona.name,
      title: decl.title?.value,
      segment: persona.segment,
      quote: prop(decl, 'quote')?.value?.value,
      description: prop(decl, 'description')?.value?.value,
      goals: strings('goals'),
      pains: strings('pains'),
      jobs: strings('jobs'),
      channels: strings('channels'),
      profile: Object.fromEntries(displayRecord(profile, (node) => sourceText(persona.file, node))),
      profileMatches: results.personas.get(persona.name)?.member,
    };
    view.personas.push(pv);
  }

  const segmentViews = new Map(view.segments.filter((s) => s.workspace === workspace).map((s) => [s.name, s]));
  for (const [file, doc] of [...w.analysis.markdown].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const references = new Map<string, RoadmapReferenceView>();
    for (const ref of doc.references) {
      const id = `${ref.kind}:${ref.name}`;
      const line = ref.range.start.line + 1;
      const seen = references.get(id);
      if (seen) {
        if (!seen.lines.includes(line)) seen.lines.push(line);
        continue;
      }
      const persona = ref.kind === 'persona' ? model.personas.get(ref.name) : undefined;
      const segmentName = ref.kind === 'segment' ? ref.name : persona?.segment;
      const segment = segmentName !== undefined ? segmentViews.get(segmentName) : undefined;
      const defined = ref.kind === 'segment' ? segment !== undefined : persona !== undefined;
      references.set(id, {
        kind: ref.kind,
        name: ref.name,
        title: ref.kind === 'segment' ? segment?.title : persona?.decl.title?.value,
        lines: [line],
        segment: segment?.name,
        size: segment && segment.status !== 'draft' ? segment.size : undefined,
        share: segment && segment.status !== 'draft' ? segment.share : undefined,
        status: defined && segment ? segment.status : 'unknown',
      });
    }
    view.roadmaps.push({ workspace, file: displayPath(file, w.target.root), references: [...references.values()] });
  }
}
