import { describe, expect, it } from 'vitest';
import { withProgress } from '../../server/src/cli/progress.js';
import type { Output } from '../../server/src/cli/io.js';

function recorder(isTTY: boolean): Output & { text: string } {
  const out = { text: '', isTTY, write: (t: string) => void (out.text += t) };
  return out;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('progress on stderr', () => {
  it('appears on a terminal only when the work outlasts the delay, and erases itself', async () => {
    const tty = recorder(true);
    const result = await withProgress(tty, 'loading users.csv', async () => {
      await wait(250);
      return 42;
    }, 50);
    expect(result).toBe(42);
    expect(tty.text).toContain('loading users.csv…');
    expect(tty.text.endsWith('\r\u001b[K')).toBe(true);

    const quick = recorder(true);
    await withProgress(quick, 'loading', async () => 1, 200);
    expect(quick.text).toBe('');
  });

  it('stays silent when stderr is not a terminal, and passes failures through', async () => {
    const pipe = recorder(false);
    await withProgress(pipe, 'loading', () => wait(120), 10);
    expect(pipe.text).toBe('');
    const tty = recorder(true);
    await expect(withProgress(tty, 'loading', async () => {
      await wait(80);
      throw new Error('boom');
    }, 10)).rejects.toThrow('boom');
    expect(tty.text.endsWith('\r\u001b[K')).toBe(true);
  });
});
