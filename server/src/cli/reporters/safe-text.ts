/**
 * Text from specs, data and file names on its way to a terminal or a CI log
 * (every output format except JSON and SARIF, whose encoders escape it). A
 * raw ESC can recolour, move the cursor or retitle the terminal; CR and
 * backspace can overwrite what was printed; bidi overrides can make a line
 * read differently from what it holds. Each is shown as a visible escape.
 */

/** C0 controls except tab and line feed, DEL, C1 controls, bidi controls, line/paragraph separators. */
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Findings shown per file in pretty and GitHub output; the rest are counted. */
export const FINDINGS_PER_FILE = 100;

/**
 * The findings to show (the first `limit` of each file, in order) and, per file,
 * how many were left out.
 */
export function capPerFile<T extends { file: string }>(findings: readonly T[], limit = FINDINGS_PER_FILE): { shown: T[]; hidden: Map<string, number> } {
  const seen = new Map<string, number>();
  const shown: T[] = [];
  const hidden = new Map<string, number>();
  for (const f of findings) {
    const n = (seen.get(f.file) ?? 0) + 1;
    seen.set(f.file, n);
    if (n <= limit) shown.push(f);
    else hidden.set(f.file, (hidden.get(f.file) ?? 0) + 1);
  }
  return { shown, hidden };
}
