/**
 * Large data files are read in pieces through the host, and a column with
 * many distinct values keeps its strings packed until something reads them:
 * what a user sees (values, located findings, duplicate keys by name) is the
 * same as when the file is read whole.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnValueAsString, loadDataset, loadTableFromBytes, parseDataBytes, type LoadRequest } from '../../../server/src/core/data/index.js';
import { dictionarySize, packedDictionary } from '../../../server/src/core/data/packed-strings.js';
import type { DictionaryColumn } from '../../../server/src/core/data/table.js';
import { NodeHost } from '../../../server/src/node/fs-host.js';
import { packParsed, unpackParsed } from '../../../server/src/lsp/table-transfer.js';
import { bytesOf, fields, rangeOn } from './fixtures.js';
import { MemoryHost } from './memory-host.js';
import { analyzeData } from '../../../server/src/core/engine/index.js';
import { dataOf, modelOf } from '../engine/helpers.js';

const ROWS = 10_000;

/** Ids with non-ASCII text; `id` 77 appears again on the last row. */
function usersCsv(): string {
  const lines = ['id,name,age'];
  for (let i = 0; i < ROWS; i++) lines.push(`u${i},"Zoë ${i}",${i % 90}`);
  lines.push('u77,again,5');
  return `${lines.join('\n')}\n`;
}

/** A MemoryHost that can also read parts of files, counting how it was asked. */
class RangeHost extends MemoryHost {
  ranges = 0;
  private readonly contents: Map<string, Uint8Array>;
  constructor(files: Record<string, string>) {
    super(files);
    this.contents = new Map(Object.entries(files).map(([path, text]) => [path, bytesOf(text)]));
  }
  async readRange(path: string, position: number, maxBytes: number): Promise<Uint8Array> {
    this.ranges++;
    return this.contents.get(path)!.slice(position, position + maxBytes);
  }
}

function request(host: MemoryHost): LoadRequest {
  return {
    host,
    specFile: '/ws/spec.segspec',
    workspaceRoot: '/ws',
    source: 'users.csv',
    sourceRange: rangeOn(1, 9, 20),
    declaredFields: fields('id: string\nname: string\nage: integer'),
    keyField: 'id',
    keyRange: rangeOn(2, 6, 8),
  };
}

describe('loading a large CSV file in pieces', () => {
  it('reads through the host in pieces and finds what a whole read finds', async () => {
    const text = usersCsv();
    const pieced = new RangeHost({ '/ws/users.csv': text });
    const whole = new MemoryHost({ '/ws/users.csv': text });
    const a = await loadDataset(request(pieced));
    const b = await loadDataset(request(whole));
    expect(pieced.ranges).toBeGreaterThan(0);
    expect(pieced.reads).toEqual([]);
    expect(a.findings).toEqual(b.findings);
    expect(a.findings.map((f) => f.message).join('\n')).toMatch(/"u77" \(lines 79, 10002\)/);
    expect(a.table?.rowCount).toBe(ROWS + 1);
    const id = a.table!.byName.get('id')!;
    expect([0, 77, ROWS].map((row) => columnValueAsString(id, row))).toEqual(['u0', 'u77', 'u77']);
  });

  it('reads ranges of a real file, fewer bytes only at its end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segspec-range-'));
    const path = join(dir, 'f.csv');
    writeFileSync(path, 'abcdefghij');
    const host = new NodeHost();
    expect(new TextDecoder().decode(await host.readRange(path, 2, 3))).toBe('cde');
    expect(new TextDecoder().decode(await host.readRange(path, 8, 5))).toBe('ij');
    expect((await host.readRange(path, 10, 5)).length).toBe(0);
  });
});

describe('a dictionary with many values', () => {
  it('stays packed until read, then reads as the same strings', () => {
    const { table } = loadTableFromBytes(bytesOf(usersCsv()), 'csv', fields('id: string\nname: string\nage: integer'));
    const name = table!.byName.get('name') as DictionaryColumn;
    expect(packedDictionary(name)).toBeDefined();
    expect(dictionarySize(name)).toBe(ROWS + 1);
    expect(name.dictionary[name.codes[42]]).toBe('Zoë 42');
    expect(packedDictionary(name)).toBeUndefined();
    expect(name.dictionary.length).toBe(ROWS + 1);
  });

  it('stays packed while the engine lists sample members by key', () => {
    const { table } = loadTableFromBytes(bytesOf(usersCsv()), 'csv', fields('id: string\nname: string\nage: integer'));
    const spec = 'dataset users {\n  source "users.csv"\n  key id\n}\nsegment older {\n  where age >= 40\n}\n';
    const result = analyzeData(modelOf(spec, { users: table! }), dataOf({ users: table! })).segments.get('older')!;
    const id = table!.byName.get('id') as DictionaryColumn;
    expect(result.sampleKeys.length).toBeGreaterThan(0);
    expect(result.sampleKeys).toEqual(result.sampleRows.map((row) => columnValueAsString(id, row)));
    // Decoding a million keys for ten sample keys blocked the language server for a tenth of a second.
    expect(packedDictionary(id)).toBeDefined();
  });

  it('travels packed from the data worker and reads the same on arrival', async () => {
    const parsed = parseDataBytes(bytesOf(usersCsv()), 'csv', [], 'id');
    const { message } = packParsed(parsed);
    const unpacked = await unpackParsed(structuredClone(message), async () => undefined);
    const id = unpacked.table!.byName.get('id') as DictionaryColumn;
    expect(packedDictionary(id)).toBeDefined();
    expect(Array.from({ length: 3 }, (_, row) => columnValueAsString(id, row * 5000))).toEqual(['u0', 'u5000', 'u77']);
  });
});
