/**
 * An edit costs what it changes, and the answer is the same as from scratch:
 * a workspace kept across edits re-evaluates and re-judges only the segments
 * an edit touched, and its findings and results equal those of a fresh
 * workspace on the same texts, for random edit sequences on a sample.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Workspace, type Analysis } from '../../../server/src/core/workspace.js';
import { flagSystem } from '../../../server/src/core/flags/systems/index.js';
import { MemoryHost } from './memory-host.js';

const ROOT = '/ws';

/** A sample workspace's files (specs, Markdown, data, flag files), under /ws. */
function sampleFiles(sample: string): Record<string, string> {
  const dir = join(__dirname, '../../../samples', sample);
  const files: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith('.mjs')) files[`${ROOT}/${relative(dir, path)}`] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

function specPaths(files: Record<string, string>): string[] {
  return Object.keys(files)
    .filter((p) => p.endsWith('.segspec'))
    .sort();
}

/** What a user sees of an analysis: every finding and every number, in a form `toEqual` compares. */
function observed(analysis: Analysis) {
  const { results } = analysis;
  return {
    findings: analysis.findings.map((f) => ({ ...f })),
    segments: [...results.segments.values()].map((r) => ({
      name: r.name,
      status: r.status,
      reason: r.reason,
      size: r.size,
      unknown: r.unknown,
      rows: r.rows,
      expectations: r.expectations,
      examples: r.examples.map((e) => ({ member: e.member, passed: e.passed, result: e.result, range: e.range })),
      sampleKeys: r.sampleKeys,
    })),
    datasets: [...results.datasets.values()],
    overlaps: results.overlaps,
    partitions: results.partitions,
    personas: [...results.personas.values()].map((p) => ({ name: p.name, segment: p.segment, member: p.member })),
    flags: [...analysis.flags.values()].map((f) => ({ name: f.name, unavailable: f.unavailable, on: f.on, expectations: f.expectations })),
  };
}

type Edit =
  | { kind: 'blank-line'; file: number; at: number }
  | { kind: 'comment'; file: number; at: number }
  | { kind: 'number'; file: number; at: number; value: number }
  | { kind: 'drop-segment'; file: number; at: number }
  | { kind: 'copy-segment'; file: number; at: number; id: number }
  | { kind: 'expect-against'; file: number; at: number; other: number; how: number }
  | { kind: 'title'; file: number; at: number; id: number }
  | { kind: 'typo'; file: number; at: number }
  | { kind: 'revert'; file: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('blank-line' as const), file: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant('comment' as const), file: fc.nat(), at: fc.nat() }),
  { arbitrary: fc.record({ kind: fc.constant('number' as const), file: fc.nat(), at: fc.nat(), value: fc.integer({ min: 0, max: 120 }) }), weight: 3 },
  fc.record({ kind: fc.constant('drop-segment' as const), file: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant('copy-segment' as const), file: fc.nat(), at: fc.nat(), id: fc.nat({ max: 999 }) }),
  { arbitrary: fc.record({ kind: fc.constant('expect-against' as const), file: fc.nat(), at: fc.nat(), other: fc.nat(), how: fc.nat({ max: 2 }) }), weight: 3 },
  fc.record({ kind: fc.constant('title' as const), file: fc.nat(), at: fc.nat(), id: fc.nat({ max: 9 }) }),
  fc.record({ kind: fc.constant('typo' as const), file: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant('revert' as const), file: fc.nat() }),
);

/** Offsets where each match of `pattern` starts. */
function starts(text: string, pattern: RegExp): number[] {
  return [...text.matchAll(pattern)].map((m) => m.index!);
}

/** The text of the segment declaration that starts at `from` (to its closing brace at depth 0). */
function declarationEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = text.indexOf('{', from); i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return text.length;
}

function applyEdit(text: string, original: string, edit: Edit, segmentNames: string[]): string {
  const pick = <T,>(xs: T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);
  switch (edit.kind) {
    case 'blank-line':
    case 'comment': {
      const at = pick([0, ...starts(text, /\n/g).map((i) => i + 1)], edit.at) ?? 0;
      return `${text.slice(0, at)}${edit.kind === 'comment' ? '// moved\n' : '\n'}${text.slice(at)}`;
    }
    case 'number': {
      const at = pick(starts(text, /(?<=[<>=] )\d+(?:\.\d+)?/g), edit.at);
      if (at === undefined) return text;
      const end = at + /^\d+(?:\.\d+)?/.exec(text.slice(at))![0].length;
      return `${text.slice(0, at)}${edit.value}${text.slice(end)}`;
    }
    case 'drop-segment': {
      const at = pick(starts(text, /^segment /gm), edit.at);
      return at === undefined ? text : text.slice(0, at) + text.slice(declarationEnd(text, at));
    }
    case 'copy-segment': {
      const at = pick(starts(text, /^segment /gm), edit.at);
      if (at === undefined) return text;
      const decl = text.slice(at, declarationEnd(text, at)).replace(/^segment (\w+)/, `segment $1_copy${edit.id}`);
      return `${text}\n${decl}\n`;
    }
    case 'expect-against': {
      const at = pick(starts(text, /^segment /gm), edit.at);
      const other = pick(segmentNames, edit.other);
      if (at === undefined || other === undefined) return text;
      const line = [`expect disjoint ${other}`, `expect overlap(${other}) >= 10%`, `expect subset ${other}`][edit.how];
      const brace = text.indexOf('{', at) + 1;
      return `${text.slice(0, brace)}\n  ${line}${text.slice(brace)}`;
    }
    case 'title': {
      const at = pick(starts(text, /^segment \w+ "/gm), edit.at);
      if (at === undefined) return text;
      const quote = text.indexOf('"', at) + 1;
      return `${text.slice(0, quote)}${edit.id}${text.slice(quote)}`;
    }
    case 'typo': {
      const at = edit.at % (text.length + 1);
      return `${text.slice(0, at)}@${text.slice(at)}`;
    }
    case 'revert':
      return original;
    default:
      return edit satisfies never;
  }
}

function segmentNamesIn(texts: Iterable<string>): string[] {
  return [...texts].flatMap((t) => [...t.matchAll(/^segment (\w+)/gm)].map((m) => m[1]));
}

async function fromScratch(files: Record<string, string>, texts: Map<string, string>): Promise<Analysis> {
  const host = new MemoryHost({ ...files, ...Object.fromEntries(texts) });
  return new Workspace(host, ROOT, { flagSystems: flagSystem }).analyze();
}

describe('incremental analysis', () => {
  for (const sample of ['b2b-saas', 'productivity']) {
    it(`equals an analysis from scratch after random edit sequences (${sample})`, async () => {
      const files = sampleFiles(sample);
      const paths = specPaths(files);
      await fc.assert(
        fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 8 }), async (edits) => {
          const ws = new Workspace(new MemoryHost(files), ROOT, { flagSystems: flagSystem });
          await ws.analyze();
          const texts = new Map(paths.map((p) => [p, files[p]]));
          let version = 1;
          for (const edit of edits) {
            const path = paths[edit.file % paths.length];
            texts.set(path, applyEdit(texts.get(path)!, files[path], edit, segmentNamesIn(texts.values())));
            ws.setOverlay(path, texts.get(path)!, ++version);
            const incremental = observed(await ws.analyze());
            expect(incremental).toEqual(observed(await fromScratch(files, texts)));
          }
        }),
        { numRuns: 12 },
      );
    }, 120_000);
  }
});

describe('what an edit costs', () => {
  const files = sampleFiles('b2b-saas');
  const path = `${ROOT}/segments.segspec`;
  const text = files[path];

  async function analysed() {
    const ws = new Workspace(new MemoryHost(files), ROOT);
    const first = await ws.analyze();
    return { ws, first };
  }

  it('an edit to one rule re-evaluates and re-judges that segment only', async () => {
    const { ws, first } = await analysed();
    const segments = first.results.segments.size;
    const evaluations = ws.engine.evaluations;
    const judgements = ws.engine.judgements;
    ws.setOverlay(path, text.replace('where api_calls_30d >= 100_000', 'where api_calls_30d >= 90_000'), 2);
    const after = await ws.analyze();
    expect(ws.engine.lastRun.evaluated).toEqual(['api_heavy']);
    expect(ws.engine.lastRun.judged).toEqual(['api_heavy']);
    expect(ws.engine.lastRun.reused).toHaveLength(segments - 1 - [...after.results.segments.values()].filter((r) => !r.members).length);
    expect(ws.engine.evaluations).toBe(evaluations + 1);
    expect(ws.engine.judgements).toBe(judgements + 1);
    expect(after.results.segments.get('api_heavy')!.size).toBeGreaterThanOrEqual(first.results.segments.get('api_heavy')!.size);
  });

  it('segments with the same rule share members but keep their own checks', async () => {
    const twin = 'segment api_twin "Twin" {\n  where api_calls_30d >= 100_000\n  expect size < 1%\n}\n';
    const ws = new Workspace(new MemoryHost({ ...files, [path]: text + twin }), ROOT);
    await ws.analyze();
    ws.setOverlay(path, (text + twin).replace('"Twin"', '"Twin 2"'), 2);
    const after = await ws.analyze();
    expect(ws.engine.lastRun.evaluated).toEqual([]);
    expect(ws.engine.lastRun.judged).toEqual(['api_twin']);
    expect(after.results.segments.get('api_twin')!.members).toBe(after.results.segments.get('api_heavy')!.members);
    expect(after.results.segments.get('api_twin')!.status).toBe('failing');
    expect(after.results.segments.get('api_heavy')!.status).not.toBe('failing');
    ws.setOverlay(path, (text + twin).replace('"Twin"', '"Twin 2"').replace('"Heavy API users"', '"Heavy API users!"'), 3);
    await ws.analyze();
    expect(ws.engine.lastRun.judged).toEqual(['api_heavy']);
  });

  it('an edit to a segment re-judges the segments whose expectations compare with it', async () => {
    const { ws } = await analysed();
    // modern_data_stack expects to be disjoint from no_warehouse.
    ws.setOverlay(path, text.replace('where data_warehouse is missing', 'where data_warehouse is missing or seats > 200'), 2);
    await ws.analyze();
    expect(ws.engine.lastRun.evaluated).toContain('no_warehouse');
    expect(ws.engine.lastRun.judged).toContain('modern_data_stack');
    expect(ws.engine.lastRun.judged).not.toContain('api_heavy');
  });

  it('lines inserted above move the kept findings with their declarations, and nothing is judged again', async () => {
    const ws = new Workspace(new MemoryHost(files), ROOT);
    // A failing expectation and a clause that never holds: findings of the data checks.
    const failing = text
      .replace('where api_calls_30d >= 100_000', 'where api_calls_30d >= 100_000 and seats < 0')
      .replace('expect size between 15% and 30%\n  expect share(plan == "starter") < 25%', 'expect size < 1%\n  expect share(plan == "starter") < 25%');
    ws.setOverlay(path, failing, 1);
    const first = await ws.analyze();
    ws.setOverlay(path, `// a comment\n\n${failing}`, 2);
    const moved = await ws.analyze();
    expect(ws.engine.lastRun.evaluated).toEqual([]);
    expect(ws.engine.lastRun.judged).toEqual([]);
    const before = first.findings.filter((f) => f.file === path && f.code.startsWith('SEG2'));
    const after = moved.findings.filter((f) => f.file === path && f.code.startsWith('SEG2'));
    expect(before.map((f) => f.code).sort()).toEqual(expect.arrayContaining(['SEG200', 'SEG201', 'SEG210']));
    expect(after.map((f) => [f.code, f.message, f.range.start.line])).toEqual(before.map((f) => [f.code, f.message, f.range.start.line + 2]));
    expect(after.map((f) => f.range.start.offset)).toEqual(before.map((f) => f.range.start.offset + 14));
    expect(observed(moved)).toEqual(observed(await fromScratch(files, new Map([[path, `// a comment\n\n${failing}`]]))));
  });

  it('counts overlap pairs only when they are read, and after an edit only the pairs of the changed segment', async () => {
    const { ws, first } = await analysed();
    const measured = [...first.results.segments.values()].filter((r) => r.members).length;
    const counted = ws.engine.pairsCounted;
    expect(first.results.overlaps).toHaveLength((measured * (measured - 1)) / 2);
    const pairs = ws.engine.pairsCounted - counted;
    expect(pairs).toBeGreaterThan(0);
    expect(pairs).toBeLessThanOrEqual((measured * (measured - 1)) / 2);
    ws.setOverlay(path, text.replace('where api_calls_30d >= 100_000', 'where api_calls_30d >= 90_000'), 2);
    const after = await ws.analyze();
    const beforeRead = ws.engine.pairsCounted;
    expect(beforeRead).toBe(counted + pairs);
    expect(after.results.overlaps).toHaveLength((measured * (measured - 1)) / 2);
    expect(ws.engine.pairsCounted - beforeRead).toBe(measured - 1);
  });
});
