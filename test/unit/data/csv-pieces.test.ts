/**
 * A CSV/TSV file read in pieces (what a host that reads parts of files gets)
 * gives exactly what reading it whole gives: the same columns, types, line
 * numbers and located problems, wherever the pieces happen to split the
 * file — inside a quoted line break, between the CR and LF of a line end,
 * inside the BOM or the header.
 */
import { describe, expect, it } from 'vitest';
import { fieldSpecsFromDecls, parseBlock, parseDataBytes, parseDelimitedPieces, readDelimitedBlocks, type FieldSpec, type ParseBlock, type ParsedData } from '../../../server/src/core/data/index.js';
import { parsedFromRead } from '../../../server/src/core/data/load.js';
import type { ReadResult } from '../../../server/src/core/data/read-result.js';
import { bytesOf, fields, visible } from './fixtures.js';

function piecesOf(bytes: Uint8Array) {
  return async (position: number, length: number) => bytes.slice(position, position + length);
}

/** Like the file-system host: reads into the buffer it is given (the loader reuses its buffers for every piece). */
function piecesInto(bytes: Uint8Array) {
  return async (position: number, length: number, into?: Uint8Array) => {
    const part = bytes.subarray(position, position + length);
    if (!into) return part.slice();
    into.set(part);
    return into.subarray(0, part.length);
  };
}

/** Parses blocks on this thread, finishing them in a scrambled order (as workers would). */
function outOfOrder(): ParseBlock {
  let n = 0;
  return (task) => {
    const result = parseBlock(task);
    const delay = (n++ * 7) % 3;
    return new Promise((resolve) => setTimeout(() => resolve(result), delay));
  };
}

/** What the loader makes of a read (the same as for a whole file). */
function parsedFromBlocks(read: ReadResult, specs: readonly FieldSpec[], keyField?: string): ParsedData {
  return parsedFromRead(read, specs, keyField);
}

const BOM = [0xef, 0xbb, 0xbf];

const FILES: Array<{ name: string; bytes: Uint8Array; declared: string; missing?: string[] }> = [
  {
    name: 'quoted line breaks, doubled quotes, CRLF and a BOM',
    bytes: new Uint8Array([...BOM, ...bytesOf('id,note,score\r\n1,"two\r\nlines",1.5\r\n2,"say ""hi""",2\r\n\r\n3,plain,3\r\n4,"a,b",\r\n')]),
    declared: 'id: integer\nnote: string\nscore: number?',
  },
  {
    name: 'bad rows, values that do not fit and an unclosed quote',
    bytes: bytesOf('id,age,plan\nu1,31,pro\nu2,x,free\nu3,40\nu4,41,team,extra\nu5,"50,free\nu6,60,pro\n'),
    declared: 'id: string\nage: integer\nplan: enum("free", "pro", "team")',
  },
  {
    name: 'undeclared columns inferred, CR-only line ends, missing tokens',
    bytes: bytesOf('id,joined,tags,flag\r1,2024-01-02,a;b,yes\r2,N/A,c,no\r3,2024-03-04,"d;e",yes\r4,2024-05-06,,no\r'),
    declared: 'id: string',
    missing: ['N/A'],
  },
  {
    name: 'a header with a quoted line break and no final line end',
    bytes: bytesOf('"user\nid",age\nu1,3\nu2,4'),
    declared: 'age: integer',
  },
  {
    name: 'a stray quote inside a cell, then a quoted line break',
    bytes: bytesOf('id,a,b\n1,x"y,"two\nlines"\n2,p,q\n3,"r\n\ns",t\n4,u,v\n'),
    declared: 'id: integer',
  },
  {
    name: 'blank lines only',
    bytes: bytesOf('\n\r\n\n'),
    declared: '',
  },
];

describe('reading a CSV file in pieces', () => {
  for (const file of FILES) {
    it(`gives what a whole read gives, for every piece size: ${file.name}`, async () => {
      const specs = file.declared ? fieldSpecsFromDecls(fields(file.declared)) : [];
      const whole = visible(parseDataBytes(file.bytes, 'csv', specs, undefined, file.missing));
      for (let size = 1; size <= file.bytes.length + 1; size++) {
        const pieces = await parseDelimitedPieces(piecesOf(file.bytes), file.bytes.length, 'csv', specs, undefined, file.missing, size);
        expect(visible(pieces), `pieces of ${size} bytes`).toEqual(whole);
        const reused = await parseDelimitedPieces(piecesInto(file.bytes), file.bytes.length, 'csv', specs, undefined, file.missing, size);
        expect(visible(reused), `pieces of ${size} bytes read into reused buffers`).toEqual(whole);
      }
    });
  }

  for (const file of FILES) {
    it(`gives what a whole read gives when blocks are parsed at the same time: ${file.name}`, async () => {
      const specs = file.declared ? fieldSpecsFromDecls(fields(file.declared)) : [];
      const whole = visible(parseDataBytes(file.bytes, 'csv', specs, undefined, file.missing));
      for (let size = 1; size <= file.bytes.length + 1; size++) {
        const read = await readDelimitedBlocks(piecesOf(file.bytes), file.bytes.length, 'csv', specs, file.missing ?? [], {
          parse: outOfOrder(),
          pieceBytes: size,
          inFlight: 3,
        });
        expect(visible(parsedFromBlocks(read, specs)), `pieces of ${size} bytes`).toEqual(whole);
      }
    });
  }

  it('reads a larger file in pieces with the same rows and line numbers', async () => {
    const lines = ['id,n,text'];
    for (let i = 0; i < 3000; i++) lines.push(i % 7 === 0 ? `r${i},${i},"multi\nline ${i}"` : `r${i},${i},t${i % 13}`);
    const bytes = bytesOf(`${lines.join('\r\n')}\r\n`);
    const specs = fieldSpecsFromDecls(fields('id: string\nn: integer'));
    const whole = parseDataBytes(bytes, 'csv', specs, 'id');
    expect(whole.table?.rowCount).toBe(3000);
    for (const size of [97, 1024, 4099]) {
      const pieces = await parseDelimitedPieces(piecesOf(bytes), bytes.length, 'csv', specs, 'id', [], size);
      expect(visible(pieces)).toEqual(visible(whole));
      const reused = await parseDelimitedPieces(piecesInto(bytes), bytes.length, 'csv', specs, 'id', [], size);
      expect(visible(reused)).toEqual(visible(whole));
      const blocks = await readDelimitedBlocks(piecesOf(bytes), bytes.length, 'csv', specs, [], { parse: outOfOrder(), pieceBytes: size });
      expect(visible(parsedFromBlocks(blocks, specs, 'id'))).toEqual(visible(whole));
    }
  });

  it('reads rows longer than the room kept for a cut row, and a file of pieces read into the same buffers', async () => {
    // Cells of 70-200 KB: a row cut at a piece's end is longer than the 64 KB copied in front of the next piece,
    // and some rows are longer than a piece, so both are read again from the file.
    const lines = ['id,blob,n'];
    for (let i = 0; i < 40; i++) lines.push(`r${i},${i % 3 === 0 ? 'x'.repeat(70_000 + i * 3_000) : `short${i}`},${i}`);
    const bytes = bytesOf(`${lines.join('\n')}\n`);
    const specs = fieldSpecsFromDecls(fields('id: string\nn: integer'));
    const whole = visible(parseDataBytes(bytes, 'csv', specs, 'id'));
    for (const size of [50_000, 150_000, 1 << 20]) {
      const reused = await parseDelimitedPieces(piecesInto(bytes), bytes.length, 'csv', specs, 'id', [], size);
      expect(visible(reused), `pieces of ${size} bytes`).toEqual(whole);
    }
  });
});
