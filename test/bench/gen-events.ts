/**
 * Deterministic related data for the related-aggregates bench (SPEC §11):
 * a users CSV (user_id, plan) and an events CSV (user_id, at, genre,
 * ms_played, playlist) whose rows belong to users. Users are drawn with a
 * skew, so some users have many events and some none; a fifth of the events
 * have no playlist (an empty cell). The same (users, events, seed) always
 * gives the same bytes; files are written in chunks, never held whole.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export const EVENT_GENRES = ['pop', 'rock', 'jazz', 'hip hop', 'classical', 'electronic', 'metal', 'latin', 'folk', 'country', 'k-pop', 'r&b'];
export const EVENT_PLAYLISTS = ['discover_weekly', 'daily_mix', 'radio', 'mood', 'release_radar'];
const PLANS = ['free', 'free', 'free', 'individual', 'duo', 'family'];
/** `as of` of the bench spec; events fall in the 200 days before its end. */
export const EVENTS_AS_OF = '2026-06-30';
const NOW_MS = Date.UTC(2026, 6, 1);
const SPAN_MS = 200 * 86_400_000;

export const EVENT_COLUMNS = ['user_id', 'at', 'genre', 'ms_played', 'playlist'];

/** The dataset declarations of the two files, as the bench spec reads them. */
export function eventsDatasets(usersPath: string, eventsPath: string): string {
  return [
    `dataset users "Users" {`,
    `  source "${usersPath}"`,
    `  key user_id`,
    `  as of ${EVENTS_AS_OF}`,
    `  fields { user_id: string, plan: enum }`,
    `}`,
    `dataset events "Events" {`,
    `  source "${eventsPath}"`,
    `  belongs to users by user_id`,
    `  fields { user_id: string, at: datetime, genre: enum, ms_played: integer, playlist: enum? }`,
    `}`,
    ``,
  ].join('\n');
}

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

export const userId = (index: number): string => `u${String(index + 1).padStart(7, '0')}`;

function writeChunked(path: string, header: string, rows: number, line: (i: number) => string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${header}\n`);
    const chunk = 100_000;
    for (let start = 0; start < rows; start += chunk) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(rows, start + chunk); i++) lines.push(line(i));
      writeSync(fd, `${lines.join('\n')}\n`);
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes both CSV files. */
export function writeEventsCsv(usersPath: string, eventsPath: string, users: number, events: number, seed = 7): void {
  const next = random(seed);
  writeChunked(usersPath, 'user_id,plan', users, (i) => `${userId(i)},${PLANS[Math.floor(next() * PLANS.length)]}`);
  writeChunked(eventsPath, EVENT_COLUMNS.join(','), events, () => {
    // Skewed towards the first users: about a quarter of users get no event at 10 events per user.
    const user = Math.floor(users * next() ** 1.6);
    const at = new Date(NOW_MS - 1000 - Math.floor(next() * SPAN_MS / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const skipped = next() < 0.2;
    const ms = skipped ? 1000 + Math.floor(next() * 29_000) : 90_000 + Math.floor(next() * 240_000);
    const playlist = next() < 0.2 ? '' : EVENT_PLAYLISTS[Math.floor(next() * EVENT_PLAYLISTS.length)];
    return `${userId(user)},${at},${EVENT_GENRES[Math.floor(next() * EVENT_GENRES.length)]},${ms},${playlist}`;
  });
}
