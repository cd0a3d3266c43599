/**
 * Byte-level readers for the scalar values of sample data. They work on a
 * slice `[start, end)` of a UTF-8 buffer so that loaders never build a string
 * for a value they can read directly (numbers, dates, booleans).
 *
 * Every reader returns NaN (or -1 for booleans) when the slice is not a value
 * of its type: NaN is never a valid result, so no allocation is needed to say
 * "no".
 */

export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const SEMICOLON = 0x3b;

const MS_PER_DAY = 86_400_000;
const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** The slice as a string (ASCII fast path; UTF-8 otherwise). */
export function decodeSlice(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 24) {
    let text = '';
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (b >= 0x80) return utf8.decode(bytes.subarray(start, end));
      text += String.fromCharCode(b);
    }
    return text;
  }
  return utf8.decode(bytes.subarray(start, end));
}

export function encodeText(text: string): Uint8Array {
  return encoder.encode(text);
}

export function isBlank(b: number): boolean {
  return b === SPACE || b === TAB;
}

/** Start of the slice after leading spaces and tabs. */
export function trimStart(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && isBlank(bytes[start])) start++;
  return start;
}

/** End of the slice before trailing spaces and tabs. */
export function trimEnd(bytes: Uint8Array, start: number, end: number): number {
  while (end > start && isBlank(bytes[end - 1])) end--;
  return end;
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** `[+-]?digits`, within the safe-integer range. */
export function readInteger(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) {
    negative = bytes[i] === 0x2d;
    i++;
  }
  if (i === end) return NaN;
  let value = 0;
  for (; i < end; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  if (value > Number.MAX_SAFE_INTEGER) return NaN;
  return negative ? -value : value;
}

/**
 * `[+-]?digits` beyond the safe-integer range (±9,007,199,254,740,991): an
 * integer no engine reads exactly as a number (an id, an account number), so
 * it is read as text, and a declared `integer` cell holding one is "too large".
 */
export function isIntegerBeyondSafeRange(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) i++;
  if (i === end) return false;
  for (let k = i; k < end; k++) if (!isDigit(bytes[k])) return false;
  return Number.isNaN(readInteger(bytes, start, end));
}

/**
 * A decimal number: `[+-]?(digits[.digits]|.digits)([eE][+-]?digits)?`.
 * Short plain decimals are computed exactly (mantissa / 10^k is correctly
 * rounded when both are exact doubles); anything else goes through Number().
 */
export function readNumber(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) {
    negative = bytes[i] === 0x2d;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let significant = 0;
  for (; i < end && isDigit(bytes[i]); i++) {
    mantissa = mantissa * 10 + (bytes[i] - 0x30);
    digits++;
    if (mantissa > 0) significant++;
  }
  if (i < end && bytes[i] === 0x2e) {
    i++;
    for (; i < end && isDigit(bytes[i]); i++) {
      mantissa = mantissa * 10 + (bytes[i] - 0x30);
      digits++;
      fraction++;
      if (mantissa > 0) significant++;
    }
  }
  if (digits === 0) return NaN;
  if (i === end) {
    if (significant <= 15 && fraction <= 22) {
      const value = fraction === 0 ? mantissa : mantissa / POW10[fraction];
      return negative ? -value : value;
    }
    return Number(decodeSlice(bytes, start, end));
  }
  if (bytes[i] !== 0x65 && bytes[i] !== 0x45) return NaN;
  i++;
  if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) i++;
  const exponentStart = i;
  for (; i < end && isDigit(bytes[i]); i++);
  if (i !== end || i === exponentStart) return NaN;
  const value = Number(decodeSlice(bytes, start, end));
  return Number.isFinite(value) ? value : NaN;
}

/** true/false, 1/0, yes/no in any case → 1 / 0; -1 when not a boolean. */
export function readBoolean(bytes: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len === 1) {
    if (bytes[start] === 0x31) return 1;
    if (bytes[start] === 0x30) return 0;
    return -1;
  }
  const lower = (k: number): number => bytes[start + k] | 0x20;
  if (len === 4 && lower(0) === 0x74 && lower(1) === 0x72 && lower(2) === 0x75 && lower(3) === 0x65)
    return 1;
  if (
    len === 5 &&
    lower(0) === 0x66 &&
    lower(1) === 0x61 &&
    lower(2) === 0x6c &&
    lower(3) === 0x73 &&
    lower(4) === 0x65
  )
    return 0;
  if (len === 3 && lower(0) === 0x79 && lower(1) === 0x65 && lower(2) === 0x73) return 1;
  if (len === 2 && lower(0) === 0x6e && lower(1) === 0x6f) return 0;
  return -1;
}

/** True when a boolean slice is a word (true/false/yes/no) rather than 1/0. */
export function isBooleanWord(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start > 1 && readBoolean(bytes, start, end) !== -1;
}

function twoDigits(bytes: Uint8Array, i: number): number {
  const a = bytes[i] - 0x30;
  const b = bytes[i + 1] - 0x30;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const TABLE_FIRST_YEAR = 1900;
const TABLE_MONTHS = 300 * 12;

/**
 * Days since the epoch of the first day of each month from January 1900 to
 * January 2200: a date in those years is one lookup, and its month's length
 * is the difference to the next entry.
 */
const MONTH_STARTS = ((): Int32Array => {
  const starts = new Int32Array(TABLE_MONTHS + 1);
  for (let k = 0; k <= TABLE_MONTHS; k++) starts[k] = daysFromCivil(TABLE_FIRST_YEAR + Math.floor(k / 12), (k % 12) + 1, 1);
  return starts;
})();

/** `YYYY-MM-DD` at `i` (exactly 10 bytes) → days since the epoch, NaN if invalid. */
function readDateAt(bytes: Uint8Array, i: number): number {
  const hi = twoDigits(bytes, i);
  const lo = twoDigits(bytes, i + 2);
  if (hi < 0 || lo < 0 || bytes[i + 4] !== 0x2d || bytes[i + 7] !== 0x2d) return NaN;
  const month = twoDigits(bytes, i + 5);
  const day = twoDigits(bytes, i + 8);
  if (month < 1 || month > 12 || day < 1) return NaN;
  const year = hi * 100 + lo;
  const k = (year - TABLE_FIRST_YEAR) * 12 + month - 1;
  if (k >= 0 && k < TABLE_MONTHS) {
    const first = MONTH_STARTS[k];
    return day <= MONTH_STARTS[k + 1] - first ? first + day - 1 : NaN;
  }
  const maxDay = month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1];
  if (day > maxDay) return NaN;
  return daysFromCivil(year, month, day);
}

/** `YYYY-MM-DD` → days since 1970-01-01. */
export function readDate(bytes: Uint8Array, start: number, end: number): number {
  if (end - start !== 10) return NaN;
  return readDateAt(bytes, start);
}

/**
 * ISO 8601 date-time → epoch milliseconds: `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]`
 * followed by `Z`, `±HH:MM`, `±HHMM`, `±HH` or nothing (UTC). A bare date is
 * midnight UTC.
 */
export function readDateTime(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 10) return NaN;
  const days = readDateAt(bytes, start);
  if (Number.isNaN(days)) return NaN;
  let i = start + 10;
  if (i === end) return days * MS_PER_DAY;
  const sep = bytes[i];
  if (sep !== 0x54 && sep !== 0x74 && sep !== SPACE) return NaN;
  i++;
  if (end - i < 5 || bytes[i + 2] !== 0x3a) return NaN;
  const hour = twoDigits(bytes, i);
  const minute = twoDigits(bytes, i + 3);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  i += 5;
  let second = 0;
  let millis = 0;
  if (i < end && bytes[i] === 0x3a) {
    if (end - i < 3) return NaN;
    second = twoDigits(bytes, i + 1);
    if (second < 0 || second > 59) return NaN;
    i += 3;
    if (i < end && (bytes[i] === 0x2e || bytes[i] === 0x2c)) {
      i++;
      let scale = 100;
      const fractionStart = i;
      for (; i < end && isDigit(bytes[i]); i++) {
        millis += (bytes[i] - 0x30) * scale;
        scale /= 10;
      }
      if (i === fractionStart) return NaN;
      millis = Math.floor(millis);
    }
  }
  let offsetMinutes = 0;
  if (i < end) {
    const zone = bytes[i];
    if (zone === 0x5a || zone === 0x7a) {
      i++;
    } else if (zone === 0x2b || zone === 0x2d) {
      const sign = zone === 0x2d ? -1 : 1;
      i++;
      if (end - i < 2) return NaN;
      const offsetHours = twoDigits(bytes, i);
      i += 2;
      let offsetMins = 0;
      if (i < end) {
        if (bytes[i] === 0x3a) i++;
        if (end - i < 2) return NaN;
        offsetMins = twoDigits(bytes, i);
        i += 2;
      }
      if (offsetHours < 0 || offsetHours > 23 || offsetMins < 0 || offsetMins > 59) return NaN;
      offsetMinutes = sign * (offsetHours * 60 + offsetMins);
    } else {
      return NaN;
    }
  }
  if (i !== end) return NaN;
  return (
    days * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis -
    offsetMinutes * 60_000
  );
}

/** Digits without a leading zero (a semver numeric identifier). */
function readSemverNumber(bytes: Uint8Array, i: number, end: number): number {
  const start = i;
  while (i < end && isDigit(bytes[i])) i++;
  if (i === start) return -1;
  if (bytes[start] === 0x30 && i - start > 1) return -1;
  return i;
}

function isIdentifierByte(b: number): boolean {
  return isDigit(b) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2d;
}

/** Pre-release or build identifiers (`alpha.1`); the end, or -1 when empty. */
function readDottedIdentifiers(bytes: Uint8Array, i: number, end: number): number {
  const start = i;
  while (i < end && (isIdentifierByte(bytes[i]) || bytes[i] === 0x2e)) i++;
  return i === start || bytes[i - 1] === 0x2e ? -1 : i;
}

/** `MAJOR.MINOR.PATCH[-pre][+build]` as in semver.org (no `v` prefix). */
export function isSemver(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  for (let part = 0; part < 3; part++) {
    i = readSemverNumber(bytes, i, end);
    if (i < 0) return false;
    if (part < 2) {
      if (i >= end || bytes[i] !== 0x2e) return false;
      i++;
    }
  }
  if (i < end && bytes[i] === 0x2d) {
    i = readDottedIdentifiers(bytes, i + 1, end);
    if (i < 0) return false;
  }
  if (i < end && bytes[i] === 0x2b) {
    i = readDottedIdentifiers(bytes, i + 1, end);
    if (i < 0) return false;
  }
  return i === end;
}

let quoteScratch = new Uint8Array(256);

/**
 * A quoted CSV cell's content with doubled quotes made single, in a shared
 * scratch buffer that the next call overwrites.
 */
export function unescapeQuotes(bytes: Uint8Array, start: number, end: number): Uint8Array {
  if (quoteScratch.length < end - start) quoteScratch = new Uint8Array(Math.max(end - start, quoteScratch.length * 2));
  let length = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    quoteScratch[length++] = b;
    if (b === QUOTE && i + 1 < end && bytes[i + 1] === QUOTE) i++;
  }
  return quoteScratch.subarray(0, length);
}

/**
 * Cells of a block of CSV rows, row-major: cell `c` of row `r` is
 * `[starts[r * stride + c], ends[...])`; a negative end `-(end + 1)` marks a
 * quoted cell whose doubled quotes must be undone (see `unescapeQuotes`).
 */
export interface CellSpans {
  starts: Int32Array;
  ends: Int32Array;
  stride: number;
  count: number;
}
