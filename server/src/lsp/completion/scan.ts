/**
 * A forgiving scanner for the text before the cursor: completion must work in
 * half-typed declarations that the parser cannot read yet.
 */
export type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** True when the token is the first one on its line. */
  lineStart: boolean;
}

export interface Scan {
  tokens: Token[];
  /** Start offset of a string literal that is still open at the end of the text. */
  openString: number | undefined;
  /** True when the text ends inside a comment. */
  inComment: boolean;
}

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '?'];

export function scan(text: string): Scan {
  const tokens: Token[] = [];
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      if (end < 0) return { tokens, openString: undefined, inComment: true };
      i = end;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return { tokens, openString: undefined, inComment: true };
      i = end + 2;
      continue;
    }
    const start = i;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length || text[i] === '\n') {
        if (i >= text.length) return { tokens, openString: start, inComment: false };
        // An unterminated string on an earlier line: treat it as ended there.
      } else i++;
      tokens.push({ kind: 'string', text: text.slice(start, i), start, end: i, lineStart });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i])) i++;
      tokens.push({ kind: 'ident', text: text.slice(start, i), start, end: i, lineStart });
    } else if (/[0-9]/.test(c)) {
      while (i < text.length && /[0-9A-Za-z_.:%+-]/.test(text[i])) i++;
      tokens.push({ kind: 'number', text: text.slice(start, i), start, end: i, lineStart });
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op) {
        i += op.length;
        tokens.push({ kind: 'op', text: op, start, end: i, lineStart });
      } else {
        i++;
        tokens.push({ kind: 'punct', text: c, start, end: i, lineStart });
      }
    }
    lineStart = false;
  }
  return { tokens, openString: undefined, inComment: false };
}
