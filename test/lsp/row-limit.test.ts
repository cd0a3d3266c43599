/** `segspec.maxRows`: line-based data files are cut after N records, never inside a quoted cell. */
import { describe, expect, it } from 'vitest';
import { firstRecords, rowLimitedHost } from '../../server/src/lsp/row-limit.js';
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
