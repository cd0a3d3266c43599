import type { CliIO, Output } from './io.js';

/** ANSI styling that is a no-op when colour is off. */
export interface Colors {
  enabled: boolean;
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  green(s: string): string;
  gray(s: string): string;
  bold(s: string): string;
  cyan(s: string): string;
}

function wrap(enabled: boolean, open: number, close: number): (s: string) => string {
  return enabled ? (s) => `\u001b[${open}m${s}\u001b[${close}m` : (s) => s;
}

export function makeColors(enabled: boolean): Colors {
  return {
    enabled,
    red: wrap(enabled, 31, 39),
    yellow: wrap(enabled, 33, 39),
    blue: wrap(enabled, 34, 39),
    green: wrap(enabled, 32, 39),
    gray: wrap(enabled, 90, 39),
    bold: wrap(enabled, 1, 22),
    cyan: wrap(enabled, 36, 39),
  };
}

/**
 * Colour only on a terminal, and never with `--no-color` or `NO_COLOR`
 * (https://no-color.org: any non-empty value). `FORCE_COLOR` turns it on.
 */
export function colorsFor(stream: Output, io: CliIO, noColorFlag: boolean): Colors {
  if (noColorFlag || (io.env.NO_COLOR ?? '') !== '') return makeColors(false);
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return makeColors(true);
  return makeColors(stream.isTTY && io.env.TERM !== 'dumb');
}
