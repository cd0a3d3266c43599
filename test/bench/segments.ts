/**
 * The 50 benchmark segments over the generated users table (as of
 * 2026-06-30): each as a Segspec `where` rule and the same predicate written
 * by hand in DuckDB SQL. The bench checks that both give the same counts.
 */
const NOW = "TIMESTAMPTZ '2026-07-01 00:00:00+00'";
const NOW_DATE = "DATE '2026-07-01'";
const TODAY = "DATE '2026-06-30'";
const semverKey = (col: string) => `list_transform(string_split(regexp_replace(${col}, '[-+].*$', ''), '.'), x -> x::INTEGER)`;

export const BENCH_SEGMENTS: Array<[segspec: string, sql: string]> = [
  ['age < 25', 'age < 25'],
  ['age between 25 and 34', 'age BETWEEN 25 AND 34'],
  ['age >= 55', 'age >= 55'],
  ['plan == "pro"', "plan = 'pro'"],
  ['plan in ["team", "enterprise"]', "plan IN ('team', 'enterprise')"],
  ['plan == "free" and sessions_30d >= 20', "plan = 'free' AND sessions_30d >= 20"],
  ['country in ["US", "CA"]', "country IN ('US', 'CA')"],
  [
    'country in ["DE", "FR", "ES", "IT", "NL", "SE", "PL", "CH", "IE", "GB"]',
    "country IN ('DE', 'FR', 'ES', 'IT', 'NL', 'SE', 'PL', 'CH', 'IE', 'GB')",
  ],
  ['country in ["IN", "ID", "PH", "VN", "JP", "KR"]', "country IN ('IN', 'ID', 'PH', 'VN', 'JP', 'KR')"],
  ['device == "mobile"', "device = 'mobile'"],
  ['device == "desktop" and plan != "free"', "device = 'desktop' AND plan <> 'free'"],
  ['is_student', 'is_student'],
  ['is_student and plan == "free"', "is_student AND plan = 'free'"],
  ['seats >= 10', 'seats >= 10'],
  ['seats is missing', 'seats IS NULL'],
  ['ltv_usd > 1000', 'ltv_usd > 1000'],
  ['ltv_usd >= p90(ltv_usd)', 'ltv_usd >= (SELECT quantile_cont(ltv_usd, 0.9) FROM users)'],
  ['ltv_usd < median(ltv_usd)', 'ltv_usd < (SELECT quantile_cont(ltv_usd, 0.5) FROM users)'],
  ['sessions_30d == 0', 'sessions_30d = 0'],
  ['sessions_30d >= 30', 'sessions_30d >= 30'],
  ['sessions_30d between 1 and 5', 'sessions_30d BETWEEN 1 AND 5'],
  ['last_seen within last 7 days', `last_seen >= ${NOW} - INTERVAL 7 DAY AND last_seen < ${NOW}`],
  ['last_seen within last 30 days', `last_seen >= ${NOW} - INTERVAL 30 DAY AND last_seen < ${NOW}`],
  ['not (last_seen within last 90 days)', `NOT (last_seen >= ${NOW} - INTERVAL 90 DAY AND last_seen < ${NOW})`],
  ['signup_date within last 3 months', `signup_date >= ${NOW_DATE} - INTERVAL 3 MONTH AND signup_date < ${NOW_DATE}`],
  ['signup_date before 2021-01-01', "signup_date < DATE '2021-01-01'"],
  ['signup_date after 2025-12-31', "signup_date > DATE '2025-12-31'"],
  ['app_version >= "3.10.0"', `${semverKey('app_version')} >= [3, 10, 0]`],
  ['app_version < "3.0.0"', `${semverKey('app_version')} < [3, 0, 0]`],
  ['integrations contains "slack"', "list_contains(integrations, 'slack')"],
  ['integrations contains any ["github", "jira"]', "list_has_any(integrations, ['github', 'jira'])"],
  ['integrations contains all ["zoom", "calendar"]', "list_has_all(integrations, ['zoom', 'calendar'])"],
  ['integrations is missing', 'integrations IS NULL'],
  ['len(integrations) >= 3', 'len(integrations) >= 3'],
  ['integrations contains "invoicing" and plan != "enterprise"', "list_contains(integrations, 'invoicing') AND plan <> 'enterprise'"],
  ['age < 30 and device == "mobile" and sessions_30d >= 10', "age < 30 AND device = 'mobile' AND sessions_30d >= 10"],
  ['plan == "enterprise" or seats > 100', "plan = 'enterprise' OR seats > 100"],
  ['ltv_usd / seats > 100', 'ltv_usd / seats > 100'],
  ['country == "US" and age >= 40', "country = 'US' AND age >= 40"],
  ['lower(country) == "de"', "lower(country) = 'de'"],
  ['country starts with "I"', "starts_with(country, 'I')"],
  ['country matches "^(A|B)"', "regexp_matches(country, '^(A|B)')"],
  ['device != "tablet" and is_student == false', "device <> 'tablet' AND is_student = false"],
  ['sessions_30d * 4 > age', 'sessions_30d * 4 > age'],
  ['last_seen >= 14 days ago', `last_seen >= ${NOW} - INTERVAL 14 DAY`],
  ['signup_date >= 365 days ago', `signup_date >= ${TODAY} - INTERVAL 365 DAY`],
  ['plan == "pro" and ltv_usd > mean(ltv_usd)', "plan = 'pro' AND ltv_usd > (SELECT avg(ltv_usd) FROM users)"],
  ['age > 60 or is_student', 'age > 60 OR is_student'],
  ['not is_student and age < 22', 'NOT is_student AND age < 22'],
  [
    'plan in ["pro", "team"] and integrations contains "stripe" and last_seen within last 30 days',
    `plan IN ('pro', 'team') AND list_contains(integrations, 'stripe') AND last_seen >= ${NOW} - INTERVAL 30 DAY AND last_seen < ${NOW}`,
  ],
];

/** A spec with the users dataset and one segment per rule (`s01` … `s50`). */
export function benchSpec(datasetDecl: string): string {
  const segments = BENCH_SEGMENTS.map(
    ([where], i) => `segment s${String(i + 1).padStart(2, '0')} {\n  where ${where}\n}\n`,
  );
  return `${datasetDecl}\n${segments.join('\n')}`;
}
