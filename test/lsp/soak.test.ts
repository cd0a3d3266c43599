/**
 * The soak test of the language server (test/fuzz/soak.ts, `npm run soak`):
 * 5,000 keystrokes into the productivity sample's segments with its 8,000
 * users loaded. Diagnostics only for the newest version, ranges inside their
 * text, the final diagnostics equal to the first (the text ends as it began),
 * and memory after a collection at most 20% above the start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soak } from '../fuzz/soak.js';
import { ensureServerBundle, repoRoot, serverBundle } from './harness.js';

describe('soak: 5,000 edits with data loaded', () => {
  const work = mkdtempSync(join(tmpdir(), 'segspec-soak-'));
  beforeAll(() => ensureServerBundle(), 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('publishes only current versions and keeps its memory', async () => {
    const r = await soak(serverBundle, join(repoRoot, 'samples', 'productivity'), join(work, 'ws'), 5000);
    process.stdout.write(
      `soak: ${r.edits} edits in ${r.seconds.toFixed(1)} s, ${r.publishes} publishes, memory ${(r.heapStart / 2 ** 20).toFixed(1)} → ${(r.heapEnd / 2 ** 20).toFixed(1)} MB\n`,
    );
    expect(r.edits).toBeGreaterThanOrEqual(5000);
    expect(r.publishes).toBeGreaterThan(100);
    expect(r.problems).toEqual([]);
    expect(r.heapEnd).toBeLessThanOrEqual(r.heapStart * 1.2);
  }, 120_000);
});
