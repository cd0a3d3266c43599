/**
 * What a change to a spec does to the data: two snapshots (base and head, see
 * snapshot.ts) compared segment by segment, check by check, partition by
 * partition and reference by reference. Only what differs is listed.
 */
import type {
  CheckSnapshot,
  CheckState,
  DatasetSnapshot,
  DiffSnapshot,
  MemberIds,
  PartitionSnapshot,
  ReferenceProblem,
  ReferenceSnapshot,
  SegmentSnapshot,
  SnapshotContents,
  SnapshotSegmentStatus,
  WorkspaceSnapshot,
} from './snapshot.js';

export interface Change<T> {
  before: T;
  after: T;
}

/** Keys of members gained and lost shown per segment. */
export const EXAMPLE_KEYS = 5;

/**
 * `added` / `removed`: the segment exists on one side only; `changed`: its rule
 * (or dataset) changed, or — when the base holds no rules — its members did;
 * `affected`: same rule, other members or status (a segment it uses changed,
 * or the data did).
 */
export type SegmentChangeKind = 'added' | 'removed' | 'changed' | 'affected';

export type MembersDiff =
  | {
      known: true;
      /** `key`: by the dataset's key field; `row`: by row (a dataset without key whose data did not change). */
      by: 'key' | 'row';
      /** The key field when `by` is `key`. */
      field?: string;
      gained: number;
      lost: number;
      /** A few gained and lost members (key values, or `line N`), in data order. */
      gainedExamples: string[];
      lostExamples: string[];
    }
  | { known: false; reason: string };

export interface SegmentDiff {
  workspace: string;
  name: string;
  change: SegmentChangeKind;
  dataset: Change<string | undefined>;
  /** Undefined when the base does not hold rules (a stats file). */
  rule: Change<string | undefined> | undefined;
  /** `undefined` on the side where the segment does not exist. */
  status: Change<SnapshotSegmentStatus | undefined>;
  /** Members; undefined where the segment does not exist or was not measured (see `unavailable`). */
  size: Change<number | undefined>;
  /** Share of the dataset's rows, 0..1; undefined like `size`. */
  share: Change<number | undefined>;
  /** Why a side was not measured (draft, no data, a rule with errors). */
  unavailable: Change<string | undefined>;
  /** Undefined for added and removed segments (their size says it all). */
  members: MembersDiff | undefined;
  /** Whether the members differ (an added or removed segment, gained or lost members, a size that appeared or went away). */
  membershipChanged: boolean;
}

export type CheckSide = CheckState | 'absent';
export type CheckTransition = 'starts-failing' | 'stops-failing' | 'becomes-unavailable' | 'becomes-available';

export interface CheckDiff {
  workspace: string;
  segment: string;
  text: string;
  state: Change<CheckSide>;
  message: Change<string | undefined>;
  severity: 'error' | 'warning';
  transition: CheckTransition;
}

export interface PartitionDiff {
  workspace: string;
  name: string;
  change: 'added' | 'removed' | 'changed';
  segments: Change<string[] | undefined>;
  /** `undefined`: not measured (or the partition does not exist on that side). */
  holds: Change<boolean | undefined>;
  /** Why a side could not be checked. */
  unavailable: Change<string | undefined>;
  gaps: Change<number | undefined>;
  /** Rows counted in overlapping pairs (each pair's count, summed). */
  overlapping: Change<number | undefined>;
  overlaps: Change<Array<{ a: string; b: string; count: number }> | undefined>;
  startsFailing: boolean;
  stopsFailing: boolean;
}

export type ReferenceChangeKind = 'breaks' | 'new-problem' | 'fixed' | 'problem-gone';

export interface ReferenceDiff {
  workspace: string;
  file: string;
  kind: 'segment' | 'persona';
  name: string;
  /** Lines in the head (in the base when the reference is gone). */
  lines: number[];
  change: ReferenceChangeKind;
  resolves: Change<boolean | undefined>;
  /** Problems that appeared, and those that went away. */
  added: ReferenceProblem[];
  removed: ReferenceProblem[];
}

export interface DatasetDiff {
  workspace: string;
  name: string;
  rows: Change<number | undefined>;
  key: Change<string | undefined>;
  /** True when the data's content is known to differ (fingerprints differ). */
  dataChanged: boolean;
}

export interface DiffSummary {
  segmentsAdded: number;
  segmentsRemoved: number;
  segmentsChanged: number;
  segmentsAffected: number;
  /** Segments whose members differ (added and removed ones included). */
  membershipChanged: number;
  checksStartFailing: number;
  checksStopFailing: number;
  partitionsStartFailing: number;
  partitionsStopFailing: number;
  referencesBroken: number;
  referenceProblemsAdded: number;
  /** What `--fail-on failure` fails on: checks (not `warn`) and partitions that start failing, references that break or get an error. */
  failures: number;
}

export interface SnapshotDiff {
  workspaces: Array<{ workspace: string; change: 'added' | 'removed' | 'compared' }>;
  datasets: DatasetDiff[];
  segments: SegmentDiff[];
  checks: CheckDiff[];
  partitions: PartitionDiff[];
  references: ReferenceDiff[];
  /**
   * Feature flags affected. Flags (SPEC §12) are not part of the language yet;
   * when they are, each flag whose reach or leak changes goes here.
   */
  flags: never[];
  /** What both sides hold: a stats-file base has no rules, checks or references. */
  compared: SnapshotContents;
  summary: DiffSummary;
}

export function diffSnapshots(base: DiffSnapshot, head: DiffSnapshot): SnapshotDiff {
  const compared: SnapshotContents = {
    rules: base.contents.rules && head.contents.rules,
    checks: base.contents.checks && head.contents.checks,
    references: base.contents.references && head.contents.references,
  };
  const result: SnapshotDiff = {
    workspaces: [],
    datasets: [],
    segments: [],
    checks: [],
    partitions: [],
    references: [],
    flags: [],
    compared,
    summary: emptySummary(),
  };
  for (const [b, h] of pairWorkspaces(base.workspaces, head.workspaces)) {
    const workspace = (h ?? b)!.workspace;
    result.workspaces.push({ workspace, change: !b ? 'added' : !h ? 'removed' : 'compared' });
    const before = b ?? emptyWorkspace(workspace);
    const after = h ?? emptyWorkspace(workspace);
    result.datasets.push(...diffDatasets(workspace, before.datasets, after.datasets));
    result.segments.push(...diffSegments(workspace, before, after, compared.rules));
    if (compared.checks) result.checks.push(...diffChecks(workspace, before, after));
    result.partitions.push(...diffPartitions(workspace, before.partitions, after.partitions));
    if (compared.references) result.references.push(...diffReferences(workspace, before.references, after.references));
  }
  result.summary = summarize(result);
  return result;
}

function emptySummary(): DiffSummary {
  return {
    segmentsAdded: 0,
    segmentsRemoved: 0,
    segmentsChanged: 0,
    segmentsAffected: 0,
    membershipChanged: 0,
    checksStartFailing: 0,
    checksStopFailing: 0,
    partitionsStartFailing: 0,
    partitionsStopFailing: 0,
    referencesBroken: 0,
    referenceProblemsAdded: 0,
    failures: 0,
  };
}

function emptyWorkspace(workspace: string): WorkspaceSnapshot {
  return { workspace, datasets: [], segments: [], checks: [], partitions: [], references: [] };
}

/** Workspaces by folder; a single workspace on each side is the same one even if its folder moved. */
function pairWorkspaces(
  base: WorkspaceSnapshot[],
  head: WorkspaceSnapshot[],
): Array<[WorkspaceSnapshot | undefined, WorkspaceSnapshot | undefined]> {
  if (base.length === 1 && head.length === 1) return [[base[0], head[0]]];
  const byName = new Map(base.map((w) => [w.workspace, w]));
  const pairs: Array<[WorkspaceSnapshot | undefined, WorkspaceSnapshot | undefined]> = head.map((h) => [byName.get(h.workspace), h]);
  const seen = new Set(head.map((h) => h.workspace));
  for (const b of base) if (!seen.has(b.workspace)) pairs.push([b, undefined]);
  return pairs;
}

function diffDatasets(workspace: string, before: DatasetSnapshot[], after: DatasetSnapshot[]): DatasetDiff[] {
  const out: DatasetDiff[] = [];
  const old = new Map(before.map((d) => [d.name, d]));
  for (const d of after) {
    const b = old.get(d.name);
    if (!b) continue;
    const dataChanged = b.fingerprint !== undefined && d.fingerprint !== undefined && b.fingerprint !== d.fingerprint;
    if (b.rows !== d.rows || b.key !== d.key || dataChanged) {
      out.push({ workspace, name: d.name, rows: { before: b.rows, after: d.rows }, key: { before: b.key, after: d.key }, dataChanged });
    }
  }
  return out;
}

function shareOf(s: SegmentSnapshot | undefined): number | undefined {
  if (s?.size === undefined || s.rows === undefined) return undefined;
  return s.rows === 0 ? 0 : s.size / s.rows;
}

function unavailableReason(s: SegmentSnapshot | undefined): string | undefined {
  if (!s || s.size !== undefined) return undefined;
  if (s.status === 'draft') return 'a draft (no `where` rule)';
  return s.reason ?? 'not measured';
}

function diffSegments(workspace: string, before: WorkspaceSnapshot, after: WorkspaceSnapshot, rules: boolean): SegmentDiff[] {
  const out: SegmentDiff[] = [];
  const old = new Map(before.segments.map((s) => [s.name, s]));
  const datasetsBefore = new Map(before.datasets.map((d) => [d.name, d]));
  const datasetsAfter = new Map(after.datasets.map((d) => [d.name, d]));
  const names = [...after.segments.map((s) => s.name), ...before.segments.map((s) => s.name).filter((n) => !after.segments.some((s) => s.name === n))];
  const now = new Map(after.segments.map((s) => [s.name, s]));
  for (const name of names) {
    const b = old.get(name);
    const h = now.get(name);
    const base = {
      workspace,
      name,
      dataset: { before: b?.dataset, after: h?.dataset },
      rule: rules ? { before: b?.rule, after: h?.rule } : undefined,
      status: { before: b?.status, after: h?.status },
      size: { before: b?.size, after: h?.size },
      share: { before: shareOf(b), after: shareOf(h) },
      unavailable: { before: unavailableReason(b), after: unavailableReason(h) },
    };
    if (!b || !h) {
      out.push({ ...base, change: b ? 'removed' : 'added', members: undefined, membershipChanged: true });
      continue;
    }
    const members = b.size !== undefined && h.size !== undefined ? diffMembers(b, h, datasetsBefore, datasetsAfter) : undefined;
    const membershipChanged =
      (b.size === undefined) !== (h.size === undefined) ||
      (members?.known === true ? members.gained + members.lost > 0 : b.size !== h.size);
    const ruleChanged = rules && (b.rule !== h.rule || b.dataset !== h.dataset);
    const statusChanged = b.status !== h.status || base.unavailable.before !== base.unavailable.after;
    if (!ruleChanged && !membershipChanged && !statusChanged && b.size === h.size) continue;
    out.push({ ...base, change: ruleChanged || !rules ? 'changed' : 'affected', members, membershipChanged });
  }
  return out;
}

function diffMembers(
  b: SegmentSnapshot,
  h: SegmentSnapshot,
  datasetsBefore: Map<string, DatasetSnapshot>,
  datasetsAfter: Map<string, DatasetSnapshot>,
): MembersDiff {
  const unknown = (m: MemberIds): string | undefined => (m.kind === 'unknown' ? m.reason : undefined);
  const why = unknown(b.members) ?? unknown(h.members);
  if (why !== undefined || b.members.kind !== 'ids' || h.members.kind !== 'ids') return { known: false, reason: `members cannot be compared: ${why}` };
  const db = b.dataset ? datasetsBefore.get(b.dataset) : undefined;
  const dh = h.dataset ? datasetsAfter.get(h.dataset) : undefined;
  if (b.dataset !== h.dataset) return { known: false, reason: `the segment moved from dataset ${b.dataset ?? '–'} to ${h.dataset ?? '–'}` };
  let by: 'key' | 'row';
  if (db?.key && dh?.key) {
    if (db.key !== dh.key) return { known: false, reason: `the key of ${h.dataset} changed from \`${db.key}\` to \`${dh.key}\`` };
    by = 'key';
  } else if (!db?.key && !dh?.key && db?.fingerprint !== undefined && db.fingerprint === dh?.fingerprint) {
    by = 'row';
  } else {
    const name = h.dataset ?? b.dataset ?? 'the dataset';
    return {
      known: false,
      reason: db?.key || dh?.key ? `${name} has a key on one side only` : `${name} has no \`key\`${db?.fingerprint !== undefined && dh?.fingerprint !== undefined ? ' and its data changed' : ''}, so members cannot be matched`,
    };
  }
  const oldIds = new Set(b.members.ids);
  const newIds = new Set(h.members.ids);
  const gainedExamples: string[] = [];
  const lostExamples: string[] = [];
  let gained = 0;
  let lost = 0;
  for (const id of newIds) {
    if (oldIds.has(id)) continue;
    gained++;
    if (gainedExamples.length < EXAMPLE_KEYS) gainedExamples.push(id);
  }
  for (const id of oldIds) {
    if (newIds.has(id)) continue;
    lost++;
    if (lostExamples.length < EXAMPLE_KEYS) lostExamples.push(id);
  }
  return { known: true, by, ...(by === 'key' ? { field: dh!.key } : {}), gained, lost, gainedExamples, lostExamples };
}

function stateOf(c: CheckSnapshot | undefined): CheckSide {
  return c ? c.state : 'absent';
}

function transitionOf(before: CheckSide, after: CheckSide): CheckTransition | undefined {
  if (before === after) return undefined;
  if (after === 'failed') return 'starts-failing';
  if (before === 'failed') return 'stops-failing';
  if (after === 'unavailable') return 'becomes-unavailable';
  if (before === 'unavailable') return 'becomes-available';
  return undefined; // a passing check added or removed
}

/** Checks matched by segment and text (the n-th occurrence of the same text with the n-th). */
function diffChecks(workspace: string, before: WorkspaceSnapshot, after: WorkspaceSnapshot): CheckDiff[] {
  const removedSegments = new Set(before.segments.map((s) => s.name).filter((n) => !after.segments.some((s) => s.name === n)));
  const keyed = (checks: CheckSnapshot[]): Map<string, CheckSnapshot> => {
    const seen = new Map<string, number>();
    const out = new Map<string, CheckSnapshot>();
    for (const c of checks) {
      const base = `${c.segment}\u0000${c.text}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      out.set(`${base}\u0000${n}`, c);
    }
    return out;
  };
  const old = keyed(before.checks);
  const now = keyed(after.checks);
  const out: CheckDiff[] = [];
  for (const key of [...now.keys(), ...[...old.keys()].filter((k) => !now.has(k))]) {
    const b = old.get(key);
    const h = now.get(key);
    const c = (h ?? b)!;
    if (!h && removedSegments.has(c.segment)) continue; // the removed segment says it
    const state = { before: stateOf(b), after: stateOf(h) };
    const transition = transitionOf(state.before, state.after);
    if (!transition) continue;
    out.push({
      workspace,
      segment: c.segment,
      text: c.text,
      state,
      message: { before: b?.message, after: h?.message },
      severity: c.severity,
      transition,
    });
  }
  return out;
}

function overlappingRows(p: PartitionSnapshot | undefined): number | undefined {
  return p?.overlaps?.reduce((n, o) => n + o.count, 0);
}

function samePairs(a: PartitionSnapshot['overlaps'], b: PartitionSnapshot['overlaps']): boolean {
  const text = (x: PartitionSnapshot['overlaps']) => JSON.stringify(x?.map((o) => [o.a, o.b, o.count]).sort() ?? null);
  return text(a) === text(b);
}

function diffPartitions(workspace: string, before: PartitionSnapshot[], after: PartitionSnapshot[]): PartitionDiff[] {
  const old = new Map(before.map((p) => [p.name, p]));
  const now = new Map(after.map((p) => [p.name, p]));
  const out: PartitionDiff[] = [];
  for (const name of [...now.keys(), ...[...old.keys()].filter((k) => !now.has(k))]) {
    const b = old.get(name);
    const h = now.get(name);
    const same =
      b !== undefined &&
      h !== undefined &&
      b.segments.join(',') === h.segments.join(',') &&
      b.exclusive === h.exclusive &&
      b.exhaustive === h.exhaustive &&
      b.holds === h.holds &&
      b.reason === h.reason &&
      b.gaps === h.gaps &&
      samePairs(b.overlaps, h.overlaps);
    if (same) continue;
    out.push({
      workspace,
      name,
      change: !b ? 'added' : !h ? 'removed' : 'changed',
      segments: { before: b?.segments, after: h?.segments },
      holds: { before: b?.holds, after: h?.holds },
      unavailable: { before: b?.reason, after: h?.reason },
      gaps: { before: b?.gaps, after: h?.gaps },
      overlapping: { before: overlappingRows(b), after: overlappingRows(h) },
      overlaps: { before: b?.overlaps, after: h?.overlaps },
      startsFailing: h?.holds === false && b?.holds !== false,
      stopsFailing: b?.holds === false && h !== undefined && h.holds !== false,
    });
  }
  return out;
}

function diffReferences(workspace: string, before: ReferenceSnapshot[], after: ReferenceSnapshot[]): ReferenceDiff[] {
  const id = (r: ReferenceSnapshot) => `${r.file}\u0000${r.kind}\u0000${r.name}`;
  const old = new Map(before.map((r) => [id(r), r]));
  const out: ReferenceDiff[] = [];
  for (const h of after) {
    const b = old.get(id(h));
    const codesBefore = new Set(b?.problems.map((p) => p.code));
    const codesAfter = new Set(h.problems.map((p) => p.code));
    const added = h.problems.filter((p) => !codesBefore.has(p.code));
    const removed = b?.problems.filter((p) => !codesAfter.has(p.code)) ?? [];
    let change: ReferenceChangeKind | undefined;
    if (b?.resolves === true && !h.resolves) change = 'breaks';
    else if (b?.resolves === false && h.resolves) change = 'fixed';
    else if (added.length > 0) change = 'new-problem';
    else if (removed.length > 0) change = 'problem-gone';
    if (!change) continue;
    out.push({ workspace, file: h.file, kind: h.kind, name: h.name, lines: h.lines, change, resolves: { before: b?.resolves, after: h.resolves }, added, removed });
  }
  return out;
}

function summarize(d: SnapshotDiff): DiffSummary {
  const s = emptySummary();
  for (const seg of d.segments) {
    if (seg.change === 'added') s.segmentsAdded++;
    else if (seg.change === 'removed') s.segmentsRemoved++;
    else if (seg.change === 'changed') s.segmentsChanged++;
    else s.segmentsAffected++;
    if (seg.membershipChanged) s.membershipChanged++;
  }
  for (const c of d.checks) {
    if (c.transition === 'starts-failing') {
      s.checksStartFailing++;
      if (c.severity === 'error') s.failures++;
    }
    if (c.transition === 'stops-failing') s.checksStopFailing++;
  }
  for (const p of d.partitions) {
    if (p.startsFailing) {
      s.partitionsStartFailing++;
      s.failures++;
    }
    if (p.stopsFailing) s.partitionsStopFailing++;
  }
  for (const r of d.references) {
    if (r.change === 'breaks') s.referencesBroken++;
    if (r.added.length > 0) s.referenceProblemsAdded++;
    if (r.change === 'breaks' || r.added.some((p) => p.severity === 'error')) s.failures++;
  }
  return s;
}
