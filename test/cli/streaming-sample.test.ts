/**
 * The streaming sample (samples/streaming): behaviour from a generated play
 * log, attitudes from the survey, linked to listeners (SPEC §11). It checks
 * clean, and the sizes of its segments over plays and survey answers equal
 * those computed by plain code from the generated files (streaming-oracle.ts).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot, segspec } from './helpers.js';
import { streamingOracle } from './streaming-oracle.js';

const sample = join(repoRoot, 'samples/streaming');

beforeAll(() => ensureBuilt());

describe('samples/streaming', { timeout: 180_000 }, () => {
  it('checks clean', async () => {
    const r = await segspec(['check', sample, '--format', 'json']);
    const report = JSON.parse(r.stdout) as { summary: unknown; findings: Array<{ code: string; message: string }> };
    expect(report.findings.map((f) => `${f.code} ${f.message}`)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('sizes of the segments over plays and survey equal plain code over the generated files', async () => {
    const oracle = streamingOracle(sample);
    // The data is what the generator promises: hundreds of thousands of plays, listeners without plays, a third answered.
    expect(oracle.plays).toBeGreaterThan(150_000);
    expect(oracle.withPlays).toBeLessThan(oracle.listeners);
    expect(oracle.answered).toBeLessThan(oracle.listeners / 2);
    const r = await segspec(['stats', sample, '--format', 'json']);
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stdout) as { segments: Array<{ name: string; size: number }> };
    const sizes = Object.fromEntries(stats.segments.filter((s) => oracle.sizes.has(s.name)).map((s) => [s.name, s.size]));
    expect(sizes).toEqual(Object.fromEntries(oracle.sizes));
  });
});
