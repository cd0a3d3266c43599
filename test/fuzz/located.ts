/**
 * The "every error located" invariant: a finding names a file that exists
 * and a range inside that file's text.
 */
export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** Decodes file bytes roughly as a reader would: UTF-16 when it starts with a UTF-16 BOM, else UTF-8. */
export function textOfBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Line lengths of a text under both line-splitting conventions (LF only, as
 * many readers count, and LF/CRLF/CR as LSP does); a position is valid when
 * either accepts it.
 */
function lineLengths(text: string): Array<readonly number[]> {
  const stripped = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return [text, stripped].flatMap((t) => [t.split('\n').map((l) => l.length), t.split(/\r\n|\r|\n/u).map((l) => l.length)]);
}

function positionOk(lines: Array<readonly number[]>, p: { line: number; character: number }): boolean {
  if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return false;
  return lines.some((ls) => p.line < ls.length && p.character <= ls[p.line]);
}

/** Undefined when the range is valid in `text`, else what is wrong. */
export function rangeProblem(text: string, range: Range | undefined): string | undefined {
  if (!range?.start || !range.end) return 'no range';
  const lines = lineLengths(text);
  if (!positionOk(lines, range.start)) return `start ${range.start.line}:${range.start.character} outside the file`;
  if (!positionOk(lines, range.end)) return `end ${range.end.line}:${range.end.character} outside the file`;
  const before = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  if (!before) return 'range ends before it starts';
  return undefined;
}
