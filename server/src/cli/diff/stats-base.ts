/**
 * The base side of `segspec diff` from a saved `segspec stats --format json`
 * file. It holds sizes, statuses and partitions (and member keys when saved
 * with `--members`), but no rules, checks or Markdown references: the diff
 * says so instead of guessing.
 */
import { readFile } from 'node:fs/promises';
import type { DiffSnapshot, MemberIds, SnapshotSegmentStatus, WorkspaceSnapshot } from '../../core/diff/snapshot.js';
import { CliError } from '../errors.js';

const STATUSES: readonly SnapshotSegmentStatus[] = ['ok', 'draft', 'empty', 'failing', 'unavailable'];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** True when the `--base` value names a file rather than a git ref. */
export function looksLikeStatsFile(base: string): boolean {
  return base.toLowerCase().endsWith('.json');
}

export async function readStatsBase(file: string, shownAs: string): Promise<DiffSnapshot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read the base stats file ${shownAs}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CliError(`the base stats file ${shownAs} is not JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc) || !Array.isArray(doc.segments)) {
    throw new CliError(`the base stats file ${shownAs} is not the output of 'segspec stats --format json' (no "segments" list)`);
  }
  return snapshotFromStats(doc);
}

function snapshotFromStats(doc: Json): DiffSnapshot {
  const workspaces = new Map<string, WorkspaceSnapshot>();
  const ws = (name: string): WorkspaceSnapshot => {
    let w = workspaces.get(name);
    if (!w) workspaces.set(name, (w = { workspace: name, datasets: [], segments: [], checks: [], partitions: [], references: [] }));
    return w;
  };
  const rowsOf = new Map<string, number | undefined>();
  for (const d of Array.isArray(doc.datasets) ? doc.datasets : []) {
    if (!isObject(d)) continue;
    const workspace = str(d.workspace) ?? '.';
    const name = str(d.name);
    if (!name) continue;
    rowsOf.set(`${workspace}\u0000${name}`, num(d.rows));
    ws(workspace).datasets.push({ name, rows: num(d.rows), key: str(d.key), fingerprint: undefined });
  }
  for (const s of doc.segments as unknown[]) {
    if (!isObject(s)) continue;
    const workspace = str(s.workspace) ?? '.';
    const name = str(s.name);
    if (!name) continue;
    const status = (STATUSES as readonly string[]).includes(str(s.status) ?? '') ? (s.status as SnapshotSegmentStatus) : 'unavailable';
    const dataset = str(s.dataset);
    const measured = status !== 'draft' && status !== 'unavailable' && num(s.size) !== undefined;
    const rows = dataset ? rowsOf.get(`${workspace}\u0000${dataset}`) : undefined;
    ws(workspace).segments.push({
      name,
      dataset,
      rule: undefined,
      status,
      ...(status === 'unavailable' ? { reason: str(s.reason) ?? 'unavailable in the base stats file' } : {}),
      size: measured ? num(s.size) : undefined,
      rows: measured ? (rows ?? sizeToRows(num(s.size), num(s.share))) : undefined,
      members: membersOf(s),
    });
  }
  for (const p of Array.isArray(doc.partitions) ? doc.partitions : []) {
    if (!isObject(p)) continue;
    const name = str(p.name);
    if (!name) continue;
    const overlaps = Array.isArray(p.overlaps)
      ? p.overlaps.filter(isObject).map((o) => ({ a: str(o.a) ?? '', b: str(o.b) ?? '', count: num(o.count) ?? 0 }))
      : undefined;
    const holds = typeof p.ok === 'boolean' ? p.ok : undefined;
    ws(str(p.workspace) ?? '.').partitions.push({
      name,
      segments: Array.isArray(p.segments) ? p.segments.filter((x): x is string => typeof x === 'string') : [],
      exclusive: p.exclusive === true,
      exhaustive: p.exhaustive === true,
      holds,
      ...(holds === undefined ? { reason: str(p.reason) ?? 'not checked in the base stats file' } : {}),
      gaps: holds === undefined ? undefined : num(p.gaps),
      overlaps: holds === undefined ? undefined : overlaps,
    });
  }
  return { workspaces: [...workspaces.values()], contents: { rules: false, checks: false, references: false } };
}

function sizeToRows(size: number | undefined, share: number | undefined): number | undefined {
  return size !== undefined && share !== undefined && share > 0 ? Math.round(size / share) : undefined;
}

function membersOf(s: Json): MemberIds {
  if (Array.isArray(s.members)) return { kind: 'ids', ids: s.members.map((k) => String(k)) };
  if (s.members === null) return { kind: 'unknown', reason: str(s.membersNote) ?? 'the base stats file has no member keys for it' };
  return { kind: 'unknown', reason: "the base stats file has no member keys (save it with 'segspec stats --format json --members')" };
}
