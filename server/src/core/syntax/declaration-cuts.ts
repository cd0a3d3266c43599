/**
 * Where a file's top-level declarations begin: before each declaration
 * keyword at brace depth 0 (declarations never nest). After an edit only the
 * declarations around the changed text are lexed again; the cuts before it
 * stay and those after it move by the change in length.
 */
import { Dataset, Flag, LCurly, Partition, Persona, RCurly, Segment, segspecLexer } from './tokens.js';

const declarationKeywords = new Set([Dataset, Segment, Persona, Partition, Flag]);

/** Offsets where top-level declarations begin; undefined when the cut would not be safe (lexer errors, unbalanced braces). */
export function declarationStarts(text: string): number[] | undefined {
  const lexed = segspecLexer.tokenize(text);
  if (lexed.errors.length > 0) return undefined;
  const starts: number[] = [];
  let depth = 0;
  for (const token of lexed.tokens) {
    if (token.tokenType === LCurly) depth++;
    else if (token.tokenType === RCurly) {
      depth--;
      if (depth < 0) return undefined;
    } else if (depth === 0 && declarationKeywords.has(token.tokenType)) starts.push(token.startOffset);
  }
  return depth === 0 ? starts : undefined;
}

/** The cuts of one file's successive texts (one per file: it remembers the latest). */
export class DeclarationCuts {
  private last: { text: string; starts: number[] } | undefined;

  cut(text: string): number[] | undefined {
    const starts = (this.last && cutAroundEdit(this.last.text, this.last.starts, text)) || declarationStarts(text);
    this.last = starts ? { text, starts } : undefined;
    return starts;
  }
}

/**
 * The cuts of `text` from those of the text before it: the declarations that
 * hold the changed characters are lexed again, from the start of the first
 * (whose keyword must still begin it) through the first declaration after
 * the change, which must still begin where it did, moved by the change in
 * length (a comment left open, or a word typed against its keyword, would
 * swallow it). From that token on, the text lexes as before. Undefined when
 * the region does not cut cleanly (then the whole text is cut).
 */
function cutAroundEdit(before: string, starts: readonly number[], text: string): number[] | undefined {
  if (before === text) return [...starts];
  const shorter = Math.min(before.length, text.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  const changedEnd = before.length - suffix;
  const delta = text.length - before.length;
  // The last declaration that starts before the first changed character, and the first that starts after the last one.
  let first = -1;
  while (first + 1 < starts.length && starts[first + 1] < prefix) first++;
  let next = first + 1;
  while (next < starts.length && starts[next] <= changedEnd) next++;
  const from = first < 0 ? 0 : starts[first];
  const rest = Math.min(next + 1, starts.length);
  const to = rest < starts.length ? starts[rest] + delta : text.length;
  const region = declarationStarts(text.slice(from, to))?.map((s) => s + from);
  if (!region || (first >= 0 && region[0] !== from)) return undefined;
  if (next < starts.length && !region.includes(starts[next] + delta)) return undefined;
  return [...starts.slice(0, Math.max(first, 0)), ...region, ...starts.slice(rest).map((s) => s + delta)];
}
