/**
 * The typed syntax tree of a `.segspec` file.
 *
 * Every node carries its source range. Positions are zero-based (line and
 * UTF-16 character, as in LSP) and also carry the absolute offset into the
 * text, so that both editors and slicing code can use them directly.
 *
 * Parsing with error recovery may leave parts of a node absent: every
 * optional member below may be `undefined` in a file with syntax errors, and
 * `ErrorExpr` stands where an expression could not be read.
 */

export interface Position {
  line: number;
  character: number;
  offset: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Node {
  range: Range;
}

// ---------------------------------------------------------------- leaves

export interface Identifier extends Node {
  type: 'Identifier';
  name: string;
}

export interface StringLiteral extends Node {
  type: 'String';
  /** The decoded value (escapes resolved). */
  value: string;
}

export interface NumberLiteral extends Node {
  type: 'Number';
  value: number;
  /** Source text, e.g. `1_000_000`. */
  raw: string;
}

/** `12%`, `2.5%`. `value` is the number before the sign (12, 2.5). */
export interface PercentLiteral extends Node {
  type: 'Percent';
  value: number;
  raw: string;
}

export interface BooleanLiteral extends Node {
  type: 'Boolean';
  value: boolean;
}

/** `2026-06-30`; `value` is the ISO text `YYYY-MM-DD`. */
export interface DateLiteral extends Node {
  type: 'Date';
  value: string;
}

/** `2026-06-30T14:05:00Z`; `epochMs` is the instant it denotes. */
export interface DateTimeLiteral extends Node {
  type: 'DateTime';
  value: string;
  epochMs: number;
}

export type Literal =
  | StringLiteral
  | NumberLiteral
  | PercentLiteral
  | BooleanLiteral
  | DateLiteral
  | DateTimeLiteral;

// ---------------------------------------------------------------- expressions

export type TimeUnit = 'day' | 'week' | 'month' | 'year';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/';

/** A bare identifier: a field of the dataset or a segment (membership). */
export interface NameExpr extends Node {
  type: 'Name';
  name: string;
}

export interface ListExpr extends Node {
  type: 'List';
  items: Expr[];
}

export interface ParenExpr extends Node {
  type: 'Paren';
  expr: Expr;
}

export interface NotExpr extends Node {
  type: 'Not';
  operand: Expr;
}

export interface LogicalExpr extends Node {
  type: 'Logical';
  op: 'and' | 'or';
  left: Expr;
  right: Expr;
  /** Range of the `and` / `or` keyword. */
  opRange: Range;
}

export interface NegateExpr extends Node {
  type: 'Negate';
  operand: Expr;
}

export interface ArithExpr extends Node {
  type: 'Arith';
  op: ArithOp;
  left: Expr;
  right: Expr;
  opRange: Range;
}

export interface CompareExpr extends Node {
  type: 'Compare';
  op: CompareOp;
  left: Expr;
  right: Expr;
  opRange: Range;
}

/** `x in [..]`, `x not in [..]` */
export interface InExpr extends Node {
  type: 'In';
  negated: boolean;
  subject: Expr;
  list: ListExpr;
}

/** `x between low and high`, inclusive at both ends. */
export interface BetweenExpr extends Node {
  type: 'Between';
  subject: Expr;
  low: Expr;
  high: Expr;
}

/**
 * `x contains v` (mode 'one'), `x contains any [..]`, `x contains all [..]`.
 * On a string subject, `contains` is a case-sensitive substring test.
 */
export interface ContainsExpr extends Node {
  type: 'Contains';
  mode: 'one' | 'any' | 'all';
  subject: Expr;
  value: Expr;
}

/** `x starts with v`, `x ends with v` */
export interface AffixExpr extends Node {
  type: 'Affix';
  op: 'starts' | 'ends';
  subject: Expr;
  value: Expr;
}

/** `x matches "regex"` — may match anywhere in the value. */
export interface MatchesExpr extends Node {
  type: 'Matches';
  subject: Expr;
  pattern: StringLiteral;
}

/** `x is missing`, `x is not missing` */
export interface MissingExpr extends Node {
  type: 'Missing';
  negated: boolean;
  subject: Expr;
}

/** `x within last N units` */
export interface WithinLastExpr extends Node {
  type: 'WithinLast';
  subject: Expr;
  amount: NumberLiteral;
  unit: TimeUnit;
}

/** `x before v` (<), `x after v` (>) */
export interface TemporalExpr extends Node {
  type: 'Temporal';
  op: 'before' | 'after';
  subject: Expr;
  value: Expr;
}

/** `lower(x)`, `len(x)`, `p90(x)`, `median(x)` … The name is checked semantically. */
export interface CallExpr extends Node {
  type: 'Call';
  callee: Identifier;
  arg: Expr;
}

/** `90 days ago` */
export interface AgoExpr extends Node {
  type: 'Ago';
  amount: NumberLiteral;
  unit: TimeUnit;
}

/** `today` (a date) or `now` (the instant that ends `today`). */
export interface NowExpr extends Node {
  type: 'Today' | 'Now';
}

/** `survey.nps`: a field of a one-to-one related dataset (an error, with a proposed aggregate, on a many-per-parent one). */
export interface RelatedFieldExpr extends Node {
  type: 'RelatedField';
  dataset: Identifier;
  field: Identifier;
}

export type AggregateFn =
  | 'count'
  | 'countDistinct'
  | 'sum'
  | 'mean'
  | 'median'
  | 'min'
  | 'max'
  | 'percentile'
  | 'exists';

/**
 * `count(plays)`, `count(plays where E)`, `count(distinct plays.genre where E)`,
 * `sum(plays.ms_played where E)`, `p90(plays.ms_played)`, `max(plays.at)`,
 * `exists(plays where E)`. `E` is evaluated on the related row (SPEC §11).
 */
export interface AggregateExpr extends Node {
  type: 'Aggregate';
  fn: AggregateFn;
  /** For fn 'percentile': 1..99 (from `p90`). */
  percentile?: number;
  /** The function name as written (`count`, `p90`), for ranges and messages. */
  callee: Identifier;
  dataset: Identifier;
  /** Undefined for `count(R …)` and `exists(R …)`. */
  field: Identifier | undefined;
  filter: Expr | undefined;
}

/** Placeholder where an expression could not be parsed. */
export interface ErrorExpr extends Node {
  type: 'Error';
}

export type Expr =
  | Literal
  | NameExpr
  | ListExpr
  | ParenExpr
  | NotExpr
  | LogicalExpr
  | NegateExpr
  | ArithExpr
  | CompareExpr
  | InExpr
  | BetweenExpr
  | ContainsExpr
  | AffixExpr
  | MatchesExpr
  | MissingExpr
  | WithinLastExpr
  | TemporalExpr
  | CallExpr
  | AgoExpr
  | NowExpr
  | RelatedFieldExpr
  | AggregateExpr
  | ErrorExpr;

// ---------------------------------------------------------------- records

export interface RecordEntry extends Node {
  key: Identifier;
  /** A field's value, or the related rows of the dataset named by `key` (SPEC §11). */
  value: Expr | RelatedRowsLiteral;
}

/**
 * Related rows nested in an example or profile under the related dataset's
 * name: `plays: [{ … }, { … }]` (`many`) or `survey: { … }` (one row).
 * An empty list `plays: []` stays a `List` expression.
 */
export interface RelatedRowsLiteral extends Node {
  type: 'RelatedRows';
  many: boolean;
  rows: RecordLiteral[];
}

/** `{ age: 31, plan: "pro", integrations: ["a"] }` */
export interface RecordLiteral extends Node {
  type: 'Record';
  entries: RecordEntry[];
}

// ---------------------------------------------------------------- field types

export type ScalarTypeName =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'semver'
  | 'enum';

export interface TypeRef extends Node {
  type: 'TypeRef';
  /** 'list' for `list<string>` / `list<integer>`. */
  name: ScalarTypeName | 'list';
  /** For `list<…>`: the element type. */
  element?: 'string' | 'integer';
  /** For `enum("a", "b")`; undefined for a bare `enum` (values from the data). */
  enumValues?: StringLiteral[];
  /** `?` suffix: the value may be missing. */
  optional: boolean;
  /** Set when the type name is not one of the known ones (kept for the error). */
  unknownName?: string;
}

export interface FieldDecl extends Node {
  type: 'Field';
  name: Identifier;
  fieldType: TypeRef | undefined;
}

// ---------------------------------------------------------------- expectations

/** A number (`500`) or a percentage (`8%`, value 8) in an `expect` bound. */
export type Quantity = NumberLiteral | PercentLiteral;

export type Bound =
  | { kind: 'compare'; op: CompareOp; value: Quantity; range: Range }
  | { kind: 'between'; low: Quantity; high: Quantity; range: Range };

export type Expectation =
  | (Node & { type: 'ExpectSize'; bound: Bound | undefined; warn: boolean })
  | (Node & { type: 'ExpectShare'; expr: Expr; bound: Bound | undefined; warn: boolean })
  | (Node & {
      type: 'ExpectAggregate';
      /** `mean`, `median`, `min`, `max`, `p1`..`p99` */
      fn: Identifier;
      arg: Expr;
      bound: Bound | undefined;
      warn: boolean;
    })
  | (Node & { type: 'ExpectDisjoint'; segment: Identifier | undefined; warn: boolean })
  | (Node & {
      type: 'ExpectOverlap';
      segment: Identifier | undefined;
      bound: Bound | undefined;
      warn: boolean;
    })
  | (Node & { type: 'ExpectSubset'; segment: Identifier | undefined; warn: boolean });

// ---------------------------------------------------------------- properties

/**
 * One property inside a declaration's braces. `keyword` is the property's
 * leading word as written (`source`, `as of`, `where`, …) and `keywordRange`
 * its range; declarations keep their properties in source order so that
 * "property given twice" and the formatter can see them all.
 */
interface PropertyBase extends Node {
  keywordRange: Range;
}

export type DatasetProperty =
  | (PropertyBase & { key: 'source'; value: StringLiteral | undefined })
  | (PropertyBase & { key: 'table'; value: StringLiteral | undefined })
  | (PropertyBase & { key: 'key'; value: Identifier | undefined })
  | (PropertyBase & { key: 'asOf'; value: DateLiteral | undefined })
  /** What one row is, in the plural (`unit "customers"`): the word lenses, hovers and reports count in. */
  | (PropertyBase & { key: 'unit'; value: StringLiteral | undefined })
  /** `missing ["?", "NA"]`: cells holding exactly one of these texts are missing values. */
  | (PropertyBase & { key: 'missing'; value: ListExpr | undefined })
  | (PropertyBase & { key: 'description'; value: StringLiteral | undefined })
  | (PropertyBase & { key: 'fields'; fields: FieldDecl[] })
  /** `belongs to PARENT by FIELD` (SPEC §11). */
  | (PropertyBase & { key: 'belongsTo'; parent: Identifier | undefined; by: Identifier | undefined });

export type SegmentKind =
  | 'demographic'
  | 'geographic'
  | 'behavioral'
  | 'psychographic'
  | 'technographic'
  | 'needs'
  | 'value';

export type SegmentProperty =
  | (PropertyBase & { key: 'kind'; value: Identifier | undefined })
  | (PropertyBase & { key: 'description'; value: StringLiteral | undefined })
  | (PropertyBase & { key: 'from'; value: Identifier | undefined })
  | (PropertyBase & { key: 'where'; value: Expr | undefined })
  | (PropertyBase & { key: 'expect'; value: Expectation | undefined })
  | (PropertyBase & { key: 'example'; member: boolean; value: RecordLiteral | undefined })
  | (PropertyBase & { key: 'owner'; value: StringLiteral | undefined })
  | (PropertyBase & { key: 'tags'; value: ListExpr | undefined });

export type PersonaProperty =
  | (PropertyBase & { key: 'segment'; value: Identifier | undefined })
  | (PropertyBase & { key: 'quote'; value: StringLiteral | undefined })
  | (PropertyBase & { key: 'description'; value: StringLiteral | undefined })
  | (PropertyBase & { key: 'profile'; value: RecordLiteral | undefined })
  | (PropertyBase & { key: 'goals'; value: ListExpr | undefined })
  | (PropertyBase & { key: 'pains'; value: ListExpr | undefined })
  | (PropertyBase & { key: 'jobs'; value: ListExpr | undefined })
  | (PropertyBase & { key: 'channels'; value: ListExpr | undefined });

export type PartitionProperty =
  | (PropertyBase & { key: 'segments'; value: Identifier[] })
  | (PropertyBase & { key: 'exclusive' })
  | (PropertyBase & { key: 'exhaustive' })
  | (PropertyBase & { key: 'description'; value: StringLiteral | undefined });

/** `expect reach >= 95%` (share of the `for` segment that gets the flag), `expect leak == 0` (rows outside it that get it). */
export interface FlagExpectation extends Node {
  type: 'ExpectReach' | 'ExpectLeak';
  bound: Bound | undefined;
  warn: boolean;
}

/** `planTier: plan` in a flag's `context { … }`; `field` is undefined for the shorthand `plan` (same name). */
export interface FlagContextEntry extends Node {
  attribute: Identifier;
  field: Identifier | undefined;
}

export type FlagProperty =
  | (PropertyBase & { key: 'system'; value: Identifier | undefined })
  | (PropertyBase & { key: 'source'; value: StringLiteral | undefined })
  | (PropertyBase & { key: 'key'; value: StringLiteral | undefined })
  /** `for students` or `for [students, teachers]`. */
  | (PropertyBase & { key: 'for'; value: Identifier[] })
  | (PropertyBase & { key: 'context'; entries: FlagContextEntry[] })
  | (PropertyBase & { key: 'expect'; value: FlagExpectation | undefined })
  | (PropertyBase & { key: 'description'; value: StringLiteral | undefined });

// ---------------------------------------------------------------- declarations

interface DeclarationBase extends Node {
  /** Undefined only when the name is missing in a broken file. */
  name: Identifier | undefined;
  title: StringLiteral | undefined;
  keywordRange: Range;
}

export interface DatasetDecl extends DeclarationBase {
  type: 'Dataset';
  properties: DatasetProperty[];
}

export interface SegmentDecl extends DeclarationBase {
  type: 'Segment';
  properties: SegmentProperty[];
}

export interface PersonaDecl extends DeclarationBase {
  type: 'Persona';
  properties: PersonaProperty[];
}

export interface PartitionDecl extends DeclarationBase {
  type: 'Partition';
  properties: PartitionProperty[];
}

/** A feature flag in a flag system's own file, checked against the segment it is for (SPEC §12). */
export interface FlagDecl extends DeclarationBase {
  type: 'Flag';
  properties: FlagProperty[];
}

export type Declaration = DatasetDecl | SegmentDecl | PersonaDecl | PartitionDecl | FlagDecl;

export interface Comment extends Node {
  text: string;
  block: boolean;
}

export interface SyntaxError {
  message: string;
  range: Range;
  /** Did-you-mean replacements for the text at `range`, best first (for quick fixes). */
  suggestions?: string[];
}

export interface SegspecFile extends Node {
  type: 'File';
  declarations: Declaration[];
  comments: Comment[];
  errors: SyntaxError[];
}

// ---------------------------------------------------------------- helpers

/** The first property with the given key, typed by key. */
export function prop<D extends Declaration, K extends D['properties'][number]['key']>(
  decl: D,
  key: K,
): Extract<D['properties'][number], { key: K }> | undefined {
  return (decl.properties as Array<{ key: string }>).find((p) => p.key === key) as
    | Extract<D['properties'][number], { key: K }>
    | undefined;
}

/** All properties with the given key (for repeatable ones such as `expect`). */
export function props<D extends Declaration, K extends D['properties'][number]['key']>(
  decl: D,
  key: K,
): Array<Extract<D['properties'][number], { key: K }>> {
  return (decl.properties as Array<{ key: string }>).filter((p) => p.key === key) as Array<
    Extract<D['properties'][number], { key: K }>
  >;
}
