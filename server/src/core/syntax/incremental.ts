/**
 * Re-parses only the declarations that changed. The text is cut before each
 * declaration keyword at brace depth 0 (see declaration-cuts.ts); each piece
 * is parsed on its own and cached by its text, and its positions are moved to
 * where the piece sits in the file. On a valid file the result equals `parse`;
 * a file the cut cannot be trusted on (lexer errors, unbalanced braces) is
 * parsed whole.
 */
import type { Position, SegspecFile } from './ast.js';
import { parse } from './index.js';
import { LineIndex } from './positions.js';
import { DeclarationCuts } from './declaration-cuts.js';
/**
 * Pieces kept beyond those of the latest text (an undo, a typo typed and
 * removed again). Every keystroke in a declaration makes a new piece: the
 * cache must not keep them all, or typing grows the server's memory.
 */
const spareCachedPieces = 500;

interface CachedPiece {
  /** The piece's AST, positions relative to the piece. */
  ast: SegspecFile;
  /** The latest copy placed in a file, and where: a piece that has not moved is not copied again. */
  placed?: { origin: Position; file: SegspecFile };
}

export class IncrementalParser {
  /** Piece text → its AST. */
  private readonly pieces = new Map<string, CachedPiece>();
  private readonly cuts = new DeclarationCuts();

  parse(text: string): SegspecFile {
    const starts = this.cuts.cut(text);
    if (!starts || starts.length <= 1) return parse(text);
    const lines = new LineIndex(text);
    const file: SegspecFile = { type: 'File', declarations: [], comments: [], errors: [], range: lines.range(0, text.length) };
    const used = new Set<string>();
    for (let i = 0; i < starts.length; i++) {
      const from = i === 0 ? 0 : starts[i];
      const to = i + 1 < starts.length ? starts[i + 1] : text.length;
      const pieceText = text.slice(from, to);
      used.add(pieceText);
      let piece = this.pieces.get(pieceText);
      if (piece) this.pieces.delete(pieceText);
      else piece = { ast: parse(pieceText) };
      // Most recently used last: eviction below starts from the oldest.
      this.pieces.set(pieceText, piece);
      const origin = lines.position(from);
      if (!piece.placed || !samePosition(piece.placed.origin, origin)) piece.placed = { origin, file: shiftPositions(piece.ast, origin) };
      const shifted = piece.placed.file;
      file.declarations.push(...shifted.declarations);
      file.comments.push(...shifted.comments);
      file.errors.push(...shifted.errors);
    }
    let excess = this.pieces.size - used.size - spareCachedPieces;
    for (const [key, piece] of this.pieces) {
      if (used.has(key)) continue;
      // A spare piece keeps its AST only: its placed copy would double what typing keeps in memory.
      piece.placed = undefined;
      if (excess > 0) {
        this.pieces.delete(key);
        excess--;
      }
    }
    return file;
  }
}

function samePosition(a: Position, b: Position): boolean {
  return a.offset === b.offset && a.line === b.line && a.character === b.character;
}

/** A position: the only objects of the tree with a numeric `offset` (nodes have a `type`, ranges a `start`). */
function isPosition(value: object): value is Position {
  return typeof (value as Position).offset === 'number' && typeof (value as Position).line === 'number' && !('type' in value);
}

/**
 * A copy of a piece's AST with every position moved to start at `origin`.
 * Every keystroke that changes a declaration's length moves the declarations
 * after it, so this runs over most of a file while typing: a plain recursive
 * copy, no generic entries or identity map (the parser shares nothing but
 * positions, which are plain values).
 */
function shiftPositions(piece: SegspecFile, origin: Position): SegspecFile {
  const copy = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
      return out;
    }
    if (isPosition(value)) {
      return {
        line: origin.line + value.line,
        character: value.line === 0 ? origin.character + value.character : value.character,
        offset: origin.offset + value.offset,
      };
    }
    const out: Record<string, unknown> = {};
    for (const key in value) out[key] = copy((value as Record<string, unknown>)[key]);
    return out;
  };
  return copy(piece) as SegspecFile;
}
