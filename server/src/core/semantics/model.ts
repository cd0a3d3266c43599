/**
 * The workspace model: every `.segspec` file of a folder in one namespace,
 * with symbols and resolved references. Built by `buildModel` (model-builder.ts);
 * consumed by the checks, the data engine, the CLI and the language server.
 */
import type {
  DatasetDecl,
  Declaration,
  Expr,
  FieldDecl,
  FlagDecl,
  Identifier,
  NameExpr,
  PartitionDecl,
  PersonaDecl,
  Range,
  SegmentDecl,
  SegspecFile,
} from '../syntax/ast.js';
import type { ColumnType } from '../data/table.js';

export interface ParsedFile {
  /** Absolute path. */
  path: string;
  text: string;
  /** Editor document version, or 0 for files read from disk. */
  version: number;
  ast: SegspecFile;
}

export type SymbolKind = 'dataset' | 'segment' | 'persona' | 'partition' | 'flag';

interface SymbolBase {
  name: string;
  file: string;
  /** Range of the name identifier (what rename and definition point at). */
  nameRange: Range;
  /** Range of the whole declaration. */
  range: Range;
}

export interface DatasetSymbol extends SymbolBase {
  kind: 'dataset';
  decl: DatasetDecl;
  /** Declared fields by name (the `fields { }` block). */
  declaredFields: Map<string, FieldDecl>;
  /**
   * `belongs to PARENT by FIELD` (SPEC §11), when the parent is a dataset of
   * the workspace and the links form no cycle. `oneToOne`: `by` is also this
   * dataset's key, so each parent has at most one related row.
   */
  link?: DatasetLink;
}

export interface DatasetLink {
  parent: string;
  by: string;
  oneToOne: boolean;
}

export interface SegmentSymbol extends SymbolBase {
  kind: 'segment';
  decl: SegmentDecl;
  /** The `where` expression; undefined for a draft. */
  where: Expr | undefined;
  /** Name of the dataset it draws from (explicit `from`, or the only dataset). */
  dataset: string | undefined;
  /** Segments used by name inside `where` (direct dependencies). */
  uses: string[];
}

export interface PersonaSymbol extends SymbolBase {
  kind: 'persona';
  decl: PersonaDecl;
  segment: string | undefined;
}

export interface PartitionSymbol extends SymbolBase {
  kind: 'partition';
  decl: PartitionDecl;
  members: Identifier[];
  exclusive: boolean;
  exhaustive: boolean;
}

export interface FlagSymbol extends SymbolBase {
  kind: 'flag';
  decl: FlagDecl;
}

export type WorkspaceSymbol = DatasetSymbol | SegmentSymbol | PersonaSymbol | PartitionSymbol | FlagSymbol;

/** What a name in the source refers to. */
export type ReferenceTarget =
  | { kind: 'dataset'; name: string }
  | { kind: 'segment'; name: string }
  | { kind: 'persona'; name: string }
  | { kind: 'field'; dataset: string; name: string };

export interface Reference {
  file: string;
  range: Range;
  name: string;
  /** What was expected at this place. */
  expected: 'dataset' | 'segment' | 'persona' | 'field' | 'fieldOrSegment';
  /** Undefined when the name does not resolve. */
  target: ReferenceTarget | undefined;
}

/** How a bare name inside an expression resolved. */
export type NameResolution =
  | { kind: 'field'; dataset: string; name: string }
  | { kind: 'segment'; name: string }
  | { kind: 'unknown' };

export interface WorkspaceModel {
  root: string;
  files: Map<string, ParsedFile>;
  /** First definition of each name; duplicates are reported, not stored twice. */
  datasets: Map<string, DatasetSymbol>;
  segments: Map<string, SegmentSymbol>;
  personas: Map<string, PersonaSymbol>;
  partitions: Map<string, PartitionSymbol>;
  flags: Map<string, FlagSymbol>;
  /** Every declaration including duplicates, in file order. */
  declarations: Array<{ file: string; decl: Declaration }>;
  references: Reference[];
  /** Resolution of every NameExpr in a `where`, `expect share(...)` or aggregate. */
  names: Map<NameExpr, NameResolution>;
  /** Segment names in dependency order (a segment after those it uses); cycles left out. */
  segmentOrder: string[];
  /** Segments that are part of a reference cycle, or use one (they cannot be evaluated). */
  cyclic: Set<string>;
  /** Datasets whose field list is complete (their data was read), so unknown names can be reported. */
  completeFields: Set<string>;
  /**
   * Field types per dataset: declared ones, plus those inferred from the data
   * when the data was loaded (see `withFieldTypes`).
   */
  fieldTypes: Map<string, Map<string, FieldTypeInfo>>;
  /** The datasets that declare `belongs to parent` (SPEC §11), in name order. */
  relatedOf(parent: string): DatasetSymbol[];
}

export interface FieldTypeInfo {
  type: ColumnType;
  optional: boolean;
  /** Declared `enum("a", …)` values, when given. */
  enumValues?: string[];
  /** True when the type comes from the data rather than `fields { }`. */
  inferred: boolean;
}
