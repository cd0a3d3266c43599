// Generates data/users.csv for the productivity sample.
// Deterministic: a seeded PRNG, no dependencies. Run: node samples/productivity/generate.mjs
//
// Dates are laid out relative to the dataset's `as of` date (2026-06-30) and
// never fall on the edge of a relative window the segments use (7, 30, 60,
// 90 … days), so every reasonable reading of "within last N days" agrees.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ROWS = 8000;
const AS_OF = Date.UTC(2026, 5, 30); // 2026-06-30, midnight UTC
const DAY = 86_400_000;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(20260630);
const chance = (p) => random() < p;
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (items) => items[Math.floor(random() * items.length)];
/** Picks from `{ value: weight }`. */
function weighted(table) {
  const entries = Object.entries(table);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, w] of entries) {
    r -= w;
    if (r < 0) return value;
  }
  return entries[entries.length - 1][0];
}
function sample(items, count) {
  const pool = [...items];
  const out = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return out;
}

// Window edges used by the segments, in days before `as of`.
const EDGES = [7, 14, 30, 60, 90, 180, 365];
const nearEdge = (daysBack) => EDGES.some((e) => Math.abs(daysBack - e) <= 1);
function daysBack(maxDays, draw) {
  for (;;) {
    const d = Math.min(maxDays, draw());
    if (!nearEdge(d)) return d;
  }
}
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const isoDateTime = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

const ARCHETYPES = { student: 19, freelancer: 15, enterprise: 16, general: 50 };

const COUNTRIES = {
  US: 28, GB: 9, DE: 8, FR: 6, NL: 3, ES: 3, IT: 3, PL: 2, SE: 2,
  IN: 10, BR: 6, MX: 3, NG: 2, ID: 2, CA: 5, AU: 4, JP: 4,
};

const STUDENT_JOBS = ['Student', 'student', 'Grad student', 'PhD student', 'STUDENT'];
const FREELANCE_JOBS = [
  'Freelance designer', 'freelance designer', 'Freelance developer', 'freelance developer',
  'Freelance writer', 'Freelance photographer', 'FREELANCE consultant',
];
const ENTERPRISE_JOBS = ['Product manager', 'Engineering manager', 'Operations lead', 'Project manager', 'Analyst', 'Software engineer'];
const GENERAL_JOBS = ['Teacher', 'Designer', 'Software engineer', 'Marketing manager', 'Nurse', 'Sales rep', 'Founder', 'Writer', 'Researcher', 'Consultant'];

const VERSIONS = { '2.14.1': 3, '3.7.2': 5, '3.8.4': 8, '3.9.0': 10, '3.9.2': 14, '3.10.0': 18, '3.10.1': 16, '3.11.3': 14, '3.12.0': 12 };

function integrationsFor(archetype) {
  const picks = new Set();
  switch (archetype) {
    case 'student':
      if (chance(0.7)) picks.add('google_calendar');
      if (chance(0.25)) picks.add('ical');
      if (chance(0.35)) picks.add('canvas');
      if (chance(0.3)) picks.add('notion');
      if (chance(0.2)) picks.add('google_drive');
      if (chance(0.1)) picks.add('slack');
      break;
    case 'freelancer':
      if (chance(0.72)) picks.add('invoicing');
      if (chance(0.45)) picks.add('time_tracking');
      if (chance(0.35)) picks.add('stripe');
      if (chance(0.25)) picks.add('quickbooks');
      if (chance(0.4)) picks.add('google_calendar');
      if (chance(0.3)) picks.add('slack');
      if (chance(0.3)) picks.add('dropbox');
      if (chance(0.2)) picks.add('zapier');
      break;
    case 'enterprise':
      if (chance(0.55)) picks.add('slack');
      else if (chance(0.6)) picks.add('microsoft_teams');
      if (chance(0.5)) picks.add('jira');
      if (chance(0.35)) picks.add('salesforce');
      if (chance(0.45)) picks.add('okta');
      if (chance(0.5)) picks.add('outlook_calendar');
      if (chance(0.3)) picks.add('github');
      if (chance(0.25)) picks.add('google_drive');
      break;
    default:
      for (const name of sample(['google_calendar', 'outlook_calendar', 'slack', 'notion', 'dropbox', 'zapier', 'github', 'google_drive', 'evernote', 'todoist_import'], int(0, 3))) picks.add(name);
      if (chance(0.04)) picks.add('invoicing');
  }
  if (picks.size === 0) picks.add(pick(['google_calendar', 'email_forwarding', 'dropbox']));
  return [...picks];
}

function makeUser(index) {
  const archetype = weighted(ARCHETYPES);
  let age, job, plan, device, isStudent, seats = '';
  switch (archetype) {
    case 'student':
      isStudent = !chance(0.03);
      age = chance(0.09) ? int(31, 46) : int(17, 29);
      job = pick(STUDENT_JOBS);
      plan = weighted({ free: 70, pro: 26, team: 4 });
      device = weighted({ mobile: 56, desktop: 22, tablet: 17, web: 5 });
      break;
    case 'freelancer':
      isStudent = false;
      age = int(22, 62);
      job = pick(FREELANCE_JOBS);
      plan = weighted({ free: 28, pro: 58, team: 10, enterprise: 4 });
      device = weighted({ desktop: 66, mobile: 14, tablet: 8, web: 12 });
      break;
    case 'enterprise':
      isStudent = false;
      age = int(24, 64);
      job = pick(ENTERPRISE_JOBS);
      plan = weighted({ enterprise: 82, team: 18 });
      device = weighted({ desktop: 70, web: 18, mobile: 9, tablet: 3 });
      break;
    default:
      isStudent = chance(0.02);
      age = int(18, 70);
      job = pick(GENERAL_JOBS);
      plan = weighted({ free: 55, pro: 30, team: 12, enterprise: 3 });
      device = weighted({ mobile: 38, desktop: 36, web: 14, tablet: 12 });
  }
  if (isStudent && plan === 'enterprise') plan = 'pro';
  if (plan === 'team') seats = chance(0.08) ? int(50, 120) : int(2, 49);
  if (plan === 'enterprise') seats = chance(0.1) ? int(10, 45) : Math.round(50 + Math.pow(random(), 2.2) * 4950);

  const country = weighted(COUNTRIES);

  // Signed up 0..1999 days ago; students mostly recently.
  const signupBack = daysBack(1999, () => (archetype === 'student' ? int(3, 900) : int(3, 1999)));
  const signup = AS_OF - signupBack * DAY;

  // Last seen: most users recently, some lapsing, some dormant; never before sign-up.
  const recency = weighted({ week: 50, month: 22, quarter: 16, long: 12 });
  const seenBack = daysBack(signupBack, () => {
    switch (recency) {
      case 'week': return int(0, 5);
      case 'month': return int(9, 28);
      case 'quarter': return int(32, 88);
      default: return int(92, 700);
    }
  });
  const seenAt = AS_OF - seenBack * DAY + int(3600, 23 * 3600) * 1000;

  let sessions = 0;
  if (seenBack < 30) {
    const base = { student: 26, freelancer: 34, enterprise: 38, general: 18 }[archetype];
    sessions = Math.max(1, Math.round(base * (0.2 + random() * 1.6) * (seenBack < 7 ? 1.3 : 0.6)));
  }

  const monthsActive = Math.max(1, Math.round((seenBack === 0 ? signupBack : signupBack - seenBack) / 30));
  let ltv = 0;
  if (plan === 'free') ltv = chance(0.12) ? int(5, 60) : 0;
  if (plan === 'pro') ltv = monthsActive * (isStudent ? 4 : 9) * (0.7 + random() * 0.6);
  if (plan === 'team') ltv = monthsActive * seats * 2.5 * (0.6 + random() * 0.5);
  if (plan === 'enterprise') ltv = Math.min(250_000, monthsActive * seats * 1.1 * (0.5 + random() * 0.6));
  ltv = Math.round(ltv * 100) / 100;

  const version = archetype === 'enterprise'
    ? weighted({ ...VERSIONS, '3.10.1': 24, '3.11.3': 20, '3.12.0': 18 })
    : weighted(VERSIONS);

  return {
    user_id: `u${String(index + 1).padStart(5, '0')}`,
    age,
    country,
    plan,
    device,
    seats,
    signup_date: isoDate(signup),
    last_seen: isoDateTime(seenAt),
    sessions_30d: sessions,
    ltv_usd: ltv.toFixed(2),
    app_version: version,
    is_student: isStudent,
    integrations: integrationsFor(archetype).join(';'),
    job,
  };
}

const users = Array.from({ length: ROWS }, (_, i) => makeUser(i));
const header = Object.keys(users[0]);
const csv = [header.join(','), ...users.map((u) => header.map((h) => String(u[h])).join(','))].join('\n') + '\n';
mkdirSync(join(here, 'data'), { recursive: true });
writeFileSync(join(here, 'data', 'users.csv'), csv);
console.log(`wrote ${users.length} rows to data/users.csv`);
