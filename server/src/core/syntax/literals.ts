/** Decoding of literal token text into values, with problems described in words. */

export interface Decoded<T> {
  value: T;
  /** A problem to report; the value is still usable. */
  problem?: { message: string; start: number; end: number };
}

/** The escapes that stand for one character (a quote, a backslash, n and t). */
const SIMPLE_ESCAPES = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['n', '\n'],
  ['t', '\t'],
]);

/**
 * Decodes a string token (`"…"`, possibly unterminated). Offsets in the
 * problem are relative to the token text.
 */
export function decodeString(raw: string): Decoded<string> {
  const terminated = raw.length >= 2 && raw.endsWith('"') && !isEscapedQuoteAtEnd(raw);
  const body = raw.slice(1, terminated ? -1 : undefined);
  let value = '';
  let problem: Decoded<string>['problem'];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) break;
    i++;
    const simple = SIMPLE_ESCAPES.get(next);
    if (simple !== undefined) {
      value += simple;
    } else if (next === 'u') {
      const hex = body.slice(i + 1, i + 5);
      if (/^[0-9A-Fa-f]{4}$/.test(hex)) {
        value += String.fromCharCode(parseInt(hex, 16));
        i += 4;
      } else {
        problem ??= {
          message: '`\\u` must be followed by four hex digits, e.g. `\\u00e9`',
          start: i,
          end: i + 2,
        };
        value += 'u';
      }
    } else {
      problem ??= {
        message: `unknown escape \`\\${next}\` in a string (use \\", \\\\, \\n, \\t or \\uXXXX)`,
        start: i,
        end: i + 2,
      };
      value += next;
    }
  }
  if (!terminated) {
    problem = { message: 'unterminated string: add the closing `"`', start: 0, end: raw.length };
  }
  return { value, problem };
}

function isEscapedQuoteAtEnd(raw: string): boolean {
  // `"abc\"` ends with a quote that is escaped: the string is not closed.
  let backslashes = 0;
  for (let i = raw.length - 2; i >= 1 && raw[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

export function decodeNumber(raw: string): number {
  return Number(raw.replace(/_/g, '').replace(/%$/, ''));
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Checks that `YYYY-MM-DD` names a real calendar day. */
export function checkDate(text: string): string | undefined {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (month < 1 || month > 12) return `${text} is not a date: the month must be 01 to 12`;
  if (day < 1 || day > daysInMonth(year, month)) return `${text} is not a date: that month has no day ${day}`;
  return undefined;
}

/** The instant of an ISO date-time; `Z` is assumed when no zone is given. */
export function decodeDateTime(text: string): Decoded<number> {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text);
  if (!match) return { value: NaN, problem: { message: `${text} is not a date-time`, start: 0, end: text.length } };
  const [, date, hh, mm, ss = '00', fraction = '', zone] = match;
  const dateProblem = checkDate(date);
  if (dateProblem) return { value: NaN, problem: { message: dateProblem, start: 0, end: 10 } };
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) {
    return { value: NaN, problem: { message: `${text} is not a valid time of day`, start: 11, end: text.length } };
  }
  let offset = 'Z';
  if (zone && zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    offset = `${digits.slice(0, 3)}:${digits.slice(3, 5) || '00'}`;
  }
  const millis = fraction ? `.${fraction.slice(1, 4).padEnd(3, '0')}` : '';
  const value = Date.parse(`${date}T${hh}:${mm}:${ss}${millis}${offset}`);
  if (!zone) {
    return {
      value,
      problem: {
        message: `a date-time needs a time zone: add \`Z\` for UTC or an offset such as \`+02:00\``,
        start: 0,
        end: text.length,
      },
    };
  }
  return { value };
}
