/**
 * The streaming sample's segments over plays and survey answers, computed by
 * plain code straight from the generated files (no Segspec code), so that the
 * tests compare the engine's sizes with an independent reading of SPEC §11:
 * counts are 0 and sums 0 for a listener with no (matching) plays, lookups
 * into the survey are missing for a listener without an answer (and a blank
 * NPS is missing), `within last N days` is `now - N days <= at < now` with
 * `now` the end of the as-of day, and a comparison with a missing value is
 * unknown (not a member).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DAY = 86_400_000;
/** `now` for `as of 2026-06-30`. */
const NOW = Date.UTC(2026, 6, 1);

interface Play {
  at: number;
  genre: string;
  ms: number;
  playlist: string | undefined;
}

interface Answer {
  nps: number | undefined;
  attitude: string;
  moodScore: number;
  lossless: boolean;
}

interface Listener {
  id: string;
  plan: string;
  signupDate: string;
  friends: number;
  tickets: number | undefined;
  revenue: number;
  plays: Play[];
  answer: Answer | undefined;
}

function readListeners(dir: string): Listener[] {
  const listeners = readFileSync(join(dir, 'data/listeners.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .map<Listener>((r) => ({
      id: String(r.listener_id),
      plan: String(r.plan),
      signupDate: String(r.signup_date),
      friends: Number(r.friends_followed),
      tickets: r.concert_tickets_12m === undefined || r.concert_tickets_12m === null ? undefined : Number(r.concert_tickets_12m),
      revenue: Number(r.monthly_revenue_usd),
      plays: [],
      answer: undefined,
    }));
  const byId = new Map(listeners.map((l) => [l.id, l]));
  for (const line of readFileSync(join(dir, 'data/plays.jsonl'), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const p = JSON.parse(line) as Record<string, unknown>;
    byId.get(String(p.listener_id))?.plays.push({
      at: Date.parse(String(p.at)),
      genre: String(p.genre),
      ms: Number(p.ms_played),
      playlist: typeof p.playlist === 'string' ? p.playlist : undefined,
    });
  }
  const [header, ...rows] = readFileSync(join(dir, 'data/survey.csv'), 'utf8').trim().split('\n');
  const cols = header.split(',');
  for (const row of rows) {
    // The generator quotes no cell of the columns read here (pains is last and may hold `;` only).
    const cells = Object.fromEntries(row.split(',').map((v, i) => [cols[i], v]));
    const listener = byId.get(cells.listener_id);
    if (!listener) continue;
    listener.answer = {
      nps: cells.nps === '' ? undefined : Number(cells.nps),
      attitude: cells.attitude,
      moodScore: Number(cells.music_sets_my_mood),
      lossless: cells.would_pay_for_lossless === 'true',
    };
  }
  return listeners;
}

const within = (days: number) => (p: Play) => p.at >= NOW - days * DAY && p.at < NOW;
const count = (plays: Play[], where: (p: Play) => boolean = () => true) => plays.filter(where).length;
const sumMs = (plays: Play[], where: (p: Play) => boolean) => plays.filter(where).reduce((s, p) => s + p.ms, 0);

/** Membership of the sample's segments that read plays or the survey, by segment name. */
function memberships(l: Listener): Record<string, boolean> {
  const last30 = count(l.plays, within(30));
  const moodLast30 = count(l.plays, (p) => p.playlist === 'mood' && within(30)(p));
  const last90 = count(l.plays, within(90));
  const genres90 = new Set(l.plays.filter(within(90)).map((p) => p.genre)).size;
  const discoverHours = sumMs(l.plays, (p) => p.playlist === 'discover_weekly') / 3_600_000;
  const hours30 = sumMs(l.plays, within(30)) / 3_600_000;
  const lastPlay = l.plays.length === 0 ? undefined : Math.max(...l.plays.map((p) => p.at));
  const a = l.answer;
  const mood = last30 >= 5 && moodLast30 >= 0.5 * last30;
  const loyal = last90 >= 20 && genres90 <= 3 && !mood;
  return {
    active_this_week: count(l.plays, within(7)) > 0,
    lapsed: lastPlay !== undefined && lastPlay < NOW - 30 * DAY,
    never_played: l.plays.length === 0,
    mood_listeners: mood,
    loyal_genre_fans: loyal,
    casual_listeners: last30 >= 1 && last30 <= 15 && !mood && !loyal,
    heavy_listeners: hours30 >= 1.5,
    discover_diggers: discoverHours >= 1,
    explorers: a?.attitude === 'explorer',
    detractors: a?.nps !== undefined && a.nps <= 6,
    unhappy_explorers: a?.attitude === 'explorer' && a.nps !== undefined && a.nps <= 6 && discoverHours >= 1,
    blend_candidates: l.friends >= 5 && count(l.plays, (p) => p.playlist === 'shared' && within(30)(p)) > 0,
  };
}

/** Size of each segment above on the sample in `dir`, and the number of listeners. */
export function streamingOracle(dir: string): { listeners: number; withPlays: number; answered: number; plays: number; sizes: Map<string, number> } {
  const listeners = readListeners(dir);
  const all = listeners.map(memberships);
  const sizes = new Map<string, number>();
  for (const name of Object.keys(all[0] ?? {})) sizes.set(name, all.filter((m) => m[name]).length);
  return {
    listeners: listeners.length,
    withPlays: listeners.filter((l) => l.plays.length > 0).length,
    answered: listeners.filter((l) => l.answer).length,
    plays: listeners.reduce((s, l) => s + l.plays.length, 0),
    sizes,
  };
}
