/**
 * A range of dates or date-times as the text prefixes that cover it, for
 * systems that cannot order these values but can test `starts with`
 * (LaunchDarkly's `before`/`after` take no plain dates; Unleash orders only
 * `currentTime`). Context values are fixed-width (`YYYY-MM-DD`, and
 * `toISOString`'s `YYYY-MM-DDTHH:MM:SS.sssZ`), so text order is time order and
 * the digits of a range split into aligned decimal blocks: 2026-04-02 to
 * 2026-06-30 is `2026-04-02`…`2026-04-09`, `2026-04-1`, `2026-04-2`,
 * `2026-04-3`, `2026-05`, `2026-06`. Exact for every well-formed value.
 */
import type { ExportValue, OrderOp } from './condition.js';

const DATE_TEMPLATE = 'dddd-dd-dd';
const DATETIME_TEMPLATE = 'dddd-dd-ddTdd:dd:dd.dddZ';

/** The prefixes of the values `v op bound`; bound a date or date-time value. */
export function orderPrefixes(op: OrderOp, bound: Extract<ExportValue, { type: 'date' | 'datetime' }>): string[] {
  const template = bound.type === 'date' ? DATE_TEMPLATE : DATETIME_TEMPLATE;
  const width = [...template].filter((c) => c === 'd').length;
  const digits = BigInt(bound.value.replace(/\D/g, ''));
  const max = 10n ** BigInt(width) - 1n;
  let low = 0n;
  let high = max;
  if (op === '<') high = digits - 1n;
  else if (op === '<=') high = digits;
  else if (op === '>') low = digits + 1n;
  else low = digits;
  return coverDigits(low, high, width).map((prefix) => render(prefix, template));
}

/** Aligned blocks covering [low, high]: each a prefix of digits. */
function coverDigits(low: bigint, high: bigint, width: number): string[] {
  const out: string[] = [];
  let a = low;
  while (a <= high) {
    let size = 1n;
    let dropped = 0;
    while (dropped < width && a % (size * 10n) === 0n && a + size * 10n - 1n <= high) {
      size *= 10n;
      dropped++;
    }
    const prefixDigits = width - dropped;
    out.push(prefixDigits === 0 ? '' : (a / size).toString().padStart(prefixDigits, '0'));
    a += size;
  }
  return out;
}

/** Digits into the template's shape, up to the last digit given. */
function render(prefix: string, template: string): string {
  let out = '';
  let i = 0;
  for (const c of template) {
    if (i >= prefix.length) break;
    if (c === 'd') out += prefix[i++];
    else out += c;
  }
  return out;
}
