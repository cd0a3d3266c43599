/** `segspec.maxRows`: line-based data files are cut after N records, never inside a quoted cell. */
import { describe, expect, it } from 'vitest';
import { firstRecords, rowLimitedHost } from '../../server/src/core/data/row-limit.js';
import type { Host } from '../../server/src/core/host.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('firstRecords', () => {
  it('keeps the header and N records of a CSV file', () => {
    expect(text(firstRecords(bytes('a,b\n1,2\n3,4\n5,6\n'), 2, { header: true, quotes: true }))).toBe('a,b\n1,2\n3,4\n');
  });

  it('does not cut inside a quoted cell that holds a line break', () => {
    const csv = 'id,note\n1,"two\nlines"\n2,x\n3,y\n';
    expect(text(firstRecords(bytes(csv), 1, { header: true, quotes: true }))).toBe('id,note\n1,"two\nlines"\n');
  });

  it('skips blank lines and handles CRLF and files shorter than the limit', () => {
    expect(text(firstRecords(bytes('{"a":1}\r\n\r\n{"a":2}\r\n{"a":3}\r\n'), 2, { header: false, quotes: false }))).toBe('{"a":1}\r\n\r\n{"a":2}\r\n');
    expect(text(firstRecords(bytes('a\n1\n'), 10, { header: true, quotes: true }))).toBe('a\n1\n');
  });
});

describe('rowLimitedHost', () => {
  const files: Record<string, string> = { '/w/d.csv': 'a\n1\n2\n3\n', '/w/d.json': '[{"a":1},{"a":2}]', '/w/s.segspec': 'x\ny\nz\n' };
  const base: Host = {
    readBytes: async (p) => bytes(files[p]),
    stat: async () => undefined,
    listFiles: async () => Object.keys(files),
  };

  it('limits data files only, and only when a limit is set', async () => {
    let limit: number | undefined = 1;
    const host = rowLimitedHost(base, () => limit);
    expect(text(await host.readBytes('/w/d.csv'))).toBe('a\n1\n');
    expect(text(await host.readBytes('/w/d.json'))).toBe(files['/w/d.json']);
    expect(text(await host.readBytes('/w/s.segspec'))).toBe(files['/w/s.segspec']);
    limit = undefined;
    expect(text(await host.readBytes('/w/d.csv'))).toBe(files['/w/d.csv']);
  });
});

describe('rowLimitedHost on a host that reads heads', () => {
  it('reads only the head of a large file, growing it until N records fit', async () => {
    const row = 'u_0000001,some text that makes the row about sixty bytes long,42\n';
    const big = bytes(`id,note,n\n${row.repeat(200_000)}`); // ~13 MB
    const reads: Array<{ kind: string; bytes: number }> = [];
    const host: Host = {
      readBytes: async () => {
        reads.push({ kind: 'whole', bytes: big.length });
        return big;
      },
      readHead: async (_p, max) => {
        const head = big.subarray(0, Math.min(max, big.length));
        reads.push({ kind: 'head', bytes: head.length });
        return head;
      },
      stat: async () => undefined,
      listFiles: async () => [],
    };
    const few = await rowLimitedHost(host, () => 100).readBytes('/w/users.csv');
    expect(text(few).split('\n').filter(Boolean)).toHaveLength(101);
    expect(reads).toEqual([{ kind: 'head', bytes: 1 << 20 }]);

    reads.length = 0;
    const many = await rowLimitedHost(host, () => 50_000).readBytes('/w/users.csv');
    expect(text(many).split('\n').filter(Boolean)).toHaveLength(50_001);
    expect(reads.every((r) => r.kind === 'head')).toBe(true);
    expect(Math.max(...reads.map((r) => r.bytes))).toBeLessThan(big.length);
  });
});
