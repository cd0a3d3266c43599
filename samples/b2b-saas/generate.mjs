// Generates data/accounts.csv for the B2B SaaS sample: one row per customer
// account of an analytics product, with firmographics, technographics (the
// platforms they run, the integrations they enabled), survey answers (jobs to
// be done) and revenue. Deterministic: seeded PRNG, no dependencies.
// Run: node samples/b2b-saas/generate.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ROWS = 5000;
const AS_OF = Date.UTC(2026, 5, 30); // matches `as of 2026-06-30` in data.segspec
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
const random = mulberry32(424242);
const chance = (p) => random() < p;
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (items) => items[Math.floor(random() * items.length)];
function weighted(table) {
  const entries = Object.entries(table);
  let r = random() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of entries) {
    r -= w;
    if (r < 0) return value;
  }
  return entries[entries.length - 1][0];
}
// Relative windows used by the segments, in days before `as of`: keep data off their edges.
const EDGES = [14, 30, 90, 365];
function daysBack(draw) {
  for (;;) {
    const d = draw();
    if (!EDGES.some((e) => Math.abs(d - e) <= 1)) return d;
  }
}
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const isoDateTime = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

const PREFIXES = ['North', 'Blue', 'Bright', 'Iron', 'Silver', 'Nova', 'Cedar', 'Quantum', 'Harbor', 'Summit', 'Atlas', 'Pine', 'Vertex', 'Lumen', 'Orbit', 'Delta', 'Maple', 'Falcon', 'Crescent', 'Echo'];
const SUFFIXES = ['wind', 'field', 'stone', 'bridge', 'works', 'labs', 'logic', 'point', 'wave', 'stack', 'forge', 'path', 'line', 'scale', 'grid'];
const FORMS = ['Inc', 'GmbH', 'Ltd', 'Group', 'Systems', 'Health', 'Retail', 'Media', 'Analytics', 'Partners'];

const REGIONS = {
  NA: { US: 80, CA: 20 },
  EMEA: { GB: 30, DE: 30, FR: 15, NL: 10, SE: 8, ZA: 7 },
  APAC: { AU: 35, JP: 25, SG: 20, IN: 20 },
  LATAM: { BR: 60, MX: 40 },
};

const JOBS = {
  'automate reporting': 30,
  'share dashboards with clients': 18,
  'consolidate customer data': 22,
  'monitor product usage': 18,
  'forecast revenue': 12,
};
const ANSWERS = {
  'automate reporting': ['Stop building the Monday report by hand', 'Automate the weekly board deck', 'Scheduled reports that just arrive'],
  'share dashboards with clients': ['Give each client a branded dashboard', 'Share live dashboards with our clients', 'Client portals without exporting to PDF'],
  'consolidate customer data': ['Integrate Salesforce and HubSpot data in one place', 'One customer view across our tools', 'Better integrations with our CRM'],
  'monitor product usage': ['See which features customers use', 'Alert us when usage drops', 'Integrate product events with billing'],
  'forecast revenue': ['Forecast next quarter from pipeline', 'Predict churn before renewals', 'Revenue planning the CFO trusts'],
};

function makeAccount(index, usedDomains) {
  const plan = weighted({ starter: 38, growth: 32, business: 20, enterprise: 10 });
  const employees = {
    starter: () => int(2, 150),
    growth: () => int(20, 800),
    business: () => int(150, 4000),
    enterprise: () => int(1000, 60000),
  }[plan]();
  const region = weighted({ NA: 45, EMEA: 32, APAC: 15, LATAM: 8 });
  const country = weighted(REGIONS[region]);
  const industry = weighted({ software: 30, fintech: 14, healthcare: 12, retail: 14, manufacturing: 10, education: 8, media: 12 });

  let company, domain;
  for (;;) {
    const base = pick(PREFIXES) + pick(SUFFIXES);
    const tld = industry === 'software'
      ? weighted({ '.io': 45, '.com': 30, '.ai': 15, '.dev': 10 })
      : weighted({ '.com': 70, '.io': 8, '.ai': 4, [country === 'DE' ? '.de' : country === 'GB' ? '.co.uk' : '.net']: 18 });
    const lead = weighted({ '': 40, get: 8, try: 6, use: 6, go: 5, my: 5, hq: 5, app: 5 });
    const tail = weighted({ '': 50, hq: 10, app: 10, data: 10, cloud: 10, [String(int(2, 99))]: 10 });
    domain = lead + base.toLowerCase() + tail + tld;
    if (usedDomains.has(domain)) continue;
    usedDomains.add(domain);
    company = `${base} ${pick(FORMS)}`;
    break;
  }

  const platforms = new Set();
  platforms.add(weighted({ aws: 55, gcp: 25, azure: 20 }));
  if (chance(plan === 'enterprise' ? 0.45 : 0.12)) platforms.add(pick(['aws', 'gcp', 'azure']));
  if (chance(plan === 'starter' ? 0.2 : 0.5)) platforms.add('salesforce');
  else if (chance(0.45)) platforms.add('hubspot');
  if (industry === 'retail' && chance(0.7)) platforms.add(chance(0.6) ? 'shopify' : 'magento');
  if (chance(0.35)) platforms.add('zendesk');
  if (chance(0.25)) platforms.add('segment');
  if (chance(plan === 'enterprise' || plan === 'business' ? 0.5 : 0.15)) platforms.add('okta');

  const warehouse = plan === 'starter' && chance(0.8)
    ? ''
    : weighted({ '': 30, snowflake: 28, bigquery: platforms.has('gcp') ? 40 : 12, redshift: platforms.has('aws') ? 18 : 3, databricks: 10, postgres: 10 });

  const integrations = new Set(['csv_export']);
  if (chance(0.6)) integrations.add('slack');
  if (warehouse && chance(0.8)) integrations.add(`${warehouse}_connector`);
  if (warehouse && chance(0.45)) integrations.add('dbt');
  if (warehouse && chance(0.35)) integrations.add('fivetran');
  if (platforms.has('salesforce') && chance(0.75)) integrations.add('salesforce_sync');
  if (platforms.has('hubspot') && chance(0.7)) integrations.add('hubspot_sync');
  if (chance(plan === 'starter' ? 0.1 : 0.4)) integrations.add('webhooks');
  if (chance(0.2)) integrations.add('google_sheets');

  const seats = {
    starter: () => int(1, 5),
    growth: () => int(3, 25),
    business: () => int(10, 120),
    enterprise: () => int(50, 900),
  }[plan]();
  const pricePerSeat = { starter: 29, growth: 49, business: 79, enterprise: 95 }[plan];
  const mrr = Math.round(seats * pricePerSeat * (0.75 + random() * 0.4) * 100) / 100;

  const startBack = daysBack(() => int(20, 2200));
  const months = Math.max(1, Math.round(startBack / 30.4));
  const ltv = Math.round(mrr * months * (0.8 + random() * 0.3) * 100) / 100;

  const recency = weighted({ week: 60, month: 20, quarter: 12, long: 8 });
  const loginBack = daysBack(() => Math.min(startBack, { week: int(0, 12), month: int(16, 28), quarter: int(32, 88), long: int(92, 400) }[recency]));
  const lastLogin = AS_OF - loginBack * DAY + int(3600, 23 * 3600) * 1000;

  const apiCalls = integrations.has('webhooks') || chance(0.2)
    ? Math.round(Math.pow(random(), 2) * (plan === 'enterprise' ? 4_000_000 : 600_000))
    : int(0, 500);

  const answered = chance(0.62);
  let job = '';
  let answer = '';
  let nps = '';
  if (answered) {
    job = weighted(JOBS);
    if (industry === 'media' && chance(0.5)) job = 'share dashboards with clients';
    answer = pick(ANSWERS[job]);
    const base = recency === 'week' ? 8 : recency === 'month' ? 7 : 5;
    nps = Math.max(0, Math.min(10, base + int(-3, 3)));
  }

  return {
    account_id: `acc-${String(index + 1).padStart(5, '0')}`,
    company,
    domain,
    industry,
    employees,
    region,
    country,
    plan,
    seats,
    platforms: [...platforms].join(';'),
    integrations: [...integrations].join(';'),
    data_warehouse: warehouse,
    sso_enabled: platforms.has('okta') ? chance(0.85) : chance(0.1),
    api_calls_30d: apiCalls,
    mrr_usd: mrr.toFixed(2),
    ltv_usd: ltv.toFixed(2),
    contract_start: isoDate(AS_OF - startBack * DAY),
    last_login: isoDateTime(lastLogin),
    survey_primary_job: job,
    survey_answer: answer,
    nps,
  };
}

const usedDomains = new Set();
const accounts = Array.from({ length: ROWS }, (_, i) => makeAccount(i, usedDomains));
const header = Object.keys(accounts[0]);
const csv = [header.join(','), ...accounts.map((a) => header.map((h) => String(a[h])).join(','))].join('\n') + '\n';
mkdirSync(join(here, 'data'), { recursive: true });
writeFileSync(join(here, 'data', 'accounts.csv'), csv);
console.log(`wrote ${accounts.length} rows to data/accounts.csv`);
