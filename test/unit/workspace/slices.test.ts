/** Work in slices: the same result as running it at once, a pause after each slice, and a checkpoint that can stop it. */
import { describe, expect, it } from 'vitest';
import { runInSlices } from '../../../server/src/core/util/slices.js';

function* busySteps(steps: number, msEach: number): Generator<void, number> {
  let total = 0;
  for (let i = 0; i < steps; i++) {
    const end = Date.now() + msEach;
    while (Date.now() < end) total += 0;
    total += i;
    yield;
  }
  return total;
}

describe('runInSlices', () => {
  it('returns the result and pauses between slices', async () => {
    let pauses = 0;
    const result = await runInSlices(busySteps(10, 3), async () => void pauses++, undefined, 5);
    expect(result).toBe(45);
    expect(pauses).toBeGreaterThanOrEqual(3);
    expect(pauses).toBeLessThan(10);
  });

  it('stops when the checkpoint throws', async () => {
    let steps = 0;
    const counted = (function* () {
      for (;;) {
        steps++;
        const end = Date.now() + 2;
        while (Date.now() < end);
        yield;
      }
    })();
    await expect(runInSlices(counted, async () => undefined, () => {
      if (steps >= 5) throw new Error('newer edit');
    }, 1)).rejects.toThrow('newer edit');
    expect(steps).toBeLessThan(10);
  });
});
