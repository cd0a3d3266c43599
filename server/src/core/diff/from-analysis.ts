/**
 * The snapshot of an analysed workspace (see snapshot.ts): what `segspec
 * diff` keeps of each side. Pure: the caller supplies what needs the outside
 * world (data fingerprints).
 */
import { cellValue, type CellValue } from '../data/accessors.js';
import type { Table } from '../data/table.js';
import type { Bitset } from '../engine/bitset.js';
import type { SegmentResult } from '../engine/index.js';
import { prop, props, type Node } from '../syntax/ast.js';
import type { Analysis } from '../workspace.js';
import type {
  CheckSnapshot,
  DatasetSnapshot,
  MemberIds,
  PartitionSnapshot,
  ReferenceSnapshot,
  SegmentSnapshot,
  WorkspaceSnapshot,
} from './snapshot.js';

const REFERENCE_CODES = new Set(['SEG300', 'SEG301', 'SEG302', 'SEG303']);

export interface SnapshotOptions {
  /** The workspace folder as shown to the user. */
  workspace: string;
  /** A fingerprint of a dataset's data (e.g. a hash of its file), when known. */
  fingerprint?: (dataset: string) => string | undefined;
  /**
   * Where the members were measured on a SQL engine, `sampleKeys` holds them
   * (the command asks for every key); bitsets are then absent.
   */
  membersFromSampleKeys?: boolean;
}

export function snapshotOf(analysis: Analysis, options: SnapshotOptions): WorkspaceSnapshot {
  const { model, results, data } = analysis;
  const textOf = (file: string, node: Node): string =>
    (model.files.get(file)?.text ?? '').slice(node.range.start.offset, node.range.end.offset).replace(/\s+/g, ' ').trim();

  const datasets: DatasetSnapshot[] = [...model.datasets.values()].map((d) => ({
    name: d.name,
    rows: results.datasets.get(d.name)?.rows ?? data.get(d.name)?.table?.rowCount,
    key: prop(d.decl, 'key')?.value?.name,
    fingerprint: options.fingerprint?.(d.name),
  }));
  const datasetByName = new Map(datasets.map((d) => [d.name, d]));

  const segments: SegmentSnapshot[] = [];
  const checks: CheckSnapshot[] = [];
  for (const s of model.segments.values()) {
    const r = results.segments.get(s.name);
    const measured = r !== undefined && r.status !== 'unavailable' && r.status !== 'draft';
    const dataset = s.dataset ? datasetByName.get(s.dataset) : undefined;
    const table = s.dataset ? data.get(s.dataset)?.table : undefined;
    segments.push({
      name: s.name,
      dataset: s.dataset,
      rule: s.where ? textOf(s.file, s.where) : undefined,
      status: r?.status ?? (s.where ? 'unavailable' : 'draft'),
      ...(r?.status === 'unavailable' ? { reason: r.reason ?? 'not measured' } : {}),
      size: measured ? r.size : undefined,
      rows: measured ? r.rows : undefined,
      members: measured ? memberIds(r, dataset, table, options.membersFromSampleKeys === true) : { kind: 'unknown', reason: 'not measured' },
    });
    for (const e of r?.expectations ?? []) {
      const p = props(s.decl, 'expect').find((x) => x.value?.range.start.offset === e.range.start.offset);
      checks.push({
        segment: s.name,
        text: p ? textOf(s.file, p) : `expect ${e.type}`,
        state: e.passed === undefined ? 'unavailable' : e.passed ? 'passed' : 'failed',
        message: e.message,
        severity: e.severity === 'warning' ? 'warning' : 'error',
      });
    }
    for (const ex of r?.examples ?? []) {
      const p = props(s.decl, 'example').find((x) => x.range.start.offset === ex.range.start.offset);
      checks.push({
        segment: s.name,
        text: p ? textOf(s.file, p) : `example ${ex.member ? 'member' : 'nonmember'}`,
        state: ex.passed ? 'passed' : 'failed',
        message: ex.passed ? undefined : ex.member ? 'the record is not a member' : 'the record is a member',
        severity: 'error',
      });
    }
  }

  const partitions: PartitionSnapshot[] = [];
  const partitionResults = new Map(results.partitions.map((p) => [p.name, p]));
  for (const p of model.partitions.values()) {
    const r = partitionResults.get(p.name);
    const measured = r !== undefined && r.passed !== undefined;
    partitions.push({
      name: p.name,
      segments: p.members.map((m) => m.name),
      exclusive: p.exclusive,
      exhaustive: p.exhaustive,
      holds: measured ? r.passed : undefined,
      ...(measured ? {} : { reason: r?.reason ?? 'not checked' }),
      gaps: measured ? r.uncovered.count : undefined,
      overlaps: measured ? r.overlaps.map((o) => ({ a: o.a, b: o.b, count: o.count })) : undefined,
    });
  }

  return {
    workspace: options.workspace,
    datasets,
    segments,
    checks,
    partitions,
    references: referencesOf(analysis),
  };
}

function keyText(v: CellValue): string {
  if (v === null) return '';
  return Array.isArray(v) ? v.join(';') : String(v);
}

function memberIds(
  r: SegmentResult,
  dataset: DatasetSnapshot | undefined,
  table: Table | undefined,
  fromSampleKeys: boolean,
): MemberIds {
  if (fromSampleKeys) {
    if (!dataset?.key) return { kind: 'unknown', reason: noKey(dataset) };
    return r.sampleKeys.length === r.size ? { kind: 'ids', ids: r.sampleKeys } : { kind: 'unknown', reason: 'the engine did not return every member key' };
  }
  const bits: Bitset | undefined = r.members;
  if (!bits || !table) return { kind: 'unknown', reason: 'the members were not kept' };
  const keyColumn = dataset?.key ? table.byName.get(dataset.key) : undefined;
  if (dataset?.key && !keyColumn) return { kind: 'unknown', reason: `the data has no column \`${dataset.key}\`` };
  const ids: string[] = [];
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    while (word !== 0) {
      const bit = 31 - Math.clz32(word & -word);
      word &= word - 1;
      const row = w * 32 + bit;
      ids.push(keyColumn ? keyText(cellValue(keyColumn, row)) : `line ${table.rowLines[row] ?? row + 1}`);
    }
  }
  return { kind: 'ids', ids };
}

function noKey(dataset: DatasetSnapshot | undefined): string {
  return dataset ? `${dataset.name} has no \`key\`` : 'no dataset';
}

/** Markdown references grouped per file and name, with the findings on them. */
function referencesOf(analysis: Analysis): ReferenceSnapshot[] {
  const { model, markdown, findings } = analysis;
  const root = model.root.replace(/[\\/]+$/, '');
  const relative = (path: string): string =>
    (path.startsWith(root) ? path.slice(root.length).replace(/^[\\/]+/, '') : path).replace(/\\/g, '/');
  const problemsAt = new Map<string, ReferenceSnapshot['problems']>();
  for (const f of findings) {
    if (!REFERENCE_CODES.has(f.code)) continue;
    const key = `${f.file}\u0000${f.range.start.offset}`;
    const list = problemsAt.get(key) ?? [];
    list.push({ code: f.code, severity: f.severity, message: f.message });
    problemsAt.set(key, list);
  }
  const groups = new Map<string, ReferenceSnapshot>();
  for (const [path, doc] of [...markdown].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const ref of doc.references) {
      const id = `${path}\u0000${ref.kind}\u0000${ref.name}`;
      let group = groups.get(id);
      if (!group) {
        const defined = ref.kind === 'segment' ? model.segments.has(ref.name) : model.personas.has(ref.name);
        group = { file: relative(path), kind: ref.kind, name: ref.name, lines: [], resolves: defined, problems: [] };
        groups.set(id, group);
      }
      group.lines.push(ref.nameRange.start.line + 1);
      for (const p of problemsAt.get(`${path}\u0000${ref.nameRange.start.offset}`) ?? []) {
        if (!group.problems.some((q) => q.code === p.code && q.message === p.message)) group.problems.push(p);
      }
    }
  }
  return [...groups.values()];
}
