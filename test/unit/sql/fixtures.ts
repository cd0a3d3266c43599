/**
 * Shared test fixtures: expressions parsed from source text, a compiler
 * context over a fixed field list, and a small table with missing values.
 */
import type { ColumnType } from '../../../server/src/core/data/table.js';
import { parse } from '../../../server/src/core/syntax/index.js';
import type { Expr } from '../../../server/src/core/syntax/ast.js';
import type { SqlContext } from '../../../server/src/core/sql/index.js';
import type { Dialect } from '../../../server/src/core/sql/index.js';
import type { FieldSpec } from '../../../server/src/sqlengines/duckdb.js';
import type { Row } from '../../../server/src/sqlengines/rows.js';

/** The `where` expression of `segment s { where TEXT }`. */
export function whereExpr(text: string): Expr {
  const file = parse(`segment s { where ${text} }`);
  if (file.errors.length) throw new Error(`parse error in '${text}': ${file.errors[0].message}`);
  const decl = file.declarations[0];
  const where = decl.type === 'Segment' ? decl.properties.find((p) => p.key === 'where') : undefined;
  if (!where || where.key !== 'where' || !where.value) throw new Error(`no where in '${text}'`);
  return where.value;
}

export interface ContextOptions {
  dialect: Dialect;
  fields: Record<string, ColumnType>;
  segments?: Record<string, string>;
  asOf?: string;
  table?: string;
}

export function contextFor(options: ContextOptions): SqlContext {
  const segments = new Map(Object.entries(options.segments ?? {}).map(([name, text]) => [name, whereExpr(text)]));
  return {
    dialect: options.dialect,
    asOf: options.asOf ?? '2026-03-31',
    table: options.table ?? 'users',
    resolveName: (n) => (n.name in options.fields ? 'field' : segments.has(n.name) ? 'segment' : undefined),
    fieldType: (name) => options.fields[name],
    segmentWhere: (name) => segments.get(name),
  };
}

export const USER_FIELDS: Record<string, ColumnType> = {
  id: 'integer',
  age: 'integer',
  plan: 'string',
  signup_date: 'date',
  last_seen: 'datetime',
  app_version: 'semver',
  integrations: 'list<string>',
  is_student: 'boolean',
  ltv_usd: 'number',
  name: 'string',
};

export const USER_FIELD_SPECS: FieldSpec[] = Object.entries(USER_FIELDS).map(([name, type]) => ({ name, type }));

export const USER_SEGMENTS: Record<string, string> = {
  young: 'age < 30',
  seniors: 'age >= 60',
  young_or_unknown: 'young or age is missing',
  draft_free: 'plan == "free" and not seniors',
};

/** Six users with missing values in most columns; the as-of date is 2026-03-31. */
export const USER_ROWS: Row[] = [
  { id: 1, age: 22, plan: 'free', signup_date: '2026-03-31', last_seen: '2026-03-31T23:59:59Z', app_version: '3.10.0', integrations: ['invoicing', 'slack'], is_student: true, ltv_usd: 10, name: "O'Brien" },
  { id: 2, age: 35, plan: 'pro', signup_date: '2026-03-01', last_seen: '2026-03-31T00:00:00Z', app_version: '3.9.2', integrations: ['slack'], is_student: false, ltv_usd: 250, name: 'Ann -- x' },
  { id: 3, age: null, plan: 'pro', signup_date: '2026-02-28', last_seen: '2026-04-01T00:00:00Z', app_version: '1.0.0-rc.1', integrations: null, is_student: null, ltv_usd: 0, name: null },
  { id: 4, age: 0, plan: null, signup_date: '2026-02-27', last_seen: '2026-03-01T00:00:00Z', app_version: '1.0.0', integrations: ['invoicing'], is_student: false, ltv_usd: 100, name: 'bob' },
  { id: 5, age: 61, plan: 'team', signup_date: null, last_seen: null, app_version: null, integrations: ['a', 'b'], is_student: true, ltv_usd: null, name: 'Élise' },
  { id: 6, age: 40, plan: 'enterprise', signup_date: '2025-03-31', last_seen: '2025-12-31T12:00:00Z', app_version: 'v3.10', integrations: ['slack', 'invoicing', 'crm'], is_student: false, ltv_usd: 40, name: 'carol' },
];

/** Expressions with the ids of the users they select, worked out by hand from SPEC §5. */
export const MEMBERSHIP_CASES: Array<[string, number[]]> = [
  ['age < 30', [1, 4]],
  ['not (age < 30)', [2, 5, 6]],
  ['age < 30 or plan == "pro"', [1, 2, 3, 4]],
  ['not (age < 30 or plan == "free")', [2, 5, 6]],
  ['plan != "pro"', [1, 5, 6]],
  ['plan not in ["pro", "team"]', [1, 6]],
  ['plan in ["pro", "team"]', [2, 3, 5]],
  ['not young', [2, 3, 5, 6]],
  ['young or plan is missing', [1, 4]],
  ['not young_or_unknown', [2, 5, 6]],
  ['draft_free', [1]],
  ['age is missing', [3]],
  ['age is not missing and not seniors', [1, 2, 4, 6]],
  ['age between 22 and 40', [1, 2, 6]],
  ['signup_date within last 1 day', [1]],
  ['signup_date within last 1 month', [1, 2]],
  ['signup_date within last 2 months', [1, 2, 3, 4]],
  ['signup_date within last 1 year', [1, 2, 3, 4]],
  ['signup_date after 1 month ago', [1, 2]],
  ['signup_date >= 1 month ago', [1, 2, 3]],
  ['signup_date == "2026-03-01"', [2]],
  ['signup_date before today', [2, 3, 4, 6]],
  ['last_seen within last 1 day', [1, 2]],
  ['last_seen before today', [4, 6]],
  ['last_seen after 2026-03-31', [1, 3]],
  ['last_seen >= 1 month ago', [1, 2, 3, 4]],
  ['last_seen < now', [1, 2, 4, 6]],
  ['last_seen > 2026-03-31T12:00:00Z', [1, 3]],
  ['app_version >= "3.10.0"', [1, 6]],
  ['app_version < "1.0.0"', [3]],
  ['app_version between "1.0.0" and "3.9.9"', [2, 4]],
  ['app_version == "3.10"', [1, 6]],
  ['integrations contains "invoicing"', [1, 4, 6]],
  ['not (integrations contains "invoicing")', [2, 5]],
  ['integrations contains any ["crm", "slack"]', [1, 2, 6]],
  ['integrations contains all ["slack", "invoicing"]', [1, 6]],
  ['len(integrations) >= 2', [1, 5, 6]],
  ['name matches "^[a-c]"', [4, 6]],
  ['name matches "r"', [1, 6]],
  ['name contains "\'"', [1]],
  ['name == "O\'Brien"', [1]],
  ['name == "Ann -- x"', [2]],
  ['name == "x\' OR 1=1 --"', []],
  ['lower(name) starts with "é"', [5]],
  ['name ends with "ol"', [6]],
  ['upper(name) contains "ANN"', [2]],
  ['len(name) == 5', [5, 6]],
  ['name < "a"', [1, 2]],
  ['plan < "pro"', [1, 6]],
  ['ltv_usd / age > 1', [2]],
  ['(ltv_usd / age) is missing', [3, 4, 5]],
  ['age / 4 == 5.5', [1]],
  ['is_student', [1, 5]],
  ['not is_student', [2, 4, 6]],
  ['is_student == false', [2, 4, 6]],
  ['ltv_usd > median(ltv_usd)', [2, 4]],
  ['ltv_usd >= p90(ltv_usd)', [2]],
  ['ltv_usd > mean(ltv_usd)', [2, 4]],
  ['age == max(age)', [5]],
  ['-age < -30', [2, 5, 6]],
  ['age * 2 - 4 >= 40', [1, 2, 5, 6]],
  ['ltv_usd >= 10%', [1, 2, 4, 6]],
  // Pre-release numbers compare by value (rc.1 < rc.02), a longer identifier list after its prefix.
  ['app_version < "1.0.0-rc.02"', [3]],
  ['app_version >= "1.0.0-rc.1.0"', [1, 2, 4, 6]],
];

/** Expressions for the per-dialect golden files: every membership case plus constructs only compiled, not run. */
export const GOLDEN_EXPRESSIONS: string[] = [
  ...MEMBERSHIP_CASES.map(([text]) => text),
  'plan in []',
  'integrations contains any []',
  'name contains any ["a", "b"]',
  'name contains all ["a", "b"]',
  'last_seen within last 2 weeks or last_seen within last 1 year',
  'signup_date >= 3 months ago and last_seen >= 3 months ago',
  'signup_date < 2026-01-01T12:00:00Z',
  'last_seen > 2026-01-01',
  'age > p25(age) and age < p75(age)',
  'min(signup_date) < signup_date',
  'app_version in ["3.10.0", "3.9.2"]',
  'app_version > "1.0.0-beta+build.7"',
  'name == "back\\\\slash \\"quoted\\" \\n newline"',
  '(age + 1) * (age - 1) / 2 > 100',
  'not not is_student',
  'young == true',
  'plan between "a" and "m"',
  'len(name) > 3 and lower(name) ends with "e"',
];
