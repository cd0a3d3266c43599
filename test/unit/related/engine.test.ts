/**
 * Related datasets on the embedded engine (SPEC §11), end to end through the
 * real loaders: every aggregate form and the lookup, on messy data (date-times
 * with offsets, blank cells, orphans, listeners without plays, rows on the
 * edges of the window), against expectations computed here by plain code.
 */
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../server/src/core/workspace.js';
import { hasBit } from '../../../server/src/core/engine/bitset.js';
import { explainRow, renderExplanation } from '../../../server/src/core/engine/index.js';
import { MemoryHost } from '../workspace/memory-host.js';

const DAY = 86_400_000;
/** `as of 2026-06-30`: `now` is the end of that day. */
const NOW = Date.UTC(2026, 6, 1);

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Play {
  listener: string | null;
  atMs: number | null;
  atText: string | null;
  genre: string | null;
  ms: number | null;
  playlist: string | null;
}

const offsets = ['Z', '+02:00', '-05:30', '+14:00', '-12:00'];

function isoWithOffset(ms: number, offset: string): string {
  if (offset === 'Z') return new Date(ms).toISOString().replace('.000Z', 'Z');
  const sign = offset[0] === '+' ? 1 : -1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  const local = new Date(ms + sign * (h * 60 + m) * 60_000).toISOString().slice(0, 19);
  return `${local}${offset}`;
}

function generate(seed: number) {
  const rnd = random(seed);
  const pick = <T,>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const listeners = Array.from({ length: 40 }, (_, i) => `L${i}`);
  // Instants around the edges: the window start (now - 90 days), now itself, and the last 7 days.
  const edges = [NOW - 90 * DAY, NOW - 90 * DAY - 1000, NOW, NOW - 1000, NOW - 7 * DAY, NOW - 7 * DAY - 1, Date.UTC(2026, 1, 1), Date.UTC(2026, 1, 1) - 1];
  const plays: Play[] = [];
  for (let k = 0; k < 500; k++) {
    const r = rnd();
    // Listeners L35..L39 have no plays; a few plays have no listener or name none.
    const listener = r < 0.03 ? null : r < 0.06 ? 'ghost' : `L${Math.floor(rnd() * 35)}`;
    const atMs = rnd() < 0.05 ? null : rnd() < 0.2 ? pick(edges) : NOW - Math.floor(rnd() * 200 * DAY);
    const atText = atMs === null ? null : isoWithOffset(atMs, pick(offsets));
    const genre = rnd() < 0.08 ? null : pick(['jazz', 'pop', 'rock', 'ambient']);
    const ms = rnd() < 0.1 ? null : Math.floor(rnd() * 400_000);
    const playlist = rnd() < 0.3 ? null : pick(['dw', 'radio', 'album']);
    plays.push({ listener, atMs, atText, genre, ms, playlist });
  }
  const survey = listeners
    .filter(() => rnd() < 0.7)
    .map((id) => ({ id, nps: rnd() < 0.15 ? null : Math.floor(rnd() * 11), attitude: pick(['explorer', 'loyal', 'casual']) }));
  return { listeners, plays, survey };
}

const jsonl = (plays: Play[]) =>
  plays
    .map((p) => {
      const o: Record<string, unknown> = {};
      if (p.listener !== null) o.listener_id = p.listener;
      o.at = p.atText;
      if (p.genre !== null) o.genre = p.genre;
      o.ms_played = p.ms;
      if (p.playlist !== null) o.playlist = p.playlist;
      return JSON.stringify(o);
    })
    .join('\n');

const spec = (rules: Record<string, string>) => `dataset listeners {
  source "listeners.csv"
  key listener_id
  as of 2026-06-30
}
dataset plays {
  source "plays.jsonl"
  belongs to listeners by listener_id
  fields { listener_id: string?, at: datetime?, genre: enum?, ms_played: integer?, playlist: enum? }
}
dataset survey {
  source "survey.csv"
  key listener_id
  belongs to listeners by listener_id
  fields { listener_id: string, nps: integer?, attitude: enum }
}
${Object.entries(rules)
  .map(([name, where]) => `segment ${name} { from listeners where ${where} }`)
  .join('\n')}
`;

function files(data: ReturnType<typeof generate>, rules: Record<string, string>): Record<string, string> {
  return {
    '/ws/spec.segspec': spec(rules),
    '/ws/listeners.csv': `listener_id,plan\n${data.listeners.map((id, i) => `${id},${i % 2 ? 'free' : 'duo'}`).join('\n')}\n`,
    '/ws/plays.jsonl': jsonl(data.plays),
    '/ws/survey.csv': `listener_id,nps,attitude\n${data.survey.map((s) => `${s.id},${s.nps ?? ''},${s.attitude}`).join('\n')}\n`,
  };
}

// ------------------------------------------------------------------ the expectations, by plain code

function quantile(sorted: number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function expectations(data: ReturnType<typeof generate>) {
  const playsOf = (id: string) => data.plays.filter((p) => p.listener === id);
  const inLast = (ms: number | null, days: number) => ms !== null && ms >= NOW - days * DAY && ms < NOW;
  const nums = (ps: Play[]) => ps.map((p) => p.ms).filter((v): v is number => v !== null);
  const surveyOf = (id: string) => data.survey.find((s) => s.id === id);
  /** Each rule's members, by the rule's meaning (null: unknown, not a member). */
  const rules: Record<string, [string, (id: string) => boolean]> = {
    many: ['count(plays) >= 16', (id) => playsOf(id).length >= 16],
    recent: ['count(plays where at within last 90 days) >= 5', (id) => playsOf(id).filter((p) => inLast(p.atMs, 90)).length >= 5],
    narrow: [
      'count(distinct plays.genre where at within last 90 days) <= 2',
      (id) => new Set(playsOf(id).filter((p) => inLast(p.atMs, 90) && p.genre !== null).map((p) => p.genre)).size <= 2,
    ],
    dw_fans: [
      'sum(plays.ms_played where playlist == "dw") / 3600000 >= 0.3',
      (id) => nums(playsOf(id).filter((p) => p.playlist === 'dw')).reduce((a, b) => a + b, 0) / 3_600_000 >= 0.3,
    ],
    no_dw: ['sum(plays.ms_played where playlist == "dw") == 0', (id) => nums(playsOf(id).filter((p) => p.playlist === 'dw')).reduce((a, b) => a + b, 0) === 0],
    long_mean: [
      'mean(plays.ms_played) > 200000',
      (id) => {
        const xs = nums(playsOf(id));
        return xs.length > 0 && xs.reduce((a, b) => a + b, 0) / xs.length > 200_000;
      },
    ],
    no_mean: ['mean(plays.ms_played) is missing', (id) => nums(playsOf(id)).length === 0],
    long_median: [
      'median(plays.ms_played where genre != "pop") >= 190000',
      (id) => {
        const xs = nums(playsOf(id).filter((p) => p.genre !== null && p.genre !== 'pop')).sort((a, b) => a - b);
        return xs.length > 0 && quantile(xs, 0.5) >= 190_000;
      },
    ],
    long_p90: [
      'p90(plays.ms_played) > 350000',
      (id) => {
        const xs = nums(playsOf(id)).sort((a, b) => a - b);
        return xs.length > 0 && quantile(xs, 0.9) > 350_000;
      },
    ],
    active_week: [
      'max(plays.at) within last 7 days',
      (id) => {
        const ats = playsOf(id).map((p) => p.atMs).filter((v): v is number => v !== null);
        return ats.length > 0 && inLast(Math.max(...ats), 7);
      },
    ],
    early: [
      'min(plays.at) before 2026-02-01',
      (id) => {
        const ats = playsOf(id).map((p) => p.atMs).filter((v): v is number => v !== null);
        return ats.length > 0 && Math.min(...ats) < Date.UTC(2026, 1, 1);
      },
    ],
    jazz: ['exists(plays where genre == "jazz")', (id) => playsOf(id).some((p) => p.genre === 'jazz')],
    no_jazz: ['not exists(plays where genre == "jazz")', (id) => !playsOf(id).some((p) => p.genre === 'jazz')],
    detractors: [
      'survey.nps <= 6',
      (id) => {
        const nps = surveyOf(id)?.nps;
        return nps !== undefined && nps !== null && nps <= 6;
      },
    ],
    not_detractors: [
      'not (survey.nps <= 6)',
      (id) => {
        const nps = surveyOf(id)?.nps;
        return nps !== undefined && nps !== null && !(nps <= 6);
      },
    ],
    unhappy_explorers: [
      'survey.attitude == "explorer" and survey.nps <= 6 and count(plays where playlist == "dw") >= 1',
      (id) => {
        const s = surveyOf(id);
        return s?.attitude === 'explorer' && s.nps !== null && s.nps <= 6 && playsOf(id).some((p) => p.playlist === 'dw');
      },
    ],
    no_survey: ['not exists(survey)', (id) => surveyOf(id) === undefined],
  };
  return rules;
}

async function analyzed(seed: number) {
  const data = generate(seed);
  const rules = expectations(data);
  const where = Object.fromEntries(Object.entries(rules).map(([name, [rule]]) => [name, rule]));
  const ws = new Workspace(new MemoryHost(files(data, where)), '/ws');
  const analysis = await ws.analyze();
  return { data, rules, analysis };
}

describe('related datasets on the embedded engine (SPEC §11)', () => {
  for (const seed of [1, 2, 3]) {
    it(`every form gives the members SPEC §11 defines (seed ${seed})`, async () => {
      const { data, rules, analysis } = await analyzed(seed);
      const errors = analysis.findings.filter((f) => f.severity === 'error');
      expect(errors).toEqual([]);
      const sizes: number[] = [];
      for (const [name, [rule, holds]] of Object.entries(rules)) {
        const result = analysis.results.segments.get(name)!;
        expect(result.status, `${name}: ${result.reason ?? ''}`).not.toBe('unavailable');
        const members = data.listeners.filter((_, row) => hasBit(result.members!, row));
        const expected = data.listeners.filter(holds);
        expect(members, `${name}: ${rule}`).toEqual(expected);
        sizes.push(expected.length);
      }
      // The data makes the rules tell listeners apart: most hold for some and not for others.
      expect(sizes.filter((n) => n > 0 && n < data.listeners.length).length).toBeGreaterThanOrEqual(Object.keys(rules).length - 3);
    });
  }

  it('reports orphans and missing links with count, first line and value, and the facts stats shows', async () => {
    const { data, analysis } = await analyzed(1);
    const lineOf = (p: Play) => data.plays.indexOf(p) + 1;
    const missing = data.plays.filter((p) => p.listener === null);
    const ghosts = data.plays.filter((p) => p.listener === 'ghost');
    const byCode = (code: string) => analysis.findings.filter((f) => f.code === code);
    expect(byCode('SEG130').map((f) => f.message)).toEqual([expect.stringContaining(`${missing.length} rows of plays have no \`listener_id\``)]);
    expect(byCode('SEG130')[0].message).toContain(`first on line ${lineOf(missing[0])}`);
    expect(byCode('SEG131')[0].message).toContain(`${ghosts.length} rows of plays name no listeners row`);
    expect(byCode('SEG131')[0].message).toContain(`first on line ${lineOf(ghosts[0])}: "ghost"`);
    const stats = analysis.results.related!.get('plays')!;
    const withPlays = data.listeners.filter((id) => data.plays.some((p) => p.listener === id)).length;
    expect(stats).toMatchObject({ rows: data.plays.length, parentRows: data.listeners.length, parentsWithRows: withPlays, orphans: missing.length + ghosts.length });
    expect(stats.share).toBeCloseTo(withPlays / data.listeners.length, 12);
    expect(analysis.results.related!.get('survey')).toMatchObject({ rows: data.survey.length, parentsWithRows: data.survey.length, oneToOne: true });
  });

  it('reports duplicate links in a one-to-one dataset', async () => {
    const data = generate(4);
    const f = files(data, { s: 'survey.nps > 1' });
    f['/ws/survey.csv'] += `${data.survey[2].id},3,loyal\n`;
    const analysis = await new Workspace(new MemoryHost(f), '/ws').analyze();
    const dup = analysis.findings.filter((x) => x.code === 'SEG132');
    expect(dup).toHaveLength(1);
    expect(dup[0].message).toContain(`"${data.survey[2].id}" on lines 4 and ${data.survey.length + 2}`);
  });
});

describe('related columns are computed once and cached across edits', () => {
  it('an edit that changes one aggregate recomputes that one only', async () => {
    const data = generate(5);
    const rules = { a: 'count(plays where genre == "jazz") >= 2', b: 'count(plays where genre == "jazz") >= 3', c: 'max(plays.at) within last 30 days', d: 'survey.nps > 5' };
    const ws = new Workspace(new MemoryHost(files(data, rules)), '/ws');
    await ws.analyze();
    expect(ws.engine.related.computed.length).toBe(3);
    // Two rules edited, the aggregates they read unchanged: nothing recomputed.
    ws.setOverlay('/ws/spec.segspec', spec({ ...rules, a: 'count(plays where genre == "jazz") >= 1', d: 'survey.nps > 6' }), 1);
    await ws.analyze();
    expect(ws.engine.related.computed).toEqual([]);
    // One aggregate edited: that one only.
    ws.setOverlay('/ws/spec.segspec', spec({ ...rules, c: 'min(plays.at) within last 30 days' }), 2);
    const third = await ws.analyze();
    expect(third.results.segments.get('c')!.status).not.toBe('unavailable');
    const engine = ws.engine;
    expect(engine.related.computed.map((k) => k.split('|')[0])).toEqual(['@(min plays at)']);
  });
});

describe('explanations and written records over related rows', () => {
  it('an explanation shows each aggregate\'s value for the row', async () => {
    const { data, analysis } = await analyzed(6);
    const id = data.listeners.find((l) => data.plays.some((p) => p.listener === l))!;
    const recent = data.plays.filter((p) => p.listener === id && p.atMs !== null && p.atMs >= NOW - 90 * DAY && p.atMs < NOW).length;
    const explained = explainRow(analysis.model, analysis.data, analysis.results, 'recent', id)!;
    const text = renderExplanation(explained.explanation);
    expect(text).toContain(`count(plays where at within last 90 days) = ${recent}`);
    expect(text).toContain('needs ≥ 5');
  });

  it('examples and profiles carry nested related rows; left out, there are none', async () => {
    const data = generate(7);
    const f = files(data, {});
    f['/ws/spec.segspec'] += `
segment jazz_fans {
  from listeners
  where count(plays where genre == "jazz" and at within last 30 days) >= 2 and not exists(survey where nps <= 6)
  example member { plays: [{ genre: "jazz", at: 2026-06-29T10:00:00Z }, { genre: "jazz", at: 2026-07-01T01:59:59+02:00 }, { genre: "pop" }] }
  example nonmember { plays: [{ genre: "jazz", at: 2026-06-29T10:00:00Z }, { genre: "jazz", at: 2026-07-01T00:00:00Z }] }
  example nonmember { plays: [{ genre: "jazz", at: 2026-06-29T10:00:00Z }, { genre: "jazz", at: 2026-06-28T00:00:00Z }], survey: { nps: 3, attitude: "loyal" } }
  example nonmember { }
}
segment wrong { from listeners where exists(plays) example member { plan: "duo" } }
persona jo { segment jazz_fans profile { plays: [{ genre: "jazz", at: 2026-06-20T00:00:00Z }, { genre: "jazz", at: 2026-06-21T00:00:00+05:00 }], survey: { nps: 9, attitude: "explorer" } } }
`;
    const analysis = await new Workspace(new MemoryHost(f), '/ws').analyze();
    const examples = analysis.results.segments.get('jazz_fans')!.examples;
    expect(examples.map((e) => e.passed)).toEqual([true, true, true, true]);
    expect(analysis.results.personas.get('jo')!.member).toBe(true);
    const wrong = analysis.findings.filter((x) => x.code === 'SEG207');
    expect(wrong).toHaveLength(1);
    expect(wrong[0].message).toContain('exists(plays)');
  });
});
