/**
 * What `segspec diff` compares: a plain, serialisable summary of one
 * analysis of a workspace — segments with their rule, size and member keys,
 * the checks of each segment, partitions and Markdown references. Built from
 * an analysis here (`snapshotOf`), or from a saved `stats --format json` file
 * by the CLI, which then holds less (see `SnapshotContents`).
 */

export type SnapshotSegmentStatus = 'ok' | 'draft' | 'empty' | 'failing' | 'unavailable';

/** Who the members are, to tell members gained from members lost. */
export type MemberIds =
  /** Values of the dataset's `key`, or row labels (`line N`) when `byRow`. */
  | { kind: 'ids'; ids: readonly string[] }
  /** The members cannot be named; the reason says why (sizes are still compared). */
  | { kind: 'unknown'; reason: string };

export interface DatasetSnapshot {
  name: string;
  /** Undefined when the data could not be read. */
  rows: number | undefined;
  /** The `key` field; undefined when the dataset has none. */
  key: string | undefined;
  /**
   * Identifies the data's content (a hash of the file), when known. Members of
   * a dataset without a key are matched by row only when both sides have the
   * same fingerprint.
   */
  fingerprint: string | undefined;
}

export interface SegmentSnapshot {
  name: string;
  dataset: string | undefined;
  /** The `where` rule as written (whitespace collapsed); undefined for a draft or when not known. */
  rule: string | undefined;
  status: SnapshotSegmentStatus;
  /** Why the segment could not be measured (status `unavailable`). */
  reason?: string;
  /** Members; undefined when not measured (draft, unavailable). */
  size: number | undefined;
  /** Rows of its dataset; undefined when not measured. */
  rows: number | undefined;
  members: MemberIds;
}

export type CheckState = 'passed' | 'failed' | 'unavailable';

/** An `expect` line or an `example` of a segment, judged on the data. */
export interface CheckSnapshot {
  segment: string;
  /** The line as written, e.g. `expect size between 8% and 20%`. */
  text: string;
  state: CheckState;
  /** What was measured ("size is 3.1%, expected …"). */
  message: string | undefined;
  /** A failure of a check marked `warn` is a warning. */
  severity: 'error' | 'warning';
}

export interface PartitionSnapshot {
  name: string;
  segments: string[];
  exclusive: boolean;
  exhaustive: boolean;
  /** Whether every declared property holds; undefined when it could not be checked. */
  holds: boolean | undefined;
  /** Why it could not be checked (a member with an error, a draft, no data). */
  reason?: string;
  /** Rows in none of the member segments; undefined when not measured. */
  gaps: number | undefined;
  /** Rows in two members, per overlapping pair; undefined when not measured. */
  overlaps: Array<{ a: string; b: string; count: number }> | undefined;
}

export interface ReferenceProblem {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** The references to one name from one Markdown file. */
export interface ReferenceSnapshot {
  /** Path relative to the workspace folder, `/`-separated. */
  file: string;
  kind: 'segment' | 'persona';
  name: string;
  /** 1-based lines of the references in the file. */
  lines: number[];
  /** Whether the name is defined in the workspace. */
  resolves: boolean;
  /** Findings on these references (unknown name, draft, empty, failing). */
  problems: ReferenceProblem[];
}

export interface WorkspaceSnapshot {
  /** The workspace folder as shown to the user (relative to where the command runs). */
  workspace: string;
  datasets: DatasetSnapshot[];
  segments: SegmentSnapshot[];
  checks: CheckSnapshot[];
  partitions: PartitionSnapshot[];
  references: ReferenceSnapshot[];
}

/** What a snapshot holds: a saved stats file has no rules, checks or references. */
export interface SnapshotContents {
  rules: boolean;
  checks: boolean;
  references: boolean;
}

export interface DiffSnapshot {
  workspaces: WorkspaceSnapshot[];
  contents: SnapshotContents;
}

export const FULL_CONTENTS: SnapshotContents = { rules: true, checks: true, references: true };
