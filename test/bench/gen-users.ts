/**
 * Deterministic sample users for benchmarks and load tests: the SPEC's users
 * dataset (user_id plus 12 fields), as CSV. The same (rows, seed) always
 * gives the same bytes.
 */

/** The `fields { }` block that describes the generated columns. */
export const USERS_FIELDS = `user_id: string
age: integer
country: string
plan: enum("free", "pro", "team", "enterprise")
device: enum
seats: integer?
signup_date: date
last_seen: datetime
sessions_30d: integer
ltv_usd: number
app_version: semver
is_student: boolean
integrations: list<string>?`;

/** A whole dataset declaration reading `source`, keyed by user_id. */
export function usersDataset(source: string, asOf = '2026-06-30'): string {
  const body = USERS_FIELDS.split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `dataset users "Product users" {\n  source "${source}"\n  key user_id\n  as of ${asOf}\n  fields {\n${body}\n  }\n}\n`;
}

export const USERS_COLUMNS = USERS_FIELDS.split('\n').map((line) => line.split(':')[0]);

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = ['US', 'US', 'US', 'GB', 'DE', 'FR', 'IN', 'IN', 'BR', 'CA', 'AU', 'ES', 'IT', 'NL', 'SE', 'PL', 'JP', 'KR', 'MX', 'AR', 'ZA', 'NG', 'KE', 'EG', 'TR', 'ID', 'PH', 'VN', 'CH', 'IE'];
const DEVICES = ['desktop', 'desktop', 'mobile', 'mobile', 'mobile', 'tablet'];
const INTEGRATIONS = ['slack', 'zoom', 'invoicing', 'github', 'jira', 'drive', 'calendar', 'stripe'];
const VERSIONS = ['2.9.4', '3.0.0', '3.1.2', '3.9.0', '3.10.0', '3.10.1', '3.11.0-beta.1', '4.0.0'];
const DAY_MS = 86_400_000;
const FIRST_SIGNUP = Date.UTC(2019, 0, 1) / DAY_MS;
const AS_OF = Date.UTC(2026, 5, 30) / DAY_MS;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function isoDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** One CSV line per user (no trailing newline). */
function userLine(index: number, next: () => number): string {
  const r = next();
  const plan = r < 0.6 ? 'free' : r < 0.85 ? 'pro' : r < 0.95 ? 'team' : 'enterprise';
  const age = 16 + Math.floor(next() * next() * 64);
  const seats = plan === 'team' || plan === 'enterprise' ? String(2 + Math.floor(next() * (plan === 'team' ? 48 : 498))) : '';
  const signup = FIRST_SIGNUP + Math.floor(next() * (AS_OF - FIRST_SIGNUP));
  const lastSeenMs = (signup + next() * (AS_OF + 1 - signup)) * DAY_MS;
  const lastSeen = new Date(Math.floor(lastSeenMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const sessions = Math.floor(next() * next() * 121);
  const ltv = (next() * next() * (plan === 'enterprise' ? 50000 : plan === 'team' ? 8000 : 1200)).toFixed(2);
  const integrations = INTEGRATIONS.filter(() => next() < 0.18).join(';');
  return [
    `u${pad(index + 1, 7)}`,
    age,
    COUNTRIES[Math.floor(next() * COUNTRIES.length)],
    plan,
    DEVICES[Math.floor(next() * DEVICES.length)],
    seats,
    isoDate(signup),
    lastSeen,
    sessions,
    ltv,
    VERSIONS[Math.floor(next() * VERSIONS.length)],
    age < 26 && next() < 0.5 ? 'true' : 'false',
    integrations,
  ].join(',');
}

/** The users table as CSV text with a header, `rows` rows, reproducible from `seed`. */
export function generateUsersCsv(rows: number, seed = 42): string {
  const next = random(seed);
  const lines = new Array<string>(rows + 1);
  lines[0] = USERS_COLUMNS.join(',');
  for (let i = 0; i < rows; i++) lines[i + 1] = userLine(i, next);
  return `${lines.join('\n')}\n`;
}

/** The same table as UTF-8 bytes, built in chunks so no single giant string is needed. */
export function generateUsersCsvBytes(rows: number, seed = 42): Uint8Array {
  const next = random(seed);
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [encoder.encode(`${USERS_COLUMNS.join(',')}\n`)];
  const chunkRows = 50_000;
  for (let start = 0; start < rows; start += chunkRows) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + chunkRows); i++) lines.push(userLine(i, next));
    chunks.push(encoder.encode(`${lines.join('\n')}\n`));
  }
  const total = chunks.reduce((sum, c) => sum + c.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
