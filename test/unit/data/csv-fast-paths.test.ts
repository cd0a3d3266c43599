/**
 * The CSV reader's fast paths (cells found four bytes at a time, each
 * builder's block loop, finishing a column without a pass when nothing is
 * missing) read every cell as a plain reference reading of the same text
 * does: random tables of tricky cells (quotes, doubled quotes, delimiters
 * and line breaks inside quotes, control bytes and tabs inside unquoted
 * cells, padding, UTF-8, signs, exponents, leading zeros, invalid dates,
 * missing tokens), written with LF, CRLF or CR line ends, read whole and in
 * pieces that cut anywhere. The reference below shares no code with the
 * reader.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellValue } from '../../../server/src/core/data/accessors.js';
import { readDate, readDateTime } from '../../../server/src/core/data/bytes.js';
import { type Delimiter, DelimitedReader, readDelimited } from '../../../server/src/core/data/csv.js';
import type { FieldSpec } from '../../../server/src/core/data/field-spec.js';
import { MissingTokens } from '../../../server/src/core/data/missing-tokens.js';
import type { ReadResult } from '../../../server/src/core/data/read-result.js';

type Kind = 'string' | 'enum' | 'integer' | 'number' | 'date' | 'datetime' | 'boolean' | 'list<string>';
const KINDS: Kind[] = ['string', 'enum', 'integer', 'number', 'date', 'datetime', 'boolean', 'list<string>'];
const MISSING = ['NA', '?'];

/** What a reader must make of one cell's text: null for missing, 'bad' for a value that does not fit. */
type Expected = null | 'bad' | string | number | boolean | string[];

const trim = (text: string): string => text.replace(/^[ \t]+|[ \t]+$/g, '');

function isoDateOk(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return m >= 1 && m <= 12 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Milliseconds of `YYYY-MM-DD[T ]HH:MM[:SS]` with `Z`, `±HH:MM` or nothing, by a regular expression. */
function dateTimeMs(text: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?([Zz]|[+-]\d{2}:\d{2})?)?$/.exec(text);
  if (!match || !isoDateOk(match[1])) return undefined;
  const [, day, hh = '0', mm = '0', ss = '0', zone] = match;
  const [hour, minute, second] = [Number(hh), Number(mm), Number(ss)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (zone && zone.length > 1) {
    const [oh, om] = zone.slice(1).split(':').map(Number);
    if (oh > 23 || om > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return Date.parse(`${day}T00:00:00Z`) + ((hour * 60 + minute - offset) * 60 + second) * 1000;
}

function expected(kind: Kind, text: string, missing: boolean): Expected {
  if (missing && MISSING.includes(text)) return null;
  if (kind === 'string') return text === '' ? null : text;
  const t = trim(text);
  if (t === '') return null;
  switch (kind) {
    case 'enum':
      return t;
    case 'integer':
      return /^[+-]?\d+$/.test(t) && Math.abs(Number(t)) <= Number.MAX_SAFE_INTEGER ? Number(t) : 'bad';
    case 'number': {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return 'bad';
      const value = Number(t);
      return Number.isFinite(value) ? value : 'bad';
    }
    case 'date':
      return isoDateOk(t) ? t : 'bad';
    case 'datetime': {
      const ms = dateTimeMs(t);
      return ms === undefined ? 'bad' : new Date(ms).toISOString().replace('.000Z', 'Z');
    }
    case 'boolean': {
      const lower = t.toLowerCase();
      if (lower === 'true' || lower === 'yes' || lower === '1') return true;
      if (lower === 'false' || lower === 'no' || lower === '0') return false;
      return 'bad';
    }
    case 'list<string>':
      return t === '[]' ? [] : t.split(';').map(trim).filter((item) => item !== '');
  }
}

/** A cell's text: fitting values, near misses and awkward bytes, often padded. */
function cellText(kind: Kind): fc.Arbitrary<string> {
  const digits = fc.stringMatching(/^[0-9]{1,18}$/);
  const sign = fc.constantFrom('', '', '-', '+');
  const numbers = fc.oneof(
    fc.tuple(sign, digits).map(([s, d]) => s + d),
    fc.tuple(sign, digits, digits).map(([s, a, b]) => `${s}${a}.${b}`),
    fc.tuple(sign, digits, fc.constantFrom('e', 'E', 'e-', 'e+'), fc.integer({ min: 0, max: 400 })).map(([s, d, e, x]) => `${s}${d}${e}${x}`),
    fc.constantFrom('.5', '5.', '-.5', '007', '-0', '1e', '1.2.3', '1,5', '--1', '9007199254740993', '9007199254740991', '0x10', 'Infinity'),
  );
  const dates = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
      ([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    ),
    fc.constantFrom('2024-02-29', '2023-02-29', '2000-02-29', '1900-02-29', '2024-1-05', '20240105'),
  );
  const times = fc.tuple(dates, fc.constantFrom('T', ' ', 't'), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.constantFrom('', ':07', ':60'), fc.constantFrom('', 'Z', '+02:00', '-05:30', '+24:00'))
    .map(([d, sep, h, m, s, z]) => `${d}${sep}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}${s}${z}`);
  const chars = [...'abcXYZ019 ;,"\t\r\n\x01\x0b\x0c.-', 'é', '€', '😀'];
  const words = fc.array(fc.constantFrom(...chars), { maxLength: 14 }).map((cs) => cs.join(''));
  const typed: Record<Kind, fc.Arbitrary<string>> = {
    string: words,
    enum: fc.oneof(fc.constantFrom('free', 'pro', 'team', ' pro ', 'Pro'), words),
    integer: numbers,
    number: numbers,
    date: dates,
    datetime: fc.oneof(times, dates),
    boolean: fc.oneof(fc.constantFrom('true', 'FALSE', 'Yes', 'no', '1', '0', 'y', '2', 'truee'), words),
    'list<string>': fc.oneof(fc.constantFrom('[]', 'a;b', ' a ; ;b;', ';'), words),
  };
  return fc.oneof(
    { weight: 6, arbitrary: typed[kind] },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', ...MISSING) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(' ', '\t', '  '), typed[kind]).map(([pad, text]) => pad + text + pad) },
  );
}

/** The cell as CSV/TSV text: quoted when it must be, and sometimes when it need not. */
function encode(text: string, delimiter: string, quoteAnyway: boolean): string {
  const needs = text.includes(delimiter) || /["\r\n]/.test(text);
  return needs || quoteAnyway ? `"${text.replaceAll('"', '""')}"` : text;
}

interface Case {
  kinds: Kind[];
  rows: string[][];
  quoting: boolean[][];
  lineEnd: string;
  delimiter: '\t' | ',';
  missing: boolean;
  pieceBytes: number;
}

const cases: fc.Arbitrary<Case> = fc
  .record({
    kinds: fc.array(fc.constantFrom(...KINDS), { minLength: 2, maxLength: 6 }),
    rowCount: fc.integer({ min: 1, max: 40 }),
    lineEnd: fc.constantFrom('\n', '\r\n', '\r'),
    delimiter: fc.constantFrom<'\t' | ','>(',', ',', '\t'),
    missing: fc.boolean(),
    pieceBytes: fc.integer({ min: 1, max: 64 }),
  })
  .chain(({ kinds, rowCount, ...rest }) =>
    fc.record({
      rows: fc.array(fc.tuple(...kinds.map(cellText)), { minLength: rowCount, maxLength: rowCount }),
      quoting: fc.array(fc.array(fc.boolean(), { minLength: kinds.length, maxLength: kinds.length }), { minLength: rowCount, maxLength: rowCount }),
    }).map(({ rows, quoting }) => ({ kinds, rows, quoting, ...rest })),
  );

function fileOf(c: Case): Uint8Array {
  const header = c.kinds.map((_, i) => `c${i}`).join(c.delimiter);
  const lines = c.rows.map((row, r) => row.map((text, i) => encode(text, c.delimiter, c.quoting[r][i])).join(c.delimiter));
  return new TextEncoder().encode([header, ...lines].join(c.lineEnd) + c.lineEnd);
}

function specsOf(c: Case): FieldSpec[] {
  return c.kinds.map((type, i) => ({ name: `c${i}`, type, optional: true }));
}

/** Read in pieces of `pieceBytes`, a cut row given again with the next piece (as the loader does), each piece a view into a larger buffer. */
function readInPieces(bytes: Uint8Array, delimiter: Delimiter, specs: FieldSpec[], missing: MissingTokens, pieceBytes: number): ReadResult {
  const reader = new DelimitedReader(delimiter, specs, missing, bytes.length);
  let wanted = pieceBytes;
  for (let position = 0; ; ) {
    const piece = bytes.subarray(position, position + wanted);
    const last = position + wanted >= bytes.length;
    const used = reader.push(piece, last);
    if (last) break;
    position += used;
    wanted = used === 0 ? wanted * 2 : pieceBytes;
  }
  return reader.finish();
}

function check(c: Case, result: ReadResult): void {
  expect(result.problems).toEqual([]);
  expect(result.rowCount).toBe(c.rows.length);
  c.kinds.forEach((kind, i) => {
    const read = result.columns![i];
    if (!('built' in read) || !read.built) throw new Error('a declared column is built');
    const { column, stats } = read.built;
    const wanted = c.rows.map((row) => expected(kind, row[i], c.missing));
    const got = wanted.map((_, row) => cellValue(column, row));
    const shown = wanted.map((value) => (value === 'bad' ? null : value));
    expect({ column: i, kind, cells: got }).toEqual({ column: i, kind, cells: shown });
    const bad = wanted.filter((value) => value === 'bad').length;
    const missingRows = wanted.flatMap((value, row) => (value === null ? [row] : []));
    expect(stats.badCount).toBe(bad);
    expect(stats.firstBadRow).toBe(wanted.indexOf('bad'));
    expect(stats.missingCount).toBe(missingRows.length);
    expect(stats.firstMissingRow).toBe(missingRows.length > 0 ? missingRows[0] : -1);
  });
}

/** Undeclared columns: each is built as if declared with the type inferred for it (same cells, same counts). */
function checkInferred(bytes: Uint8Array, delimiter: Delimiter, missing: MissingTokens, width: number): void {
  const inferred = readDelimited(bytes, delimiter, [], missing);
  const types = inferred.columns!.map((read) => read.inferred?.type ?? 'string');
  const specs = types.map((type, i): FieldSpec => ({ name: `c${i}`, type, optional: true }));
  const declared = readDelimited(bytes, delimiter, specs, missing);
  expect(types).toHaveLength(width);
  const visible = (result: ReadResult) =>
    result.columns!.map(({ built: { column, stats } }) => ({ stats, cells: Array.from({ length: result.rowCount }, (_, row) => cellValue(column, row)) }));
  expect(visible(inferred)).toEqual(visible(declared));
}

describe('CSV fast paths read what a plain reading of the text gives', () => {
  it('random tables of awkward cells, whole and in pieces', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const bytes = fileOf(c);
        const delimiter = (c.delimiter === ',' ? 0x2c : 0x09) as Delimiter;
        const missing = new MissingTokens(c.missing ? MISSING : []);
        check(c, readDelimited(bytes, delimiter, specsOf(c), missing));
        // A piece is a view at an offset into a larger buffer (word reads must honour it).
        const shifted = new Uint8Array(bytes.length + 3);
        shifted.set(bytes, 3);
        check(c, readInPieces(shifted.subarray(3), delimiter, specsOf(c), missing, c.pieceBytes));
        checkInferred(bytes, delimiter, missing, c.kinds.length);
      }),
      { numRuns: 300 },
    );
  });

  it('a cell holding control bytes and tabs is one cell, and a TSV tab ends it', () => {
    const bytes = new TextEncoder().encode('a,b\nx\x01\x0b\x0cy\tz,1\n');
    const csv = readDelimited(bytes, 0x2c, [
      { name: 'a', type: 'string', optional: false },
      { name: 'b', type: 'integer', optional: false },
    ]);
    expect(csv.problems).toEqual([]);
    const a = csv.columns![0];
    expect('built' in a && a.built ? cellValue(a.built.column, 0) : undefined).toBe('x\x01\x0b\x0cy\tz');
    const tsv = readDelimited(new TextEncoder().encode('a\tb\nx\x0by\t7\n'), 0x09, [
      { name: 'a', type: 'string', optional: false },
      { name: 'b', type: 'integer', optional: false },
    ]);
    const b = tsv.columns![1];
    expect('built' in b && b.built ? cellValue(b.built.column, 0) : undefined).toBe(7);
  });
});

describe('dates read from bytes', () => {
  it('every day (and every impossible day 29-31) of 1890-2210 is what Date.UTC makes of it', () => {
    const encoder = new TextEncoder();
    const wrong: string[] = [];
    for (let year = 1890; year <= 2210; year++) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 31; day++) {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const utc = Date.UTC(year, month - 1, day);
          const real = new Date(utc).getUTCDate() === day;
          const bytes = encoder.encode(`${text}T12:00Z`);
          const date = readDate(bytes, 0, 10);
          const dateTime = readDateTime(bytes, 0, bytes.length);
          const ok = real ? date === utc / 86_400_000 && dateTime === utc + 43_200_000 : Number.isNaN(date) && Number.isNaN(dateTime);
          if (!ok) wrong.push(`${text}: ${date}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
