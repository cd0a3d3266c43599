/**
 * A parsed table sent from the parsing worker arrives equal to the one parsed
 * in place: every column kind, non-ASCII and astral strings in a dictionary
 * large enough to travel packed, and the issues and field types.
 */
import { describe, expect, it } from 'vitest';
import { parseDataBytes } from '../../../server/src/core/data/index.js';
import { packParsed, packStrings, unpackParsed, unpackStrings } from '../../../server/src/lsp/table-transfer.js';

const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const NAMES = ['Zoë', 'Łukasz', '名前', 'emoji 😀', 'plain', ''];

function csv(rows: number): Uint8Array {
  const lines = ['id,name,age,score,joined,active,tags,version'];
  for (let i = 0; i < rows; i++) {
    const name = `${NAMES[i % NAMES.length]}${i % 7 === 0 ? '' : i}`;
    const age = i % 11 === 0 ? '' : String(18 + (i % 50));
    lines.push(`k${i}-${NAMES[i % NAMES.length]},${name},${age},${(i * 1.5).toFixed(1)},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${i % 2 === 0},a;b${i % 3},1.${i % 4}.0`);
  }
  lines.push('broken,row'); // one bad row: an issue travels too
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

describe('the parsed table across the worker boundary', () => {
  it('decodes packed strings, non-ASCII and astral characters included', async () => {
    const strings = Array.from({ length: 70_000 }, (_, i) => `${NAMES[i % NAMES.length]}·${i}`);
    const packed = packStrings(strings);
    expect(await unpackStrings(packed, pause)).toEqual(strings);
    const ascii = Array.from({ length: 40_000 }, (_, i) => `u${i}`);
    expect(await unpackStrings(packStrings(ascii), pause)).toEqual(ascii);
  });

  it('gives the same table, field types and issues as parsing in place', async () => {
    const specs = [{ name: 'tags', type: 'list<string>' as const, optional: true }, { name: 'version', type: 'semver' as const, optional: false }];
    const direct = parseDataBytes(csv(20_000), 'csv', specs, 'id');
    const { message, transfer } = packParsed(parseDataBytes(csv(20_000), 'csv', specs, 'id'));
    // Through a real structured clone with the buffers transferred, as postMessage does.
    const arrived = await unpackParsed(structuredClone(message, { transfer }), pause);
    expect(direct.table!.columns.find((c) => c.name === 'id')!.kind).toBe('dictionary');
    expect(arrived.table!.rowCount).toBe(direct.table!.rowCount);
    expect(arrived.table!.columns).toEqual(direct.table!.columns);
    expect([...arrived.table!.byName.keys()]).toEqual([...direct.table!.byName.keys()]);
    expect(arrived.table!.rowLines).toEqual(direct.table!.rowLines);
    expect(arrived.fieldTypes).toEqual(direct.fieldTypes);
    expect(arrived.issues).toEqual(direct.issues);
    expect(arrived.issues.length).toBeGreaterThan(0);
  });
});
