// Generates the streaming sample's data (SPEC §11: related datasets):
//   data/listeners.jsonl  one JSON object per listener: who they are (plan, country, device, …)
//   data/plays.jsonl      the play event log: one JSON object per play, many per listener
//   data/survey.csv       the 2026 listening survey: at most one answer per listener
// Behaviour is not pre-aggregated: hours, genres and playlists come from the plays,
// attitudes from the survey. Deterministic: seeded PRNG, no dependencies.
// Run: node samples/streaming/generate.mjs
//
// What makes it realistic (and a test of the engine): some listeners never played,
// some stopped months ago, some plays have no playlist (the key is absent: an album or
// a search), play times are written in the listener's own UTC offset, about a third of
// listeners answered the survey, some answers skip the NPS question (empty cell).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const LISTENERS = 4000;
const AS_OF = Date.UTC(2026, 5, 30); // `as of 2026-06-30` in data.segspec
const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = AS_OF + DAY; // `now`: the end of the as-of day
const HISTORY_DAYS = 100; // the log starts 100 days before the as-of date

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
const random = mulberry32(7_000_001);
const chance = (p) => random() < p;
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const between = (lo, hi) => lo + random() * (hi - lo);
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
function some(items, count) {
  const pool = [...items];
  const out = [];
  while (out.length < count && pool.length) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return out;
}
/** A Poisson-distributed count (Knuth; fine for the small means used here). */
function poisson(mean) {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}
// Relative windows used by the segments, in days before `as of`: keep dates off their edges.
const EDGES = [7, 30, 90];
function daysBack(draw) {
  for (;;) {
    const d = draw();
    if (!EDGES.some((e) => Math.abs(d - e) <= 1)) return d;
  }
}
/** True when the instant is within two hours of a window edge (`now - N days`). */
const nearEdge = (ms) => EDGES.some((e) => Math.abs(ms - (NOW - e * DAY)) < 2 * HOUR);
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
/** ISO date-time of the instant `ms` (whole seconds), written in the given UTC offset (minutes). */
function isoDateTime(ms, offsetMinutes) {
  if (offsetMinutes === 0) return new Date(ms).toISOString().slice(0, 19) + 'Z';
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const COUNTRIES = {
  US: { w: 25, offset: 0 }, GB: { w: 10, offset: 60 }, DE: { w: 9, offset: 120 }, SE: { w: 5, offset: 120 },
  FR: { w: 6, offset: 120 }, BR: { w: 10, offset: -180 }, MX: { w: 7, offset: -360 }, AR: { w: 3, offset: -180 },
  CO: { w: 3, offset: -300 }, JP: { w: 6, offset: 540 }, KR: { w: 5, offset: 540 }, IN: { w: 6, offset: 330 }, AU: { w: 5, offset: 600 },
};
const GENRES = ['pop', 'hip hop', 'rock', 'indie rock', 'indie pop', 'indie folk', 'metal', 'electronic', 'jazz', 'classical', 'k-pop', 'latin', 'country', 'r&b', 'reggaeton'];
const MOOD_GENRES = ['electronic', 'classical', 'jazz', 'pop', 'indie pop', 'r&b'];
const ARCHETYPES = { casual: 34, mood: 26, genre_fan: 22, eclectic: 18 };
/** How each archetype listens: plays per active day, share of days active, where plays come from. */
const HABITS = {
  casual: { perDay: () => between(1, 3), activeDays: () => between(0.04, 0.14), playlists: { daily_mix: 30, radio: 20, mood: 8, discover_weekly: 4, release_radar: 3, shared: 5, none: 30 }, skip: 0.35 },
  mood: { perDay: () => between(1.5, 4), activeDays: () => between(0.12, 0.3), playlists: { mood: 62, daily_mix: 10, discover_weekly: 6, shared: 7, radio: 3, none: 12 }, skip: 0.12 },
  genre_fan: { perDay: () => between(1.5, 5), activeDays: () => between(0.12, 0.32), playlists: { release_radar: 18, radio: 22, daily_mix: 8, discover_weekly: 4, mood: 2, shared: 3, none: 43 }, skip: 0.08 },
  eclectic: { perDay: () => between(2.5, 6), activeDays: () => between(0.15, 0.35), playlists: { discover_weekly: 30, release_radar: 12, radio: 8, daily_mix: 8, mood: 5, shared: 7, none: 30 }, skip: 0.2 },
};

/** Artist ids: 120 per genre, the first few far more popular (a rough Zipf). */
function artistOf(genre) {
  const g = GENRES.indexOf(genre);
  const n = Math.floor(120 * random() ** 2.5);
  return `a${g * 120 + n}`;
}

function makeListener(index) {
  const archetype = weighted(ARCHETYPES);
  const countryCode = weighted(Object.fromEntries(Object.entries(COUNTRIES).map(([k, v]) => [k, v.w])));
  const age = archetype === 'mood' ? int(16, 45) : int(16, 70);
  let plan = weighted({ free: 45, student: 10, individual: 28, duo: 8, family: 9 });
  if (plan === 'student' && age > 29) plan = 'individual';
  const topGenre = archetype === 'genre_fan'
    ? weighted({ metal: 18, 'k-pop': 14, jazz: 10, classical: 8, 'indie rock': 10, 'indie folk': 6, 'hip hop': 14, country: 10, reggaeton: 10 })
    : pick(GENRES);
  const savedGenres = [topGenre, ...some(GENRES.filter((g) => g !== topGenre), archetype === 'eclectic' ? int(3, 6) : int(0, 2))];
  const signupBack = daysBack(() => (chance(0.08) ? int(2, 88) : int(92, 3000)));
  const friends = archetype === 'mood' || chance(0.3) ? int(0, 40) : int(0, 6);
  const listener = {
    listener_id: `L${String(index + 1).padStart(6, '0')}`,
    age: chance(0.04) ? null : age,
    country: countryCode,
    plan,
    device: weighted({ phone: 62, desktop: 18, smart_speaker: 9, tv: 5, car: 6 }),
    app_version: weighted({ '8.8.4': 8, '8.9.12': 22, '8.10.0': 30, '8.10.3': 28, '9.0.1': 12 }),
    signup_date: isoDate(AS_OF - signupBack * DAY),
    saved_genres: savedGenres,
    friends_followed: friends,
    monthly_revenue_usd: { free: 0, student: 5.99, individual: 10.99, duo: 14.99, family: 16.99 }[plan],
  };
  // Listeners who linked a ticketing account: how many concerts they bought for in 12 months.
  if (chance(archetype === 'genre_fan' ? 0.6 : 0.25)) listener.concert_tickets_12m = archetype === 'genre_fan' ? int(0, 9) : int(0, 3);
  // A latent taste for discovery, seen both in the plays and in the survey.
  const explorer = archetype === 'eclectic' ? chance(0.75) : archetype === 'mood' ? chance(0.35) : chance(0.15);
  // Activity: most listen until now; some stopped weeks or months ago; some never played.
  const activity = weighted({ current: 80, stopped: 12, never: 8 });
  return { listener, archetype, countryCode, topGenre, savedGenres, signupBack, explorer, activity };
}

function playsOf(person) {
  if (person.activity === 'never') return [];
  const { listener, archetype, countryCode, topGenre, savedGenres, explorer } = person;
  const habits = HABITS[archetype];
  const firstDay = Math.min(person.signupBack, HISTORY_DAYS); // days before as-of
  const lastDay = person.activity === 'stopped' ? daysBack(() => int(33, HISTORY_DAYS - 5)) : int(0, 3);
  if (lastDay > firstDay) return [];
  const perDay = habits.perDay();
  const activeDays = habits.activeDays();
  const playlists = explorer ? { ...habits.playlists, discover_weekly: habits.playlists.discover_weekly + 25 } : habits.playlists;
  const offset = COUNTRIES[countryCode].offset;
  const plays = [];
  for (let back = firstDay; back >= lastDay; back--) {
    if (back !== lastDay && !chance(activeDays)) continue;
    const sessionStart = AS_OF - back * DAY + int(6, 22) * HOUR + int(0, 59) * 60_000 - offset * 60_000;
    let at = sessionStart;
    for (let k = Math.max(1, poisson(perDay)); k > 0; k--) {
      const playlist = weighted(playlists);
      const genre = playlist === 'mood' ? pick(MOOD_GENRES)
        : archetype === 'genre_fan' ? (chance(0.8) ? topGenre : pick(savedGenres))
          : explorer || playlist === 'discover_weekly' ? pick(GENRES)
            : chance(0.6) ? pick(savedGenres) : pick(GENRES);
      const skipped = chance(habits.skip);
      const ms = skipped ? int(3_000, 29_000) : int(120_000, 330_000);
      if (at < NOW && !nearEdge(at)) {
        const play = { listener_id: listener.listener_id, at: isoDateTime(at, offset), artist: artistOf(genre), genre, ms_played: ms };
        if (playlist !== 'none') play.playlist = playlist;
        plays.push(play);
      }
      at += ms + int(1, 20) * 1000;
    }
  }
  return plays;
}

const people = Array.from({ length: LISTENERS }, (_, i) => makeListener(i));
const plays = people.flatMap(playsOf);

// The survey: about a third of listeners answered, at most once each.
const PAINS = ['ads', 'repetitive recommendations', 'price', 'missing artists', 'offline downloads', 'sound quality', 'podcasts everywhere'];
const csvCell = (v) => (v === undefined || v === null ? '' : /[",\n;]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const surveyLines = ['listener_id,answered_at,nps,attitude,music_sets_my_mood,would_pay_for_lossless,pains'];
let answers = 0;
for (const person of people) {
  if (!chance(person.activity === 'never' ? 0.08 : 0.34)) continue;
  answers++;
  const { archetype, explorer, activity } = person;
  const attitude = explorer ? weighted({ explorer: 85, curator: 10, comfort: 5 })
    : weighted(archetype === 'genre_fan' ? { curator: 65, comfort: 30, explorer: 5 } : { comfort: 65, curator: 28, explorer: 7 });
  // Recommendation likelihood: lower for those who stopped, and for explorers fed the same songs.
  const base = activity === 'stopped' ? 4 : attitude === 'explorer' ? 6 : 8;
  const nps = chance(0.09) ? undefined : Math.max(0, Math.min(10, base + int(-3, 3)));
  const pains = some(PAINS, int(0, 3));
  if (attitude === 'explorer' && nps !== undefined && nps <= 6 && !pains.includes('repetitive recommendations') && chance(0.7)) pains.push('repetitive recommendations');
  surveyLines.push([
    person.listener.listener_id,
    isoDateTime(AS_OF - daysBack(() => int(2, 40)) * DAY + int(1, 22) * HOUR, 0),
    nps,
    attitude,
    archetype === 'mood' ? int(4, 5) : int(1, 5),
    archetype === 'genre_fan' || archetype === 'eclectic' ? chance(0.55) : chance(0.15),
    pains.join(';'),
  ].map(csvCell).join(','));
}

mkdirSync(join(here, 'data'), { recursive: true });
writeFileSync(join(here, 'data', 'listeners.jsonl'), people.map(({ listener }) => JSON.stringify(listener)).join('\n') + '\n');
writeFileSync(join(here, 'data', 'plays.jsonl'), plays.map((play) => JSON.stringify(play)).join('\n') + '\n');
writeFileSync(join(here, 'data', 'survey.csv'), surveyLines.join('\n') + '\n');
console.log(`wrote ${people.length} listeners, ${plays.length} plays and ${answers} survey answers to ${join(here, 'data')}`);
