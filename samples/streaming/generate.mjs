// Generates the streaming sample's data:
//   data/listeners.jsonl  one JSON object per line, one line per listener
//   data/survey.json      a JSON array: answers to the 2026 listening survey
// Deterministic: seeded PRNG, no dependencies. Run: node samples/streaming/generate.mjs
//
// Listeners come from four archetypes: casual listeners, mood-based listeners,
// loyal genre fans and heavy eclectic listeners. Optional values are left out
// of the object (not `null`) for listeners without a linked ticket account,
// and `null` for a missing age, so the loader sees both forms.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const LISTENERS = 4000;
const AS_OF = Date.UTC(2026, 5, 30); // `as of 2026-06-30` in data.segspec
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
const random = mulberry32(7_000_001);
const chance = (p) => random() < p;
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const between = (lo, hi) => lo + random() * (hi - lo);
const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;
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
// Relative windows used by the segments, in days before `as of`: keep data off their edges.
const EDGES = [7, 30, 90];
function daysBack(draw) {
  for (;;) {
    const d = draw();
    if (!EDGES.some((e) => Math.abs(d - e) <= 1)) return d;
  }
}
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
/** ISO date-time of the instant `ms`, written in the listener's UTC offset (minutes). */
function isoDateTime(ms, offsetMinutes) {
  if (offsetMinutes === 0) return new Date(ms).toISOString().replace('.000Z', 'Z');
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
const MOODS = ['chill', 'focus', 'workout', 'sleep', 'party', 'commute', 'sad', 'cooking'];
const ARCHETYPES = { casual: 34, mood: 28, genre_fan: 22, eclectic: 16 };

function makeListener(index) {
  const archetype = weighted(ARCHETYPES);
  const countryCode = weighted(Object.fromEntries(Object.entries(COUNTRIES).map(([k, v]) => [k, v.w])));
  const age = archetype === 'mood' ? int(16, 45) : int(16, 70);
  let plan = weighted({ free: 45, student: 10, individual: 28, duo: 8, family: 9 });
  if (plan === 'student' && age > 29) plan = 'individual';

  let hours, topShare, moodShare, artists, moods;
  switch (archetype) {
    case 'casual':
      hours = between(0.5, 11.5);
      topShare = between(0.15, 0.55);
      moodShare = between(0, 0.45);
      artists = int(3, 60);
      moods = some(MOODS, int(0, 1));
      break;
    case 'mood':
      hours = between(6, 60);
      topShare = between(0.1, 0.5);
      moodShare = between(0.52, 0.95);
      artists = int(30, 250);
      moods = some(MOODS, chance(0.12) ? 1 : int(2, 5));
      break;
    case 'genre_fan':
      hours = between(8, 90);
      topShare = between(0.62, 0.97);
      moodShare = chance(0.06) ? between(0.52, 0.7) : between(0, 0.3);
      artists = int(8, 90);
      moods = some(MOODS, int(0, 2));
      break;
    default:
      hours = between(13, 120);
      topShare = between(0.1, 0.55);
      moodShare = between(0.05, 0.48);
      artists = int(80, 400);
      moods = some(MOODS, int(0, 3));
  }
  const topGenre = archetype === 'genre_fan' ? weighted({ metal: 18, 'k-pop': 14, jazz: 10, classical: 8, 'indie rock': 10, 'indie folk': 6, 'hip hop': 14, country: 10, reggaeton: 10 }) : pick(GENRES);
  const savedGenres = [topGenre, ...some(GENRES.filter((g) => g !== topGenre), archetype === 'eclectic' ? int(3, 6) : int(0, 2))];

  const signupBack = daysBack(() => int(5, 3000));
  const playedBack = daysBack(() => Math.min(signupBack, weighted({ week: 68, month: 17, quarter: 9, gone: 6 }) === 'week' ? int(0, 5) : chance(0.6) ? int(9, 28) : int(32, 200)));
  const lastPlayed = AS_OF - playedBack * DAY + int(3600, 23 * 3600) * 1000;
  const sessions = playedBack >= 30 ? 0 : Math.max(1, Math.round(hours * between(0.8, 2.2)));
  if (playedBack >= 30) hours = 0;

  const friends = archetype === 'mood' || chance(0.3) ? int(0, 40) : int(0, 6);
  const shared = friends >= 5 && chance(0.5) ? int(1, 8) : chance(0.1) ? 1 : 0;

  const listener = {
    listener_id: `L${String(index + 1).padStart(6, '0')}`,
    age: chance(0.04) ? null : age,
    country: countryCode,
    plan,
    device: weighted({ phone: 62, desktop: 18, smart_speaker: 9, tv: 5, car: 6 }),
    app_version: weighted({ '8.8.4': 8, '8.9.12': 22, '8.10.0': 30, '8.10.3': 28, '9.0.1': 12 }),
    signup_date: isoDate(AS_OF - signupBack * DAY),
    last_played: isoDateTime(lastPlayed, COUNTRIES[countryCode].offset),
    hours_30d: round(hours, 1),
    sessions_30d: sessions,
    distinct_artists_30d: playedBack >= 30 ? 0 : artists,
    top_genre: topGenre,
    top_genre_share: round(topShare, 3),
    mood_playlist_share: round(moodShare, 3),
    moods,
    saved_genres: savedGenres,
    skip_rate: round(archetype === 'casual' ? between(0.2, 0.6) : between(0.02, 0.35), 3),
    friends_followed: friends,
    playlists_shared_30d: shared,
    monthly_revenue_usd: { free: 0, student: 5.99, individual: 10.99, duo: 14.99, family: 16.99 }[plan],
  };
  // Listeners who linked a ticketing account: how many concerts they bought for in 12 months.
  if (chance(archetype === 'genre_fan' ? 0.6 : 0.25)) listener.concert_tickets_12m = archetype === 'genre_fan' ? int(0, 9) : int(0, 3);
  return { listener, archetype };
}

const generated = Array.from({ length: LISTENERS }, (_, i) => makeListener(i));

// A survey answered by about a quarter of the listeners.
const survey = [];
for (const { listener, archetype } of generated) {
  if (!chance(0.26)) continue;
  const attitude = {
    casual: { comfort: 60, explorer: 20, curator: 20 },
    mood: { comfort: 35, explorer: 40, curator: 25 },
    genre_fan: { comfort: 25, explorer: 15, curator: 60 },
    eclectic: { comfort: 10, explorer: 70, curator: 20 },
  }[archetype];
  survey.push({
    response_id: `R${String(survey.length + 1).padStart(5, '0')}`,
    listener_id: listener.listener_id,
    answered_at: isoDateTime(AS_OF - daysBack(() => int(2, 40)) * DAY + int(3600, 23 * 3600) * 1000, 0),
    music_importance: archetype === 'casual' ? int(1, 4) : int(3, 5),
    music_sets_my_mood: archetype === 'mood' ? int(4, 5) : int(1, 5),
    discovery_attitude: weighted(attitude),
    would_pay_for_lossless: archetype === 'genre_fan' || archetype === 'eclectic' ? chance(0.55) : chance(0.15),
    favourite_feature: weighted({ 'daily mixes': 30, 'mood playlists': archetype === 'mood' ? 60 : 10, 'artist radio': archetype === 'genre_fan' ? 50 : 10, 'shared playlists': 15, podcasts: 10 }),
  });
}

mkdirSync(join(here, 'data'), { recursive: true });
writeFileSync(join(here, 'data', 'listeners.jsonl'), generated.map(({ listener }) => JSON.stringify(listener)).join('\n') + '\n');
writeFileSync(join(here, 'data', 'survey.json'), `[\n${survey.map((answer) => JSON.stringify(answer)).join(',\n')}\n]\n`);
console.log(`wrote ${generated.length} listeners to data/listeners.jsonl and ${survey.length} answers to data/survey.json`);
