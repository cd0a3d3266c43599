/**
 * Semantic-version ordering in SQL, by a sortable text key computed in the
 * query and compared byte-wise (PostgreSQL: under COLLATE "C", see
 * `DialectRules.byCodePoint`). The key reproduces the embedded engine's
 * order (`core/engine/semver.ts`):
 *
 *   key  = core + ( '~'               for a release
 *                 | '!' + identifiers for a pre-release )
 *   core = major, minor, patch: leading zeros dropped, zero-padded to 20 digits
 *          (a missing part is 0)
 *   identifiers = the pre-release's dot-separated identifiers joined by '!':
 *     numeric       '#' + the number without leading zeros, zero-padded to 20 digits
 *     alphanumeric  '%' + the identifier's text
 *
 * Why byte order is semver precedence: '!' (0x21) sorts below '~', so a
 * pre-release sorts before its release. Two identifier lists compare
 * identifier by identifier because every encoding starts with a marker and
 * the separator '!' sorts below every identifier character ([0-9A-Za-z-]):
 * numbers (same width) compare numerically, '#' < '%' puts numbers below
 * alphanumerics, alphanumerics compare by ASCII, and when one identifier (or
 * list) is a prefix of the other the shorter one's '!' or end of key comes
 * first. Build metadata (`+…`) is dropped. Like the engine, the key takes
 * more than semver.org allows: a leading `v`, a missing minor or patch (0),
 * leading zeros (`01` equals `1`), empty identifiers (`1.0.0-a..b`; the
 * empty one is the lowest alphanumeric).
 *
 * Limit: numbers of more than 20 significant digits. A core part is cut to
 * its first 20 digits (`lpad`); a pre-release number keeps all its digits,
 * so 10^20 (21 digits) sorts before 10^20 − 1 (20 nines). The
 * engine compares numbers as JavaScript numbers, exact only up to 2^53
 * (16 digits), so past that neither side follows semver.org.
 */
import type { DialectRules } from './dialect.js';
import { unreachable } from '../util/unreachable.js';

const PAD = 20;
const ZEROS = '0'.repeat(PAD);

/** What the engine accepts as a version; other text compares as unknown (NULL), as in the engine. */
const SEMVER_PATTERN = '^v?[0-9]+([.][0-9]+)?([.][0-9]+)?(-[0-9A-Za-z.-]+)?([+][0-9A-Za-z.-]+)?$';

export function isSemverText(text: string): boolean {
  return new RegExp(SEMVER_PATTERN).test(text.trim());
}

/** The key, computed here, for a literal version (the caller checks `isSemverText`). */
export function semverKeyOf(text: string): string {
  const base = text.trim().replace(/^v+/, '').split('+')[0];
  const dash = base.indexOf('-');
  const core = dash >= 0 ? base.slice(0, dash) : base;
  const parts = `${core}..`.split('.');
  const padded = [0, 1, 2].map((i) => parts[i].replace(/^0+/, '').padStart(PAD, '0').slice(0, PAD)).join('');
  if (dash < 0) return `${padded}~`;
  const identifiers = base
    .slice(dash + 1)
    .split('.')
    .map((id) => (/^[0-9]+$/.test(id) ? `#${id.replace(/^0+/, '').padStart(PAD, '0')}` : `%${id}`));
  return `${padded}!${identifiers.join('!')}`;
}

/** SQL for the key of a text expression: NULL for NULL and for text that is not a version. */
export function semverKeySql(rules: DialectRules, text: string): string {
  const trimmed = `trim(${text})`;
  const valid = rules.regexSearch(trimmed, rules.string(SEMVER_PATTERN));
  const base = rules.splitPart(trimLeading(rules, trimmed, 'v'), '+', 1);
  const dashAt = rules.position(base, rules.string('-'));
  const core = `${rules.splitPart(base, '-', 1)} || '..'`;
  const parts = [1, 2, 3].map((i) => `lpad(${trimLeading(rules, rules.splitPart(core, '.', i), '0')}, ${PAD}, '0')`);
  const preRelease = substr(rules, base, `${dashAt} + 1`);
  const suffix = `CASE WHEN ${dashAt} > 0 THEN '!' || ${identifiersKeySql(rules, preRelease)} ELSE '~' END`;
  // Most values are plain releases (`3.10.2`): their key needs no trimming, splitting on `+`/`-` or
  // identifier marking — about 5x cheaper per row on DuckDB.
  const plain = rules.regexSearch(text, rules.string(PLAIN_RELEASE));
  const plainKey = [1, 2, 3].map((i) => `lpad(${rules.splitPart(text, '.', i)}, ${PAD}, '0')`).join(' || ');
  return `CASE WHEN ${plain} THEN ${plainKey} || '~' WHEN ${valid} THEN ${parts.join(' || ')} || ${suffix} END`;
}

/** `major.minor.patch` without leading zeros, spaces, `v`, pre-release or build: the key's fast path. */
const PLAIN_RELEASE = '^(0|[1-9][0-9]*)[.](0|[1-9][0-9]*)[.](0|[1-9][0-9]*)$';

/**
 * The identifiers' encoding by three rewrites of the whole pre-release (no
 * per-identifier splitting, so there is no bound on their number):
 * `rc.010.b` → `%rc!%010!%b` → `%rc!#<20 zeros>010!%b` → `%rc!#<18 zeros>10!%b`.
 */
function identifiersKeySql(rules: DialectRules, preRelease: string): string {
  const marked = `'%' || replace(${preRelease}, '.', '!%')`;
  // A marked identifier that is all digits is a number: re-mark it and pad it …
  const padded = rules.regexReplaceAll(marked, '%([0-9]+)(!|$)', ['#', ZEROS, 1, 2]);
  // … then keep its last 20 digits (at least: longer numbers keep all their significant digits).
  return rules.regexReplaceAll(padded, `#0*([0-9]{${PAD}})`, ['#', 1]);
}

/** Drops leading `char`s (Spark's two-argument ltrim takes its arguments the other way round). */
function trimLeading(rules: DialectRules, text: string, char: string): string {
  switch (rules.name) {
    case 'spark':
    case 'trino':
      return `trim(LEADING '${char}' FROM ${text})`;
    default:
      return `ltrim(${text}, '${char}')`;
  }
}

function substr(rules: DialectRules, text: string, start: string): string {
  return `${rules.name === 'bigquery' ? 'SUBSTR' : 'substr'}(${text}, ${start})`;
}

// ------------------------------------------------------------ comparison with a literal

/** SQL's comparison operators, as the compiler writes them. */
export type SqlComparison = '<' | '<=' | '=' | '<>' | '>=' | '>';

/**
 * Core parts of at most this many digits are compared by pattern: the
 * engine's numbers are exact there, and so is the key (`PAD` digits).
 */
const PATTERN_DIGITS = 15;
const STRICT_NUMBER = `(0|[1-9][0-9]{0,${PATTERN_DIGITS - 1}})`;
const PRE_RELEASE = '(-[0-9A-Za-z.-]+)?';
const BUILD = '([+][0-9A-Za-z.-]+)?';

/**
 * `text op literal` for a semver `text` and a version literal, or undefined
 * when the literal's core parts are too long for the patterns. The literal
 * is split here, so most rows need no key: a value spelled strictly
 * (`3.11.0-beta.1`: three parts, no leading zeros, no `v`, no spaces) whose
 * core differs from the literal's is decided by which of two patterns it
 * matches — patterns of the numbers greater and smaller than each part of
 * the literal — and so is the release with the literal's core. The other
 * values (a pre-release of the literal's core, other spellings, non-versions)
 * get `keyed`, the comparison of their keys, so every result is the key's.
 * On DuckDB this is about 10x cheaper per row than the key.
 */
export function semverLiteralComparisonSql(rules: DialectRules, text: string, op: SqlComparison, literal: string, keyed: string): string | undefined {
  if (!isSemverText(literal)) return undefined;
  const base = literal.trim().replace(/^v/, '').split('+')[0];
  const dash = base.indexOf('-');
  const core = (dash >= 0 ? base.slice(0, dash) : base).split('.');
  const [major, minor, patch] = [0, 1, 2].map((i) => (core[i] ?? '0').replace(/^0+(?=[0-9])/, ''));
  if ([major, minor, patch].some((part) => part.length > PATTERN_DIGITS)) return undefined;
  const isPreRelease = dash >= 0;

  const greater = alternatives([
    numbersAbove(major) && `${numbersAbove(major)}[.]${STRICT_NUMBER}[.]${STRICT_NUMBER}`,
    numbersAbove(minor) && `${major}[.]${numbersAbove(minor)}[.]${STRICT_NUMBER}`,
    numbersAbove(patch) && `${major}[.]${minor}[.]${numbersAbove(patch)}`,
  ]);
  const less = alternatives([
    numbersBelow(major) && `${numbersBelow(major)}[.]${STRICT_NUMBER}[.]${STRICT_NUMBER}`,
    numbersBelow(minor) && `${major}[.]${numbersBelow(minor)}[.]${STRICT_NUMBER}`,
    numbersBelow(patch) && `${major}[.]${minor}[.]${numbersBelow(patch)}`,
  ]);
  // Each group of strictly spelled values, and its order against the literal.
  const groups: Array<[pattern: string, order: number]> = [];
  if (greater) groups.push([`${greater}${PRE_RELEASE}${BUILD}`, 1]);
  if (less) groups.push([`${less}${PRE_RELEASE}${BUILD}`, -1]);
  // The release of the literal's core: equal to a release, after a pre-release.
  groups.push([`${major}[.]${minor}[.]${patch}${BUILD}`, isPreRelease ? 1 : 0]);

  const holding = groups.filter(([, order]) => holds(op, order)).map(([pattern]) => pattern);
  const failing = groups.filter(([, order]) => !holds(op, order)).map(([pattern]) => pattern);
  const matches = (patterns: string[]): string => rules.regexSearch(text, rules.string(`^(${patterns.join('|')})$`));
  const whens = [
    ...(holding.length > 0 ? [`WHEN ${matches(holding)} THEN TRUE`] : []),
    ...(failing.length > 0 ? [`WHEN ${matches(failing)} THEN FALSE`] : []),
  ];
  return `CASE ${whens.join(' ')} ELSE ${keyed} END`;
}

function holds(op: SqlComparison, order: number): boolean {
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '=':
      return order === 0;
    case '<>':
      return order !== 0;
    case '>=':
      return order >= 0;
    case '>':
      return order > 0;
    default:
      return unreachable(op);
  }
}

/** One group of alternatives, or '' when there are none. */
function alternatives(patterns: Array<string | false>): string {
  const present = patterns.filter((p): p is string => p !== false && p !== '');
  return present.length === 0 ? '' : `(${present.join('|')})`;
}

function digitRange(low: number, high: number): string {
  return low === high ? String(low) : `[${low}-${high}]`;
}

function anyDigits(count: number): string {
  return count === 0 ? '' : count === 1 ? '[0-9]' : `[0-9]{${count}}`;
}

/** A pattern of the numbers without leading zeros (at most PATTERN_DIGITS digits) greater than `n`; '' when there are none. */
export function numbersAbove(n: string): string {
  const length = n.length;
  const patterns: string[] = [];
  if (length < PATTERN_DIGITS) patterns.push(`[1-9][0-9]{${length},${PATTERN_DIGITS - 1}}`);
  for (let i = 0; i < length; i++) {
    const digit = Number(n[i]);
    if (digit < 9) patterns.push(`${n.slice(0, i)}${digitRange(digit + 1, 9)}${anyDigits(length - i - 1)}`);
  }
  return alternatives(patterns);
}

/** A pattern of the numbers without leading zeros smaller than `n`; '' when there are none (n = 0). */
export function numbersBelow(n: string): string {
  const length = n.length;
  const patterns: string[] = [];
  if (length >= 2) patterns.push('0', length === 2 ? '[1-9]' : `[1-9][0-9]{0,${length - 2}}`);
  for (let i = 0; i < length; i++) {
    const digit = Number(n[i]);
    const lowest = i === 0 && length > 1 ? 1 : 0;
    if (digit > lowest) patterns.push(`${n.slice(0, i)}${digitRange(lowest, digit - 1)}${anyDigits(length - i - 1)}`);
  }
  return alternatives(patterns);
}
