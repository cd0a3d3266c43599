/**
 * Whether bytes are text a data file can hold (UTF-8, no NUL bytes, few
 * control characters). `init --from` refuses anything else instead of
 * writing binary bytes into a spec.
 */

/** Control characters other than tab, line feed, carriage return and form feed. */
const CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F]/g;
/** More than this share of control characters is not a table of text. */
const CONTROL_SHARE = 0.01;

/** Undefined for text; otherwise why the bytes are not text, for a message. */
export function notTextReason(bytes: Uint8Array): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return 'it is UTF-16 text; save it as UTF-8';
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return `it holds NUL bytes (the first at byte ${nul + 1}), so it is not a text file`;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return `it is not valid UTF-8 (first bad byte at ${firstInvalidUtf8(bytes) + 1}); save it as UTF-8`;
  }
  const controls = text.match(CONTROL)?.length ?? 0;
  if (controls > 0 && controls > text.length * CONTROL_SHARE) {
    return `${controls} of its ${text.length} characters are control characters, so it is not a text table`;
  }
  return undefined;
}

/** Offset of the first byte that does not continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const validSoFar = (n: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  if (validSoFar(bytes.length)) return bytes.length - 1; // only the end is cut inside a character
  let lo = 0; // valid so far
  let hi = bytes.length; // fails
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (validSoFar(mid)) lo = mid;
    else hi = mid;
  }
  return hi - 1;
}
