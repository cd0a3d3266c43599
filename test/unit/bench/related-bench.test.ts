/**
 * The related-aggregates bench (`npm run bench`, test/bench/related-scale.ts)
 * at a small size: both sides run, every segment's size and unknown count
 * agree with DuckDB's GROUP BY, and the figure lines have the bench format.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatFigure } from '../../bench/harness.js';
import { compareRelated, ensureRelatedData, relatedFigureLines, runRelatedOurs, runRelatedPeer } from '../../bench/related-scale.js';

const root = mkdtempSync(join(tmpdir(), 'segspec-related-bench-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('related aggregates bench, small', { timeout: 120_000 }, () => {
  it('ours and DuckDB agree on every segment, and the figure line is in the bench format', async () => {
    const dir = ensureRelatedData(2_000, 20_000, root);
    const ours = await runRelatedOurs(dir);
    const peer = await runRelatedPeer(dir);
    expect(peer.users).toBe(2_000);
    expect(peer.events).toBe(20_000);
    expect(compareRelated(ours, peer)).toEqual([]);
    // The thresholds split the users: no aggregate is trivially all or nothing.
    for (const size of peer.sizes) {
      expect(size).toBeGreaterThan(0);
      expect(size).toBeLessThan(2_000);
    }
    // Users without events exist, so the missing-when-none aggregates have unknown rows.
    expect(Math.max(...peer.unknown)).toBeGreaterThan(0);
    const lines = relatedFigureLines(ours, peer).map(formatFigure);
    expect(lines[0]).toMatch(/^related aggregates, 20K events over 2K users: \d+\.\d ms \(\d+\.\d+x\)$/);
    expect(lines.some((l) => /^related peak RSS loading 20K events over 2K users \[duckdb\]: \d+ MB$/.test(l))).toBe(true);
  });

  it('notices a difference in any count', async () => {
    const dir = ensureRelatedData(2_000, 20_000, root);
    const peer = await runRelatedPeer(dir);
    const off = { ...peer, sizes: peer.sizes.map((s, i) => (i === 3 ? s + 1 : s)) };
    expect(compareRelated(off, peer)).toHaveLength(1);
  });
});
