/**
 * Regular-expression pieces the emitters share: escaping a literal, the
 * patterns for `starts with` / `ends with` / `contains` / `len`, and the check
 * that a `matches` pattern (RE2 syntax, SPEC §5.1) means the same in
 * JavaScript, the flavour every system's Node SDK uses.
 */
import { ExportRefusal, type SpecLocation } from './problems.js';

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** One character as `len` counts it (a code point; a lone surrogate counts as one). */
const CODE_POINT = '(?:[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|[^\\uD800-\\uDBFF])';

/**
 * JavaScript's `RegExp` (GrowthBook, LaunchDarkly), RE2 (Unleash's re2js), or
 * the part of JavaScript PostHog evaluates locally (ASCII, no look-around).
 */
export type RegexFlavor = 'js' | 're2' | 'posthog';

/** A pattern that matches nothing. */
export function neverPattern(flavor: RegexFlavor): string {
  if (flavor === 'posthog') return '[^\\s\\S]';
  return flavor === 'js' ? '(?!)' : '[^\\x00-\\x{10FFFF}]';
}

/** A whole-text pattern for a length between `min` and `max` code points (max undefined: no upper bound). */
export function lengthPattern(min: number, max: number | undefined, flavor: RegexFlavor = 'js'): string {
  const lo = Math.max(0, Math.ceil(min));
  if (max !== undefined && max < lo) return neverPattern(flavor);
  const count = `{${lo},${max === undefined ? '' : Math.floor(max)}}`;
  // RE2 matches code points already; JavaScript without the u flag needs the surrogate pairs spelled out.
  // PostHog evaluates patterns locally only for ASCII values, where a character is one code unit.
  if (flavor === 'posthog') return `^[\\s\\S]${count}$`;
  return flavor === 're2' ? `^(?s:.)${count}$` : `^${CODE_POINT}${count}$`;
}

/** `len(x) op n` as a range of lengths. */
export function lengthRange(op: '==' | '<' | '<=' | '>' | '>=', n: number): [number, number | undefined] {
  switch (op) {
    case '==':
      return Number.isInteger(n) ? [n, n] : [1, 0];
    case '<':
      return [0, Math.ceil(n) - 1];
    case '<=':
      return [0, Math.floor(n)];
    case '>':
      return [Math.floor(n) + 1, undefined];
    case '>=':
      return [Math.ceil(n), undefined];
    default:
      return [1, 0];
  }
}

/** Constructs whose meaning differs between RE2 and JavaScript (or that JavaScript lacks). */
const DIFFERENT = [
  { test: /\(\?[a-zA-Z]/, what: 'inline flags like (?i)' },
  { test: /\\[pP]/, what: 'Unicode classes \\p{…}' },
  { test: /\\[zAQEC]/, what: 'the escapes \\z, \\A, \\Q…\\E, \\C' },
  { test: /\[\[:/, what: 'POSIX classes [[:alpha:]]' },
  { test: /\(\?P</, what: 'named groups (?P<name>…)' },
];

/** Refuses a `matches` pattern whose meaning in JavaScript would differ from RE2's. */
export function checkPortablePattern(pattern: string, system: string, where: SpecLocation | undefined): void {
  for (const { test, what } of DIFFERENT) {
    if (test.test(pattern)) {
      throw new ExportRefusal(`${system} evaluates regular expressions as JavaScript does, where ${what} mean something else or nothing: rewrite the pattern without them`, where);
    }
  }
  try {
    new RegExp(pattern);
  } catch {
    throw new ExportRefusal(`${system} cannot read the pattern as a JavaScript regular expression`, where);
  }
}
