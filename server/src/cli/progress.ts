import type { Output } from './io.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A spinner on stderr that appears only when the work takes longer than
 * `delayMs` and stderr is a terminal, and erases itself when done.
 */
export async function withProgress<T>(
  stderr: Output,
  label: string,
  work: () => Promise<T>,
  delayMs = 1000,
): Promise<T> {
  if (!stderr.isTTY) return work();
  let frame = 0;
  let shown = false;
  let ticker: NodeJS.Timeout | undefined;
  const draw = (): void => {
    stderr.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label}…\u001b[K`);
  };
  const starter = setTimeout(() => {
    shown = true;
    draw();
    ticker = setInterval(draw, 80);
  }, delayMs);
  try {
    return await work();
  } finally {
    clearTimeout(starter);
    if (ticker) clearInterval(ticker);
    if (shown) stderr.write('\r\u001b[K');
  }
}
