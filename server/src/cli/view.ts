/**
 * What the stats and report commands show, as plain data: built from the
 * workspace's analysis by `buildView` (view-builder.ts), consumed by the
 * table/CSV/JSON printers and the HTML report. Keeping it plain makes the
 * printers independent of the core's types and easy to serialise.
 */
import type { FindingCounts } from './reporters/findings.js';

export type SegmentStatus = 'ok' | 'draft' | 'empty' | 'failing' | 'unavailable';

export interface DatasetView {
  workspace: string;
  name: string;
  title?: string;
  /** Data file as written in the spec (relative to the spec file). */
  source: string;
  /** Undefined when the data could not be loaded. */
  rows: number | undefined;
  /** `belongs to PARENT by FIELD` (SPEC §11), with how many parent rows have related rows. */
  link?: LinkView;
}

export interface LinkView {
  parent: string;
  by: string;
  /** `by` is also the dataset's key: at most one related row per parent. */
  oneToOne: boolean;
  /** Parent rows, those with at least one related row, and their share; undefined with `reason` when not counted. */
  parents?: number;
  linkedParents?: number;
  share?: number;
  /** Related rows whose link is missing or names no parent. */
  orphans?: number;
  reason?: string;
}

export interface ExpectationView {
  /** The `expect …` line as written. */
  text: string;
  passed: boolean;
  /** Why it could not be checked (its segment or the one it names is unavailable); `passed` is then false. */
  unavailable?: string;
  /** What was measured, e.g. "size is 3.1%, expected between 8% and 20%". */
  message?: string;
  warn: boolean;
}

export interface SegmentView {
  workspace: string;
  name: string;
  title?: string;
  kind?: string;
  description?: string;
  dataset: string | undefined;
  /** Undefined when there is no number to stand behind (status `unavailable` or `draft`). */
  size: number | undefined;
  /** Fraction of the dataset's rows, 0..1; undefined with `size`. */
  share: number | undefined;
  status: SegmentStatus;
  /** Why the segment is `unavailable` (a rule with an error, one it depends on, no data). */
  reason?: string;
  expectations: ExpectationView[];
  /** A few members, field → displayed value. */
  sample: Array<Record<string, string>>;
}

export interface OverlapView {
  workspace: string;
  a: string;
  b: string;
  count: number;
}

export interface CoverageView {
  workspace: string;
  dataset: string;
  rows: number;
  /** Rows in at least one segment. */
  covered: number;
  share: number;
}

export interface PartitionView {
  workspace: string;
  name: string;
  title?: string;
  segments: string[];
  exclusive: boolean;
  exhaustive: boolean;
  /** Pairs of members that share rows. */
  overlaps: Array<{ a: string; b: string; count: number }>;
  /** Rows in none of the members; undefined when the partition could not be checked. */
  gaps: number | undefined;
  /** Whether the declared properties hold; undefined when it could not be checked (see `reason`). */
  ok: boolean | undefined;
  /** Why it could not be checked (a member with an error, a draft, no data). */
  reason?: string;
}

export interface PersonaView {
  workspace: string;
  name: string;
  title?: string;
  segment: string | undefined;
  quote?: string;
  description?: string;
  goals: string[];
  pains: string[];
  jobs: string[];
  channels: string[];
  profile: Record<string, string>;
  /** Whether the profile is a member of the persona's segment; undefined when unknown. */
  profileMatches: boolean | undefined;
}

/** One segment or persona that a Markdown document references, with where and how it stands. */
export interface RoadmapReferenceView {
  kind: 'segment' | 'persona';
  name: string;
  title?: string;
  /** 1-based lines of the document where it is referenced (front matter included). */
  lines: number[];
  /** The segment whose size is shown: the reference itself, or the persona's segment. */
  segment?: string;
  size?: number;
  share?: number;
  /** The segment's status; `unknown` when the name is not defined. */
  status: SegmentStatus | 'unknown';
}

export interface RoadmapView {
  workspace: string;
  /** The document's path inside its workspace folder. */
  file: string;
  references: RoadmapReferenceView[];
}

export interface FindingView {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file: string;
  line: number;
  character: number;
}

/** A `flag` declaration: who gets the flag, its reach of the segment and its leak (SPEC §12). */
export interface FlagView {
  workspace: string;
  name: string;
  title?: string;
  system: string | undefined;
  key: string | undefined;
  for: string[];
  dataset: string | undefined;
  /** Rows that get the flag; undefined when it could not be evaluated (see `reason`). */
  rows: number | undefined;
  /** Members of the `for` segment(s) and those who get the flag; reach = reached / members. */
  members: number | undefined;
  reached: number | undefined;
  reach: number | undefined;
  /** Rows outside the segment(s) that get the flag, by the rule that let them in. */
  leak: number | undefined;
  leakByRule: Array<{ rule: string; count: number; exampleKeys: string[] }>;
  /** Why reach and leak are unavailable. */
  reason?: string;
  expectations: Array<{ text: string; passed: boolean | undefined; message: string }>;
}

export interface WorkspaceView {
  datasets: DatasetView[];
  segments: SegmentView[];
  overlaps: OverlapView[];
  coverage: CoverageView[];
  partitions: PartitionView[];
  personas: PersonaView[];
  flags: FlagView[];
  roadmaps: RoadmapView[];
  findings: FindingView[];
  summary: FindingCounts;
}
