/**
 * Waiting on conditions, never on fixed sleeps: `until` re-checks a probe
 * until it yields a value, and on timeout reports what it saw last so that a
 * failure says more than "timed out".
 */
export interface UntilOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

export class ConditionTimeout extends Error {
  constructor(
    readonly what: string,
    readonly lastSeen: string,
    timeoutMs: number,
  ) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${lastSeen}`);
  }
}

/**
 * Calls `probe` until it returns something other than `undefined` (or
 * `false`), and returns that. `describe` turns the probe's last answer (or
 * error) into text for the timeout message.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  options: UntilOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastSeen = 'nothing yet';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastSeen = String(value);
    } catch (error) {
      lastSeen = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) throw new ConditionTimeout(what, lastSeen, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Like `until`, but the probe reports its observation so a timeout can show it. */
export async function untilObserved<T>(
  what: string,
  observe: () => Promise<T>,
  accept: (value: T) => boolean,
  options: UntilOptions = {},
): Promise<T> {
  let last: T | undefined;
  try {
    return await until(
      what,
      async () => {
        last = await observe();
        return accept(last) ? last : undefined;
      },
      options,
    );
  } catch (error) {
    if (error instanceof ConditionTimeout) {
      throw new ConditionTimeout(what, JSON.stringify(last)?.slice(0, 2000) ?? 'undefined', options.timeoutMs ?? 20_000);
    }
    throw error;
  }
}
