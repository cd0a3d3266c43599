/**
 * The canonical layout of a `.segspec` file.
 *
 * Declarations are separated by one empty line, each property stands on its
 * own line indented by two spaces, `fields` has one field per line, and a
 * condition too long for one line is broken before each top-level `and` /
 * `or`. Every comment stays at its place. A file with syntax errors is not
 * formatted (`undefined`): the layout of broken text is anyone's guess.
 */
import { parse } from '../syntax/index.js';
import { unreachable } from '../util/unreachable.js';
import type {
  Comment,
  Declaration,
  Expr,
  FieldDecl,
  FlagContextEntry,
  FlagExpectation,
  Expectation,
  Identifier,
  ListExpr,
  RecordLiteral,
  SegspecFile,
  TypeRef,
} from '../syntax/ast.js';
import { oneLineWidth, PieceWriter } from './pieces.js';
import { type Piece, Printer } from './printer.js';

/** Lines longer than this are broken where the layout allows it. */
export const maxLineWidth = 100;

const indentStep = 2;

export function format(text: string): string | undefined {
  const file = parse(text);
  if (file.errors.length > 0) return undefined;
  return new Formatter(text, file).run();
}

type AnyProperty = Declaration['properties'][number];

function isFlagExpectation(value: Expectation | FlagExpectation): value is FlagExpectation {
  return value.type === 'ExpectReach' || value.type === 'ExpectLeak';
}

class Formatter {
  private readonly printer: Printer;
  private readonly writer: PieceWriter;

  constructor(
    private readonly source: string,
    private readonly file: SegspecFile,
  ) {
    this.printer = new Printer(source, file.comments);
    this.writer = new PieceWriter(source);
  }

  run(): string {
    this.file.declarations.forEach((declaration, i) => {
      if (i > 0) this.printer.requestBlankLine();
      this.declaration(declaration);
    });
    this.printer.continuation = 0;
    return this.printer.finish();
  }

  // ------------------------------------------------------------ declarations

  private declaration(declaration: Declaration): void {
    const p = this.printer;
    p.startItem(declaration.range.start.offset, 0);
    p.continuation = indentStep;
    p.text(declaration.type.toLowerCase(), declaration.keywordRange.start.offset, false);
    let headEnd = declaration.keywordRange.end.offset;
    if (declaration.name) {
      p.text(declaration.name.name, declaration.name.range.start.offset);
      headEnd = declaration.name.range.end.offset;
    }
    if (declaration.title) {
      p.text(this.writer.raw(declaration.title), declaration.title.range.start.offset);
      headEnd = declaration.title.range.end.offset;
    }
    const close = declaration.range.end.offset - 1;
    const properties: AnyProperty[] = declaration.properties;
    const open = this.writer.next(headEnd);
    if (properties.length === 0 && !this.hasComments(headEnd, close)) {
      p.text('{}', open);
      return;
    }
    p.text('{', open);
    for (const property of properties) this.property(property, indentStep);
    this.closeBlock(close, 0);
  }

  /** Comments left inside a block go before its closing brace, at the block's indent. */
  private closeBlock(close: number, indent: number, brace = '}'): void {
    const p = this.printer;
    p.continuation = indent + indentStep;
    p.flushComments(close);
    p.newLine(indent);
    p.text(brace, close, false);
  }

  private hasComments(from: number, to: number): boolean {
    return this.file.comments.some((c: Comment) => c.range.start.offset >= from && c.range.start.offset < to);
  }

  // ------------------------------------------------------------ properties

  private property(property: AnyProperty, indent: number): void {
    const p = this.printer;
    const at = property.keywordRange.start.offset;
    const keywordEnd = property.keywordRange.end.offset;
    p.startItem(property.range.start.offset, indent);
    p.continuation = indent + indentStep;
    switch (property.key) {
      case 'source':
      case 'table':
      case 'unit':
      case 'description':
      case 'owner':
      case 'quote':
        p.text(property.key, at, false);
        if (property.value) p.text(this.writer.raw(property.value), property.value.range.start.offset);
        return;
      case 'key':
        p.text('key', at, false);
        if (property.value) {
          const value = property.value;
          p.text(value.type === 'String' ? this.writer.raw(value) : value.name, value.range.start.offset);
        }
        return;
      case 'kind':
      case 'from':
      case 'segment':
      case 'system':
        p.text(property.key, at, false);
        if (property.value) p.text(property.value.name, property.value.range.start.offset);
        return;
      case 'for':
        p.text('for', at, false);
        if (property.value.length === 1) p.text(property.value[0].name, property.value[0].range.start.offset);
        else this.names(property.value, this.writer.next(keywordEnd), property.range.end.offset - 1, indent);
        return;
      case 'context':
        p.text('context', at, false);
        this.contextMap(property.entries, this.writer.next(keywordEnd), property.range.end.offset - 1, indent);
        return;
      case 'asOf':
        p.text('as of', at, false);
        if (property.value) p.text(property.value.value, property.value.range.start.offset);
        return;
      case 'fields':
        p.text('fields', at, false);
        this.fields(property.fields, this.writer.next(keywordEnd), property.range.end.offset - 1, indent);
        return;
      case 'where':
        p.text('where', at, false);
        if (property.value) this.condition(property.value, indent);
        return;
      case 'expect': {
        p.text('expect', at, false);
        if (!property.value) return;
        const pieces: Piece[] = [];
        const value = property.value;
        if (isFlagExpectation(value)) this.writer.flagExpectation(value, pieces);
        else this.writer.expectation(value, pieces);
        for (const piece of pieces) p.print(piece);
        return;
      }
      case 'example':
        p.text('example', at, false);
        p.text(property.member ? 'member' : 'nonmember', this.writer.next(keywordEnd));
        if (property.value) this.record(property.value, indent);
        return;
      case 'profile':
        p.text('profile', at, false);
        if (property.value) this.record(property.value, indent);
        return;
      case 'missing':
      case 'tags':
      case 'goals':
      case 'pains':
      case 'jobs':
      case 'channels':
        p.text(property.key, at, false);
        if (property.value) this.list(property.value, indent);
        return;
      case 'segments':
        p.text('segments', at, false);
        this.names(property.value, this.writer.next(keywordEnd), property.range.end.offset - 1, indent);
        return;
      case 'exclusive':
      case 'exhaustive':
        p.text(property.key, at, false);
        return;
      case 'belongsTo':
        p.text('belongs to', at, false);
        if (property.parent) p.text(property.parent.name, property.parent.range.start.offset);
        if (property.by) {
          p.text('by', this.writer.next(property.parent?.range.end.offset ?? keywordEnd));
          p.text(property.by.name, property.by.range.start.offset);
        }
        return;
      default:
        return unreachable(property);
    }
  }

  /** `where …`: on one line when it fits, else broken before each top-level `and` / `or`. */
  private condition(expr: Expr, indent: number): void {
    const p = this.printer;
    const pieces: Piece[] = [];
    this.writer.expr(expr, pieces, true, true);
    const tooLong = p.column + 1 + oneLineWidth(pieces) > maxLineWidth;
    const broken = tooLong || this.hasComments(expr.range.start.offset, expr.range.end.offset);
    for (const piece of pieces) {
      if (broken && piece.connector) {
        p.flushComments(piece.at);
        p.newLine(indent + indentStep);
        p.print({ ...piece, space: false });
      } else {
        p.print(piece);
      }
    }
  }

  // ------------------------------------------------------------ blocks

  private fields(fields: FieldDecl[], open: number, close: number, indent: number): void {
    const p = this.printer;
    if (fields.length === 0 && !this.hasComments(open, close)) {
      p.text('{}', open);
      return;
    }
    p.text('{', open);
    for (const field of fields) {
      p.startItem(field.range.start.offset, indent + indentStep);
      p.continuation = indent + 2 * indentStep;
      p.text(`${field.name.name}:`, field.name.range.start.offset, false);
      if (field.fieldType) this.typeRef(field.fieldType);
    }
    this.closeBlock(close, indent);
  }

  private typeRef(type: TypeRef): void {
    const p = this.printer;
    const at = type.range.start.offset;
    if (type.name === 'list') {
      p.text(`list<${type.element ?? 'string'}>`, at);
    } else if (type.name === 'enum' && type.enumValues) {
      p.text('enum', at);
      let cursor = this.writer.next(at + 'enum'.length);
      p.text('(', cursor, false);
      cursor++;
      type.enumValues.forEach((value, i) => {
        p.text(this.writer.raw(value), value.range.start.offset, i > 0);
        cursor = value.range.end.offset;
        if (i < type.enumValues!.length - 1) {
          cursor = this.writer.next(cursor);
          p.text(',', cursor, false);
          cursor++;
        }
      });
      cursor = this.writer.next(cursor);
      if (this.source[cursor] === ',') cursor = this.writer.next(cursor + 1);
      p.text(')', cursor, false);
    } else {
      p.text(type.name, at);
    }
    if (type.optional) p.text('?', type.range.end.offset - 1, false);
  }

  private record(record: RecordLiteral, indent: number): void {
    const p = this.printer;
    const pieces: Piece[] = [];
    this.writer.record(record, pieces, true);
    const start = record.range.start.offset;
    const close = record.range.end.offset - 1;
    const fits = p.column + 1 + oneLineWidth(pieces) <= maxLineWidth;
    if (record.entries.length === 0 || (fits && !this.hasComments(start, close))) {
      for (const piece of pieces) p.print(piece);
      return;
    }
    p.text('{', start);
    record.entries.forEach((entry, i) => {
      p.startItem(entry.range.start.offset, indent + indentStep);
      p.continuation = indent + 2 * indentStep;
      p.text(`${entry.key.name}:`, entry.key.range.start.offset, false);
      const value: Piece[] = [];
      this.writer.entryValue(entry.value, value, true);
      for (const piece of value) p.print(piece);
      if (i < record.entries.length - 1) p.text(',', entry.value.range.end.offset, false);
    });
    this.closeBlock(close, indent);
  }

  private list(list: ListExpr, indent: number): void {
    const p = this.printer;
    const pieces: Piece[] = [];
    this.writer.list(list, pieces, true);
    const start = list.range.start.offset;
    const close = list.range.end.offset - 1;
    const fits = p.column + 1 + oneLineWidth(pieces) <= maxLineWidth;
    if (list.items.length === 0 || (fits && !this.hasComments(start, close))) {
      for (const piece of pieces) p.print(piece);
      return;
    }
    p.text('[', start);
    for (const item of list.items) {
      p.startItem(item.range.start.offset, indent + indentStep);
      p.continuation = indent + 2 * indentStep;
      const value: Piece[] = [];
      this.writer.expr(item, value, false);
      for (const piece of value) p.print(piece);
      p.text(',', item.range.end.offset, false);
    }
    this.closeBlock(close, indent, ']');
  }

  private contextMap(entries: FlagContextEntry[], open: number, close: number, indent: number): void {
    const p = this.printer;
    const pieces: Piece[] = [];
    this.writer.contextMap(entries, open, close, pieces, true);
    const fits = p.column + 1 + oneLineWidth(pieces) <= maxLineWidth;
    if (entries.length === 0 || (fits && !this.hasComments(open, close))) {
      for (const piece of pieces) p.print(piece);
      return;
    }
    p.text('{', open);
    entries.forEach((entry, i) => {
      p.startItem(entry.range.start.offset, indent + indentStep);
      p.continuation = indent + 2 * indentStep;
      const value: Piece[] = [];
      this.writer.contextEntry(entry, value);
      for (const piece of value) p.print({ ...piece, space: piece !== value[0] });
      if (i < entries.length - 1) p.text(',', entry.range.end.offset, false);
    });
    this.closeBlock(close, indent);
  }

  private names(names: Identifier[], open: number, close: number, indent: number): void {
    const p = this.printer;
    const pieces: Piece[] = [];
    this.writer.names(names, open, close, pieces, true);
    const fits = p.column + 1 + oneLineWidth(pieces) <= maxLineWidth;
    if (names.length === 0 || (fits && !this.hasComments(open, close))) {
      for (const piece of pieces) p.print(piece);
      return;
    }
    p.text('[', open);
    for (const name of names) {
      p.startItem(name.range.start.offset, indent + indentStep);
      p.text(name.name, name.range.start.offset, false);
      p.text(',', name.range.end.offset, false);
    }
    this.closeBlock(close, indent, ']');
  }
}
