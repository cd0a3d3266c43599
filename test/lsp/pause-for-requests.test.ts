import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runInSlices } from '../../server/src/core/util/slices.js';
import { pauseForRequests } from '../../server/src/lsp/data-worker.js';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a step of synchronous work, like evaluating a segment over many rows
  }
}

describe('pauseForRequests (the language server hands the thread back between slices of work)', () => {
  it('lets a request that arrived during a slice be handled before the next slice', async () => {
    // A client on another process writes a message every 25 ms, as an editor writes to the server's stdin.
    const client = spawn(process.execPath, ['-e', 'let n = 0; const t = setInterval(() => { process.stdout.write("x"); if (++n === 40) clearInterval(t); }, 25);']);
    await new Promise((ready) => client.stdout.once('readable', ready));
    let steps = 0;
    function* work(): Generator<void, number> {
      for (let i = 0; i < 300; i++) {
        busy(3);
        steps++;
        yield;
      }
      return steps;
    }
    // Like the connection: input read in the poll phase, the message handled in an immediate queued there.
    const handled: Array<{ arrived: number; handled: number }> = [];
    client.stdout.on('data', () => {
      const arrived = steps;
      setImmediate(() => handled.push({ arrived, handled: steps }));
    });
    await runInSlices(work(), pauseForRequests, () => undefined, 8);
    client.kill();
    const duringWork = handled.filter((h) => h.arrived > 0 && h.arrived < 300);
    expect(duringWork.length).toBeGreaterThan(5);
    // No slice of work ran between a message's arrival and its handling (with one immediate, a slice always did).
    // A message read in the instant between the two immediates still waits a slice: on a busy machine, a few.
    const waited = duringWork.filter((h) => h.handled !== h.arrived);
    expect(waited.length).toBeLessThanOrEqual(duringWork.length * 0.2);
  });
});
