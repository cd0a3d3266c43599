/**
 * The custom `segspec/*` messages shared by the client and the server. Only
 * plain data crosses the wire; both sides import these types.
 */
import type { DiscoveryReport } from '../core/discover/run.js';
import type { UntargetedReport } from '../core/discover/run-untargeted.js';

export type { DiscoveryReport, UntargetedReport };

export const PreviewRequestMethod = 'segspec/preview';
export const ReferencesInfoRequestMethod = 'segspec/referencesInfo';
export const ExplainRowRequestMethod = 'segspec/explainRow';
export const ExplainCodeRequestMethod = 'segspec/explainCode';
export const AnalyzedNotificationMethod = 'segspec/analyzed';
/** The server's memory after a garbage collection (when Node runs with --expose-gc): for the soak test. */
export const MemoryRequestMethod = 'segspec/memory';

export interface PreviewParams {
  /** Document the cursor is in; the segment under the cursor becomes the selection. */
  uri?: string;
  position?: { line: number; character: number };
  /** Explicit selection, wins over the cursor. */
  segment?: string;
}

export interface PreviewSegment {
  name: string;
  title?: string;
  kind?: string;
  dataset?: string;
  draft: boolean;
  size?: number;
  share?: number;
  status: 'ok' | 'warning' | 'error' | 'draft' | 'unavailable' | 'unknown';
  /** Why there is no size (a rule with an error, a segment it depends on, no data). */
  reason?: string;
  expectations: { passed: number; total: number };
  /** What its dataset's rows are called: `{ one: 'customer', many: 'customers' }`. */
  unit?: { one: string; many: string };
}

export interface PreviewPersona {
  name: string;
  title?: string;
  segment?: string;
  quote?: string;
  goals: string[];
  pains: string[];
  jobs: string[];
  channels: string[];
  /** The written profile, field → value as a reader sees it (`seats: 1_200` → `1,200`). */
  profile: Array<[string, string]>;
  profileIsMember?: boolean;
}

export interface PreviewPartition {
  name: string;
  title?: string;
  segments: string[];
  exclusive: boolean;
  exhaustive: boolean;
  /** Rows in none of the segments. */
  uncovered?: number;
  /** Rows in two or more. */
  overlapping?: number;
  /** Why it could not be checked (then neither count is given). */
  reason?: string;
}

/** A flag and who gets it (SPEC §12). */
export interface PreviewFlag {
  name: string;
  title?: string;
  /** `GrowthBook smart-reschedule · 1,412 users · 98.0% of students · 44 outside`. */
  headline: string;
  for: string[];
  /** Per segment of the flag's dataset: members and members who get the flag. */
  segments: Array<{ name: string; members: number; on: number }>;
  /** Per persona of that dataset: whether its profile gets the flag (undefined: cannot be decided). */
  personas: Array<{ name: string; on?: boolean; rule?: string }>;
  reason?: string;
}

export interface PreviewSelection {
  name: string;
  title?: string;
  description?: string;
  where?: string;
  /** The fields the rule reads (also through referenced segments), in order, then the key. */
  columns: string[];
  /** Columns holding numbers (formatted with separators and the column's decimals). */
  numericColumns: string[];
  /** Sample members spread over the file, values already turned into display strings. */
  sample: Array<Record<string, string>>;
  keyField?: string;
  expectations: Array<{ text: string; passed: boolean | undefined; message?: string }>;
}

export interface PreviewData {
  datasets: Array<{ name: string; rows: number; file?: string; loaded: boolean; error?: string }>;
  segments: PreviewSegment[];
  /** Pairwise overlap counts, `overlaps[i][j]` for segments[i] and segments[j]. */
  overlaps: { names: string[]; counts: number[][] };
  /** Rows in at least one segment, per dataset. */
  coverage: Array<{ dataset: string; covered: number; rows: number }>;
  partitions: PreviewPartition[];
  personas: PreviewPersona[];
  flags: PreviewFlag[];
  selected?: PreviewSelection;
}

export interface ReferenceInfo {
  kind: 'segment' | 'persona';
  name: string;
  title?: string;
  size?: number;
  share?: number;
  status: PreviewSegment['status'] | 'missing';
  /** Where it is defined (chips link there; commands find the segment at the cursor). */
  location?: { uri: string; startLine: number; endLine: number; character: number };
  /** What the dataset's rows are ("customers"; SPEC: the dataset's `unit`, else its title or name). */
  unit?: string;
  /** The same word for one row ("customer", "person"). */
  unitOne?: string;
  /** A persona's segment and its title. */
  segment?: string;
  segmentTitle?: string;
  /** Why there is no size. */
  reason?: string;
}

export interface ReferencesInfoResult {
  segments: Record<string, ReferenceInfo>;
  personas: Record<string, ReferenceInfo>;
}

export interface ExplainRowParams {
  segment: string;
  key: string;
}

export interface ExplainRowResult {
  /** Markdown: a heading and the clauses as a nested list. */
  text: string;
  /** The same explanation as escaped HTML (`<ul class="explanation-tree">`, referenced segments in `<details>`). */
  html?: string;
  /** The one-line heading, e.g. `u00001 is not a member of power_users`. */
  heading?: string;
  member?: boolean;
}

export interface ExplainCodeResult {
  code: string;
  title: string;
  explanation: string;
}

export interface AnalyzedParams {
  /** `unit`: what the rows are called, plural ("customers"). */
  datasets: Array<{ name: string; rows: number; loaded: boolean; unit?: string; unitOne?: string }>;
  generation: number;
}

export interface MemoryResult {
  heapUsed: number;
  /** Memory outside the JavaScript heap held by JavaScript objects (the data tables' typed arrays). */
  external: number;
  rss: number;
  /** False when the server runs without --expose-gc: the figures include garbage. */
  collected: boolean;
}

/** "Discover segments" (SPEC §13): candidates from the data, as `segspec discover --format json` reports them. */
export const DiscoverRequestMethod = 'segspec/discover';

export interface DiscoverParams {
  /** The document the command runs from: its workspace folder is searched (else the first with a dataset). */
  uri?: string;
  /** A segment name or an expression over the dataset; empty: no target. */
  target?: string;
  dataset?: string;
  /** As the CLI's options: `--max`, `--depth`, `--min-size` (`5%` or `50`), `--quality`, `--plain` (with a target), `--clusters` (without). */
  max?: number;
  depth?: number;
  minSize?: string;
  quality?: 'wracc' | 'purer';
  plain?: boolean;
  clusters?: number;
}

export type DiscoverResponse =
  | {
      ok: true;
      /** With a target, or without one (`target: null`: segments from clusters, each with its fidelity). */
      report: DiscoveryReport | UntargetedReport;
      /** The .segspec file that declares the dataset: "Add to file" appends there. */
      file: string;
    }
  | {
      ok: false;
      message: string;
      /** Set when the workspace has several datasets and none was given: the ones to choose from. */
      datasets?: string[];
    };

/** The edit appending a declaration at the end of a file (one undo step in the editor). */
export const AppendDeclarationRequestMethod = 'segspec/appendDeclaration';

export interface AppendDeclarationParams {
  uri: string;
  text: string;
}
