/**
 * Long synchronous work cut into slices: a host with one thread (the language
 * server) hands the thread back between them, so requests are answered while
 * the work goes on.
 */

/** A slice ends at the first step boundary after this long. */
export const SLICE_MS = 8;

/**
 * Runs `steps` to its end. Whenever a slice of `sliceMs` is used up it awaits
 * `pause` (e.g. a macrotask) and then calls `checkpoint`, which may throw to
 * abandon the work (a newer edit makes it pointless).
 */
export async function runInSlices<T>(
  steps: Generator<void, T>,
  pause: () => Promise<void>,
  checkpoint: () => void = () => undefined,
  sliceMs = SLICE_MS,
): Promise<T> {
  let sliceStart = Date.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (Date.now() - sliceStart >= sliceMs) {
      await pause();
      checkpoint();
      sliceStart = Date.now();
    }
  }
}

/** Runs `steps` to its end at once (a host without a request thread to keep free). */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** How long work is run: in slices (the language server) or at once. */
export type StepRunner = <T>(steps: Generator<void, T>) => Promise<T>;

export const runAtOnce: StepRunner = (steps) => Promise.resolve(runToEnd(steps));
