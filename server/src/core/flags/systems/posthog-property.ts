/**
 * PostHog's property filters, matched as posthog-node 5.74 (@posthog/core)
 * matches them locally: a property the person lacks, a date or semver it
 * cannot parse, or a regular expression it cannot run exactly as the flags
 * service would make the match "inconclusive" (the SDK then leaves the flag
 * undecided). `exact`, `starts_with`, `ends_with` and `icontains` ignore case.
 */

export type InconclusiveReason = 'experience_continuity' | 'unsupported_definition' | 'unresolved_dependency' | 'missing_context';

/** PostHog's `InconclusiveMatchError`: the SDK cannot decide locally. */
export class Inconclusive extends Error {
  constructor(
    message: string,
    readonly reason: InconclusiveReason = 'unsupported_definition',
    readonly regex = false,
  ) {
    super(message);
  }
}

/** PostHog's `RequiresServerEvaluation`. */
export class RequiresServer extends Error {
  constructor(
    message: string,
    readonly reason: InconclusiveReason = 'unsupported_definition',
  ) {
    super(message);
  }
}

const precedence: InconclusiveReason[] = ['experience_continuity', 'unsupported_definition', 'unresolved_dependency', 'missing_context'];

export function pickReason(current: InconclusiveReason | undefined, next: InconclusiveReason): InconclusiveReason {
  if (current === undefined) return next;
  return precedence.indexOf(next) < precedence.indexOf(current) ? next : current;
}

export interface PropertyFilter {
  key: string;
  value?: unknown;
  operator?: string;
  type?: string;
  negation?: boolean;
  dependency_chain?: unknown;
}

const NULL_VALUES_ALLOWED = ['exact', 'is_not', 'icontains', 'not_icontains', 'starts_with', 'not_starts_with', 'ends_with', 'not_ends_with', 'regex', 'not_regex'];

function readContextValue<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof Inconclusive) throw new Inconclusive(e.message, 'missing_context', e.regex);
    throw e;
  }
}

function isTruthyOrFalsy(value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    return lower === 'true' || lower === 'false';
  }
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!isTruthyOrFalsy(i in value ? value[i] : null)) return false;
  return true;
}

function isTruthy(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!isTruthy(i in value ? value[i] : null)) return false;
  return true;
}

function assertUnicodeScalar(value: string): void {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (i + 1 >= value.length || next < 0xdc00 || next > 0xdfff) throw new Inconclusive('Cannot stringify an unpaired surrogate like the flags service');
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) throw new Inconclusive('Cannot stringify an unpaired surrogate like the flags service');
  }
}

function assertJsonRepresentable(value: unknown): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'string') return assertUnicodeScalar(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Inconclusive(`Cannot represent non-finite number ${value} like the flags service`);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (i in value) assertJsonRepresentable(value[i]);
    return;
  }
  if (typeof value === 'object') {
    for (const key of Object.keys(value)) {
      assertUnicodeScalar(key);
      assertJsonRepresentable((value as Record<string, unknown>)[key]);
    }
    return;
  }
  throw new Inconclusive(`Cannot represent ${typeof value} like the flags service`);
}

function compareJsonObjectKeys(left: string, right: string): number {
  let li = 0;
  let ri = 0;
  while (li < left.length && ri < right.length) {
    const lu = left.charCodeAt(li);
    const ru = right.charCodeAt(ri);
    const lh = lu >= 0xd800 && lu <= 0xdbff;
    const rh = ru >= 0xd800 && ru <= 0xdbff;
    const lc = lh ? (lu - 0xd800) * 0x400 + left.charCodeAt(li + 1) - 0xdc00 + 0x10000 : lu;
    const rc = rh ? (ru - 0xd800) * 0x400 + right.charCodeAt(ri + 1) - 0xdc00 + 0x10000 : ru;
    if (lc !== rc) return lc - rc;
    li += lh ? 2 : 1;
    ri += rh ? 2 : 1;
  }
  return left.length - right.length;
}

function serializeJson(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') {
    assertUnicodeScalar(value);
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Inconclusive(`Cannot stringify non-finite number ${value} like the flags service`);
    if (Number.isInteger(value)) throw new Inconclusive(`Cannot distinguish integer ${value} from an integral JSON float during local evaluation`);
    return String(value);
  }
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) items.push(i in value ? serializeJson(value[i]) : 'null');
    return `[${items.join(',')}]`;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    keys.forEach(assertUnicodeScalar);
    return `{${keys
      .sort(compareJsonObjectKeys)
      .map((key) => `${JSON.stringify(key)}:${serializeJson(record[key])}`)
      .join(',')}}`;
  }
  throw new Inconclusive(`Cannot stringify ${typeof value} like the flags service`);
}

function exactMatchString(value: unknown): string {
  if (typeof value === 'string') {
    assertUnicodeScalar(value);
    return value;
  }
  return serializeJson(value);
}

const LITERAL_ESCAPED_PUNCTUATION = /[\x20-\x2f:;=?@\x5b-\x60\x7b-\x7e]/;

/** The character classes of a pattern both regex engines read alike, or null when the pattern needs the server. */
export function portableRegexClasses(pattern: string): string[] | null {
  const classes: string[] = [];
  let classStart = -1;
  let previous = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch.charCodeAt(0) > 0x7f) return null;
    if (ch === '\\') {
      const escaped = pattern[++i];
      if (escaped === undefined) break;
      if (escaped === 'x') {
        if (!/^[\da-f]{2}$/i.test(pattern.slice(i + 1, i + 3))) return null;
        i += 2;
      } else if (!'dDsSwWbBfnrtv'.includes(escaped) && !LITERAL_ESCAPED_PUNCTUATION.test(escaped)) return null;
      if (classStart === -1 && 'bB'.includes(escaped)) return null;
      previous = 'literal';
      continue;
    }
    if (ch === '[') {
      if (classStart !== -1) return null;
      classStart = i;
    } else if (ch === ']' && classStart !== -1) {
      const contentStart = classStart + (pattern[classStart + 1] === '^' ? 2 : 1);
      if (i === contentStart) return null;
      classes.push(pattern.slice(classStart, i + 1));
      classStart = -1;
      previous = 'literal';
      continue;
    } else if (classStart !== -1) {
      if (['&&', '--', '~~'].includes(pattern.slice(i, i + 2))) return null;
      continue;
    } else if (ch === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] !== ':') return null;
      i += 2;
    } else if (ch === '{') {
      const repetition = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i));
      if (!repetition || ['', '|', '('].includes(previous) || repetition.slice(1).some((count) => Number(count) > 0xffffffff)) return null;
    } else if ('*+?}'.includes(ch) && (pattern[i + 1] === '+' || pattern[i + 1] === '{')) return null;
    if ('*+?{'.includes(ch) && ['^', '$', 'empty group'].includes(previous)) return null;
    previous = ch === ')' && ['(', 'empty group'].includes(previous) ? 'empty group' : ch;
  }
  return classes;
}

function regexNeedsServer(message: string): Inconclusive {
  return new Inconclusive(message, 'unsupported_definition', true);
}

function matchRegex(pattern: string, value: string): boolean | null {
  if (pattern === '') return true;
  const classes = portableRegexClasses(pattern);
  if (classes === null) throw regexNeedsServer('Regex syntax requires server evaluation');
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw regexNeedsServer('Regex compilation requires server evaluation');
  }
  for (const cls of classes) {
    try {
      new RegExp(cls, 'u');
    } catch {
      throw regexNeedsServer('Regex character class syntax requires server evaluation');
    }
  }
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch.charCodeAt(0) > 0x7f || ch === '\r') throw regexNeedsServer('Regex matching for Unicode or carriage returns requires server evaluation');
  }
  return regex.test(value);
}

const asciiLower = (value: unknown): string => String(value).replace(/[A-Z]/g, (c) => c.toLowerCase());

type Semver = [number, number, number];

function semverPart(part: string, raw: unknown): number {
  if (!/^\d+$/.test(part) || (part.length > 1 && part[0] === '0')) throw new Inconclusive(`Invalid semver: ${String(raw)}`);
  return parseInt(part, 10);
}

export function parseSemver(value: unknown): Semver {
  const text = String(value).trim().replace(/^[vV]/, '');
  const base = text.split('-')[0]!.split('+')[0]!;
  if (!base || base.startsWith('.')) throw new Inconclusive(`Invalid semver: ${String(value)}`);
  const parts = base.split('.');
  const part = (p: string | undefined): number => (p === undefined || p === '' ? 0 : semverPart(p, value));
  return [part(parts[0]), part(parts[1]), part(parts[2])];
}

function compareSemver(a: Semver, b: Semver): number {
  for (let i = 0; i < 3; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

export function tildeBounds(value: string): { lower: Semver; upper: Semver } {
  const p = parseSemver(value);
  return { lower: [p[0], p[1], p[2]], upper: [p[0], p[1] + 1, 0] };
}

export function caretBounds(value: string): { lower: Semver; upper: Semver } {
  const [major, minor, patch] = parseSemver(value);
  const upper: Semver = major > 0 ? [major + 1, 0, 0] : minor > 0 ? [0, minor + 1, 0] : [0, 0, patch + 1];
  return { lower: [major, minor, patch], upper };
}

export function wildcardBounds(value: string): { lower: Semver; upper: Semver } {
  const text = String(value).trim().replace(/^[vV]/, '');
  const cleaned = text.replace(/\.\*$/, '').replace(/\*$/, '');
  if (!cleaned) throw new Inconclusive(`Invalid wildcard semver: ${value}`);
  const parts = cleaned.split('.');
  const part = (p: string): number => {
    try {
      return semverPart(p, value);
    } catch {
      throw new Inconclusive(`Invalid wildcard semver: ${value}`);
    }
  };
  const major = part(parts[0]!);
  if (parts.length === 1) return { lower: [major, 0, 0], upper: [major + 1, 0, 0] };
  const minor = part(parts[1]!);
  return { lower: [major, minor, 0], upper: [major, minor + 1, 0] };
}

function toDateTime(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(value);
    if (!isNaN(date.valueOf())) return date;
    throw new Inconclusive(`${value} is in an invalid date format`);
  }
  throw new Inconclusive(`The date provided ${String(value)} must be a string, number, or date object`);
}

function subtractUTCMonths(date: Date, months: number): void {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  let day = date.getUTCDate();
  for (let step = 1; step <= months && day > 28; step++) {
    const last = new Date(Date.UTC(year, month - step + 1, 0)).getUTCDate();
    day = Math.min(day, last);
  }
  date.setUTCFullYear(year, month - months, day);
}

function subtractUTCYears(date: Date, years: number): void {
  const month = date.getUTCMonth();
  const day = years > 0 && month === 1 && date.getUTCDate() === 29 ? 28 : date.getUTCDate();
  date.setUTCFullYear(date.getUTCFullYear() - years, month, day);
}

/** PostHog's relative dates (`-30d`, `2w`, `6m`, `1y`, `12h`), counted back from now. */
export function relativeDate(value: string, now: Date): Date | null {
  const match = /^-?(?<number>[0-9]+)(?<interval>[a-z])$/.exec(value);
  const date = new Date(now.getTime());
  if (!match?.groups) return null;
  const n = parseInt(match.groups.number!, 10);
  if (n >= 10000) return null;
  const interval = match.groups.interval;
  if (interval === 'h') date.setUTCHours(date.getUTCHours() - n);
  else if (interval === 'd') date.setUTCDate(date.getUTCDate() - n);
  else if (interval === 'w') date.setUTCDate(date.getUTCDate() - 7 * n);
  else if (interval === 'm') subtractUTCMonths(date, n);
  else if (interval === 'y') subtractUTCYears(date, n);
  else return null;
  return date;
}

function parseDateFilter(value: unknown, now: Date): Date {
  if (typeof value === 'boolean') throw new Inconclusive('Date operations cannot be performed on boolean values');
  return relativeDate(String(value), now) ?? toDateTime(value);
}

/** Throws `Inconclusive` when the filter itself cannot be evaluated locally. */
export function assertFilterSupported(property: PropertyFilter, now: Date): void {
  const value = property.value;
  switch (property.operator || 'exact') {
    case 'exact':
    case 'is_not':
      for (const item of Array.isArray(value) ? value : [value]) exactMatchString(item);
      return;
    case 'is_set':
    case 'is_not_set':
    case 'icontains':
    case 'not_icontains':
    case 'starts_with':
    case 'not_starts_with':
    case 'ends_with':
    case 'not_ends_with':
    case 'regex':
    case 'not_regex':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return;
    case 'is_date_after':
    case 'is_date_before':
      parseDateFilter(value, now);
      return;
    case 'semver_eq':
    case 'semver_neq':
    case 'semver_gt':
    case 'semver_gte':
    case 'semver_lt':
    case 'semver_lte':
      parseSemver(String(value));
      return;
    case 'semver_tilde':
      tildeBounds(String(value));
      return;
    case 'semver_caret':
      caretBounds(String(value));
      return;
    case 'semver_wildcard':
      wildcardBounds(String(value));
      return;
    default:
      throw new Inconclusive(`Unknown operator: ${property.operator}`);
  }
}

function compare(lhs: number | string, rhs: number | string, op: string): boolean {
  if (op === 'gt') return lhs > rhs;
  if (op === 'gte') return lhs >= rhs;
  if (op === 'lt') return lhs < rhs;
  return lhs <= rhs;
}

function matchValue(property: PropertyFilter, values: Readonly<Record<string, unknown>>, matchingVersion: unknown, now: Date): boolean {
  const { key, value } = property;
  const operator = property.operator || 'exact';
  if (Object.prototype.hasOwnProperty.call(values, key)) {
    if (operator === 'is_not_set') return false;
    if (operator === 'is_set') return true;
  } else throw new Inconclusive(`Property ${key} not found in propertyValues`, 'missing_context');
  const actual = values[key];
  if (actual === undefined) throw new Inconclusive(`Property ${key} is undefined in propertyValues`);
  if (actual === null && !NULL_VALUES_ALLOWED.includes(operator)) return false;

  const exactMatch = (target: unknown, got: unknown): boolean => {
    if ((matchingVersion !== 2 && isTruthyOrFalsy(target)) || (Array.isArray(target) && target.length === 0)) {
      readContextValue(() => assertJsonRepresentable(got));
      return isTruthy(target) === isTruthy(got);
    }
    if (matchingVersion === 2 && typeof got === 'number' && isTruthyOrFalsy(target)) {
      readContextValue(() => assertJsonRepresentable(got));
      return false;
    }
    if (Array.isArray(target)) {
      const gotString = readContextValue(() => exactMatchString(got)).toLowerCase();
      return target.some((item) => exactMatchString(item).toLowerCase() === gotString);
    }
    return exactMatchString(target).toLowerCase() === readContextValue(() => exactMatchString(got)).toLowerCase();
  };
  const contextSemver = (): Semver => readContextValue(() => parseSemver(String(actual)));
  const compareToFilter = (): number => {
    const filter = parseSemver(String(value));
    return compareSemver(contextSemver(), filter);
  };
  const within = ({ lower, upper }: { lower: Semver; upper: Semver }): boolean => {
    const v = contextSemver();
    return compareSemver(v, lower) >= 0 && compareSemver(v, upper) < 0;
  };

  switch (operator) {
    case 'exact':
      return exactMatch(value, actual);
    case 'is_not':
      return !exactMatch(value, actual);
    case 'is_set':
      return true;
    case 'icontains':
      return asciiLower(actual).includes(asciiLower(value));
    case 'not_icontains':
      return !asciiLower(actual).includes(asciiLower(value));
    case 'starts_with':
      return asciiLower(actual).startsWith(asciiLower(value));
    case 'not_starts_with':
      return !asciiLower(actual).startsWith(asciiLower(value));
    case 'ends_with':
      return asciiLower(actual).endsWith(asciiLower(value));
    case 'not_ends_with':
      return !asciiLower(actual).endsWith(asciiLower(value));
    case 'regex':
    case 'not_regex': {
      const matched = matchRegex(String(value), String(actual));
      if (matched === null) return false;
      return operator === 'regex' ? matched : !matched;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const parsedValue = typeof value === 'number' ? value : parseFloat(String(value));
      const parsedActual = typeof actual === 'number' ? actual : actual != null ? parseFloat(String(actual)) : NaN;
      if (Number.isFinite(parsedValue) && Number.isFinite(parsedActual)) return compare(parsedActual, parsedValue, operator);
      return compare(String(actual), String(value), operator);
    }
    case 'is_date_after':
    case 'is_date_before': {
      const filterDate = parseDateFilter(value, now);
      const actualDate = readContextValue(() => toDateTime(actual));
      return operator === 'is_date_before' ? actualDate < filterDate : actualDate > filterDate;
    }
    case 'semver_eq':
      return compareToFilter() === 0;
    case 'semver_neq':
      return compareToFilter() !== 0;
    case 'semver_gt':
      return compareToFilter() > 0;
    case 'semver_gte':
      return compareToFilter() >= 0;
    case 'semver_lt':
      return compareToFilter() < 0;
    case 'semver_lte':
      return compareToFilter() <= 0;
    case 'semver_tilde':
      return within(tildeBounds(String(value)));
    case 'semver_caret':
      return within(caretBounds(String(value)));
    case 'semver_wildcard':
      return within(wildcardBounds(String(value)));
    default:
      throw new Inconclusive(`Unknown operator: ${operator}`);
  }
}

/** PostHog's `matchFeatureFlagProperty`. */
export function matchProperty(property: PropertyFilter, values: Readonly<Record<string, unknown>>, matchingVersion: unknown, now: Date): boolean {
  try {
    return matchValue(property, values, matchingVersion, now);
  } catch (e) {
    if (e instanceof Inconclusive && e.reason === 'missing_context') assertFilterSupported(property, now);
    throw e;
  }
}
