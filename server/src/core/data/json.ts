/**
 * JSON (an array of objects) and JSON Lines readers working on the file's
 * bytes. Records are never built: each key's value goes straight to its
 * column's builder. Strings without escapes are passed as slices of the file.
 *
 * A JSON document that does not parse gives one error and no rows (nothing in
 * it can be trusted); in JSON Lines a broken line is reported and skipped.
 * A key given twice in one object keeps its first value.
 */
import { CR, LF, QUOTE, SPACE, TAB, readNumber } from './bytes.js';
import { type JsonValue, createBuilder } from './builders.js';
import { dataCode } from './codes.js';
import type { FieldSpec } from './field-spec.js';
import { growInt32, growUint8, fitInt32 } from './grow.js';
import { DeferredJsonColumn, type InferredType } from './infer.js';
import { type BuiltColumn } from './builders.js';
import { ByteInterner } from './interner.js';
import { ProblemLog, type ReadColumn, type ReadResult, columnOf } from './read-result.js';
import { type MissingTokens, NO_MISSING_TOKENS } from './missing-tokens.js';

const MAX_DEPTH = 256;
const utf8 = new TextDecoder('utf-8');

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

interface CellSink {
  addText(row: number, bytes: Uint8Array, start: number, end: number): void;
  addValue(row: number, value: JsonValue): void;
  clearRow(row: number): void;
}

interface JsonColumn {
  name: string;
  sink: CellSink;
  finish(rowCount: number): ReadColumn;
  /** Last row that gave this column a value (a key given twice keeps the first). */
  lastRow: number;
  /** True once a row that gave it a value was kept. */
  used: boolean;
}

function makeColumn(name: string, spec: FieldSpec | undefined, file: Uint8Array): JsonColumn {
  if (spec?.type) {
    const builder = createBuilder(name, spec.type, 1024);
    return { name, sink: builder, finish: (rows) => ({ built: builder.finish(rows) }), lastRow: -1, used: false };
  }
  const deferred = new DeferredJsonColumn(name, file);
  return {
    name,
    sink: deferred,
    finish: (rows): { built: BuiltColumn; inferred: InferredType } => deferred.finish(rows),
    lastRow: -1,
    used: false,
  };
}

class ByteJsonParser {
  pos = 0;
  line = 1;
  lineStart = 0;
  end: number;
  private scratch = new Uint8Array(256);

  constructor(readonly bytes: Uint8Array) {
    this.end = bytes.length;
    this.text = bytes;
  }

  fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(message, this.line, columnOf(this.bytes, this.lineStart, at));
  }

  skipWhitespace(): void {
    const bytes = this.bytes;
    while (this.pos < this.end) {
      const b = bytes[this.pos];
      if (b === LF) {
        this.line++;
        this.lineStart = this.pos + 1;
      } else if (b !== SPACE && b !== TAB && b !== CR) {
        return;
      }
      this.pos++;
    }
  }

  peek(): number {
    return this.pos < this.end ? this.bytes[this.pos] : -1;
  }

  expect(byte: number, what: string): void {
    if (this.peek() !== byte) this.fail(this.pos < this.end ? `expected ${what}` : `expected ${what}, found the end`);
    this.pos++;
  }

  /**
   * A string at `pos` as a byte slice: of the file when it has no escapes,
   * else of a scratch buffer (valid until the next string).
   */
  /** Where the last string read by `readStringBytes` is. */
  text: Uint8Array;
  textStart = 0;
  textEnd = 0;

  private found(buffer: Uint8Array, start: number, end: number): void {
    this.text = buffer;
    this.textStart = start;
    this.textEnd = end;
  }

  readStringBytes(): void {
    const bytes = this.bytes;
    const open = this.pos;
    let i = ++this.pos;
    while (i < this.end) {
      const b = bytes[i];
      if (b === QUOTE) {
        this.pos = i + 1;
        this.found(bytes, open + 1, i);
        return;
      }
      if (b === 0x5c) break;
      if (b === LF) this.fail('string not closed before the end of the line', open);
      i++;
    }
    if (i >= this.end) this.fail('string not closed', open);
    this.readEscapedString(open);
  }

  private readEscapedString(open: number): void {
    const bytes = this.bytes;
    let length = 0;
    const put = (b: number): void => {
      if (length >= this.scratch.length) this.scratch = growUint8(this.scratch, length + 1);
      this.scratch[length++] = b;
    };
    let i = open + 1;
    for (;;) {
      if (i >= this.end) this.fail('string not closed', open);
      const b = bytes[i];
      if (b === QUOTE) break;
      if (b === LF) this.fail('string not closed before the end of the line', open);
      if (b !== 0x5c) {
        put(b);
        i++;
        continue;
      }
      const e = bytes[i + 1];
      i += 2;
      switch (e) {
        case 0x22: put(0x22); break;
        case 0x5c: put(0x5c); break;
        case 0x2f: put(0x2f); break;
        case 0x62: put(0x08); break;
        case 0x66: put(0x0c); break;
        case 0x6e: put(0x0a); break;
        case 0x72: put(0x0d); break;
        case 0x74: put(0x09); break;
        case 0x75: {
          let code = this.hex4(i);
          i += 4;
          if (code >= 0xd800 && code <= 0xdbff && bytes[i] === 0x5c && bytes[i + 1] === 0x75) {
            const low = this.hex4(i + 2);
            if (low >= 0xdc00 && low <= 0xdfff) {
              code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
              i += 6;
            }
          }
          if (code < 0x80) put(code);
          else if (code < 0x800) {
            put(0xc0 | (code >> 6));
            put(0x80 | (code & 0x3f));
          } else if (code < 0x10000) {
            put(0xe0 | (code >> 12));
            put(0x80 | ((code >> 6) & 0x3f));
            put(0x80 | (code & 0x3f));
          } else {
            put(0xf0 | (code >> 18));
            put(0x80 | ((code >> 12) & 0x3f));
            put(0x80 | ((code >> 6) & 0x3f));
            put(0x80 | (code & 0x3f));
          }
          break;
        }
        default:
          return this.fail('invalid escape in string', i - 2);
      }
    }
    this.pos = i + 1;
    this.found(this.scratch, 0, length);
  }

  private hex4(at: number): number {
    if (at + 4 > this.end) this.fail('invalid \\u escape', at - 2);
    let value = 0;
    for (let k = 0; k < 4; k++) {
      const b = this.bytes[at + k];
      const digit =
        b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x61 && b <= 0x66 ? b - 0x57 : b >= 0x41 && b <= 0x46 ? b - 0x37 : -1;
      if (digit < 0) this.fail('invalid \\u escape', at - 2);
      value = value * 16 + digit;
    }
    return value;
  }

  readString(): string {
    this.readStringBytes();
    return utf8.decode(this.text.subarray(this.textStart, this.textEnd));
  }

  /** Any JSON value (strings decoded, objects as plain objects). */
  readValue(depth = 0): JsonValue {
    if (depth > MAX_DEPTH) this.fail('values nested too deeply');
    const b = this.peek();
    if (b === QUOTE) return this.readString();
    if (b === 0x7b) {
      this.pos++;
      const object: { [key: string]: JsonValue } = {};
      this.skipWhitespace();
      if (this.peek() === 0x7d) {
        this.pos++;
        return object;
      }
      for (;;) {
        this.skipWhitespace();
        if (this.peek() !== QUOTE) this.fail('expected a key in double quotes');
        const key = this.readString();
        this.skipWhitespace();
        this.expect(0x3a, '`:`');
        this.skipWhitespace();
        object[key] = this.readValue(depth + 1);
        this.skipWhitespace();
        if (this.peek() === 0x2c) {
          this.pos++;
          continue;
        }
        this.expect(0x7d, '`,` or `}`');
        return object;
      }
    }
    if (b === 0x5b) {
      this.pos++;
      const array: JsonValue[] = [];
      this.skipWhitespace();
      if (this.peek() === 0x5d) {
        this.pos++;
        return array;
      }
      for (;;) {
        this.skipWhitespace();
        array.push(this.readValue(depth + 1));
        this.skipWhitespace();
        if (this.peek() === 0x2c) {
          this.pos++;
          continue;
        }
        this.expect(0x5d, '`,` or `]`');
        return array;
      }
    }
    if (this.matchWord('true')) return true;
    if (this.matchWord('false')) return false;
    if (this.matchWord('null')) return null;
    return this.readNumberValue();
  }

  private matchWord(word: string): boolean {
    if (this.pos + word.length > this.end) return false;
    for (let k = 0; k < word.length; k++) if (this.bytes[this.pos + k] !== word.charCodeAt(k)) return false;
    this.pos += word.length;
    return true;
  }

  /** True when the value at `pos` is an integer literal beyond ±(2^53 − 1), which a double cannot hold exactly. */
  atUnsafeInteger(): boolean {
    let i = this.pos;
    if (i < this.end && this.bytes[i] === 0x2d) i++;
    const first = i;
    while (i < this.end && this.bytes[i] >= 0x30 && this.bytes[i] <= 0x39) i++;
    const digits = i - first;
    if (digits < 16) return false;
    const next = i < this.end ? this.bytes[i] : 0;
    if (next === 0x2e || next === 0x65 || next === 0x45) return false;
    return !Number.isSafeInteger(readNumber(this.bytes, this.pos, i));
  }

  readNumberValue(): number {
    const start = this.pos;
    let i = start;
    while (i < this.end) {
      const b = this.bytes[i];
      if ((b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x65 || b === 0x45) i++;
      else break;
    }
    const value = i > start ? readNumber(this.bytes, start, i) : NaN;
    if (Number.isNaN(value)) this.fail(this.pos < this.end ? 'expected a value' : 'expected a value, found the end');
    this.pos = i;
    return value;
  }
}

class RecordReader {
  readonly columns: JsonColumn[] = [];
  private readonly keys = new ByteInterner();
  private readonly byCode: JsonColumn[] = [];
  private touched: JsonColumn[] = [];

  constructor(
    private readonly parser: ByteJsonParser,
    private readonly specs: Map<string, FieldSpec>,
    private readonly missing: MissingTokens,
  ) {}

  /** Reads the object at `pos` into row `row`. */
  read(row: number): void {
    const p = this.parser;
    this.touched = [];
    p.pos++;
    p.skipWhitespace();
    if (p.peek() === 0x7d) {
      p.pos++;
      return;
    }
    for (;;) {
      p.skipWhitespace();
      if (p.peek() !== QUOTE) p.fail('expected a key in double quotes');
      p.readStringBytes();
      const column = this.column(p.text, p.textStart, p.textEnd);
      p.skipWhitespace();
      p.expect(0x3a, '`:`');
      p.skipWhitespace();
      if (column.lastRow === row) {
        p.readValue();
      } else {
        column.lastRow = row;
        this.touched.push(column);
        if (p.peek() === QUOTE) {
          p.readStringBytes();
          // A string holding a `missing` token is a missing value, like `null`.
          if (this.missing.matches(p.text, p.textStart, p.textEnd)) column.sink.addValue(row, null);
          else column.sink.addText(row, p.text, p.textStart, p.textEnd);
        } else if (p.atUnsafeInteger()) {
          // Handed over as its digits, as a CSV cell would be: a number would
          // round it (an id of 20 digits becomes another id).
          const start = p.pos;
          p.readNumberValue();
          column.sink.addText(row, p.bytes, start, p.pos);
        } else {
          column.sink.addValue(row, p.readValue());
        }
      }
      p.skipWhitespace();
      if (p.peek() === 0x2c) {
        p.pos++;
        continue;
      }
      p.expect(0x7d, '`,` or `}`');
      return;
    }
  }

  commit(): void {
    for (const column of this.touched) column.used = true;
  }

  rollback(row: number): void {
    for (const column of this.touched) {
      column.sink.clearRow(row);
      column.lastRow = -1;
    }
  }

  /** The column of a key, found by the key's bytes (a key becomes a string only the first time). */
  private column(bytes: Uint8Array, start: number, end: number): JsonColumn {
    const code = this.keys.intern(bytes, start, end);
    let column = this.byCode[code];
    if (!column) {
      const name = this.keys.text(code);
      column = makeColumn(name, this.specs.get(name), this.parser.bytes);
      this.byCode[code] = column;
      this.columns.push(column);
    }
    return column;
  }

  finish(rowCount: number): ReadColumn[] {
    return this.columns.filter((c) => c.used).map((c) => c.finish(rowCount));
  }
}

function startAfterBom(bytes: Uint8Array): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/** A JSON file holding one array of objects. */
export function readJsonArray(bytes: Uint8Array, specs: readonly FieldSpec[], missing: MissingTokens = NO_MISSING_TOKENS): ReadResult {
  const log = new ProblemLog();
  const parser = new ByteJsonParser(bytes);
  parser.pos = parser.lineStart = startAfterBom(bytes);
  const records = new RecordReader(parser, new Map(specs.map((s) => [s.name, s])), missing);
  let rowCount = 0;
  let rowLines = new Int32Array(1024);
  try {
    parser.skipWhitespace();
    if (parser.peek() !== 0x5b) parser.fail('expected an array of objects (`[{...}, ...]`)');
    parser.pos++;
    parser.skipWhitespace();
    if (parser.peek() === 0x5d) parser.pos++;
    else {
      for (;;) {
        parser.skipWhitespace();
        const line = parser.line;
        const column = columnOf(bytes, parser.lineStart, parser.pos);
        if (parser.peek() === 0x7b) {
          records.read(rowCount);
          records.commit();
          rowLines = growInt32(rowLines, rowCount + 1);
          rowLines[rowCount++] = line;
        } else {
          const value = parser.readValue();
          log.add(dataCode.notAnObject, line, column, `array element is ${kindOf(value)}, not an object; it is skipped`);
        }
        parser.skipWhitespace();
        if (parser.peek() === 0x2c) {
          parser.pos++;
          continue;
        }
        parser.expect(0x5d, '`,` or `]`');
        break;
      }
    }
    parser.skipWhitespace();
    if (parser.pos < parser.end) parser.fail('unexpected content after the array');
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    log.add(dataCode.invalidJson, error.line, error.column, `invalid JSON: ${error.message}; no row is used`);
    return { columns: undefined, rowCount: 0, rowLines: new Int32Array(0), problems: log.problems() };
  }
  return { columns: records.finish(rowCount), rowCount, rowLines: fitInt32(rowLines, rowCount), problems: log.problems() };
}

/** A JSON Lines file: one object per line; blank lines are skipped. */
export function readJsonLines(bytes: Uint8Array, specs: readonly FieldSpec[], missing: MissingTokens = NO_MISSING_TOKENS): ReadResult {
  const log = new ProblemLog();
  const parser = new ByteJsonParser(bytes);
  const records = new RecordReader(parser, new Map(specs.map((s) => [s.name, s])), missing);
  let rowCount = 0;
  let rowLines = new Int32Array(1024);
  let lineStart = startAfterBom(bytes);
  let line = 1;
  while (lineStart < bytes.length) {
    let lineEnd = bytes.indexOf(LF, lineStart);
    if (lineEnd < 0) lineEnd = bytes.length;
    parser.pos = parser.lineStart = lineStart;
    parser.end = lineEnd;
    parser.line = line;
    parser.skipWhitespace();
    if (parser.pos < lineEnd) {
      const column = columnOf(bytes, lineStart, parser.pos);
      const isObject = parser.peek() === 0x7b;
      try {
        if (isObject) records.read(rowCount);
        const value = isObject ? undefined : parser.readValue();
        parser.skipWhitespace();
        if (parser.pos < lineEnd) parser.fail('unexpected content after the value');
        if (isObject) {
          records.commit();
          rowLines = growInt32(rowLines, rowCount + 1);
          rowLines[rowCount++] = line;
        } else {
          log.add(dataCode.notAnObject, line, column, `line holds ${kindOf(value ?? null)}, not an object; it is skipped`);
        }
      } catch (error) {
        if (!(error instanceof JsonSyntaxError)) throw error;
        if (isObject) records.rollback(rowCount);
        log.add(dataCode.invalidJsonLine, error.line, error.column, `invalid JSON: ${error.message}; the line is skipped`);
      }
    }
    lineStart = lineEnd + 1;
    line++;
  }
  return { columns: records.finish(rowCount), rowCount, rowLines: fitInt32(rowLines, rowCount), problems: log.problems() };
}

function kindOf(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return 'an object';
}
