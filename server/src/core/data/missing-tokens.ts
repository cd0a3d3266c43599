/**
 * The dataset property `missing ["?", "NA"]` (SPEC §4.1): a cell holding
 * exactly one of these texts is a missing value, like an empty cell. In CSV
 * and TSV the cell's text is compared (a quoted `"NA"` too); in JSON a string
 * value is (`"NA"` is missing, the number or `null` are what they are).
 */
import type { DatasetDecl } from '../syntax/ast.js';
import { prop } from '../syntax/ast.js';

const encoder = new TextEncoder();

/** The texts of a dataset's `missing [...]` (items that are not strings are a static error and left out). */
export function missingTokensOf(decl: DatasetDecl): string[] {
  const list = prop(decl, 'missing')?.value;
  return list ? list.items.flatMap((item) => (item.type === 'String' ? [item.value] : [])) : [];
}

export class MissingTokens {
  private readonly tokens: Uint8Array[];
  private readonly lengths: Set<number>;

  constructor(readonly texts: readonly string[]) {
    this.tokens = [...new Set(texts)].map((text) => encoder.encode(text));
    this.lengths = new Set(this.tokens.map((token) => token.length));
  }

  get isEmpty(): boolean {
    return this.tokens.length === 0;
  }

  /** Whether the bytes `[start, end)` are exactly one of the tokens. */
  matches(bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (!this.lengths.has(length)) return false;
    for (const token of this.tokens) {
      if (token.length !== length) continue;
      let i = 0;
      while (i < length && bytes[start + i] === token[i]) i++;
      if (i === length) return true;
    }
    return false;
  }
}

export const NO_MISSING_TOKENS = new MissingTokens([]);
