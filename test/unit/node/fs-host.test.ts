/**
 * The file-system host (node/fs-host.ts) reads a large file into shared
 * memory, which a worker thread can parse without a copy or a transfer, and
 * a small one as usual; either way the bytes are the file's.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeHost } from '../../../server/src/node/fs-host.js';

const dir = mkdtempSync(join(tmpdir(), 'segspec-fs-host-'));
const large = Uint8Array.from({ length: 3 << 20 }, (_, i) => (i * 31) & 0xff);
const small = new TextEncoder().encode('id,age\nu1,30\n');
writeFileSync(join(dir, 'large.csv'), large);
writeFileSync(join(dir, 'small.csv'), small);

describe('reading files from disk', () => {
  it('reads a large file whole into shared memory', async () => {
    const bytes = await new NodeHost().readBytes(join(dir, 'large.csv'));
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.compare(bytes, large)).toBe(0);
  });

  it('reads the head of a large file into shared memory, and all of a file shorter than the head asked for', async () => {
    const host = new NodeHost();
    const head = await host.readHead(join(dir, 'large.csv'), 2 << 20);
    expect(head.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.compare(head, large.subarray(0, 2 << 20))).toBe(0);
    const whole = await host.readHead(join(dir, 'large.csv'), 4 << 20);
    expect(Buffer.compare(whole, large)).toBe(0);
  });

  it('reads a small file as usual', async () => {
    const host = new NodeHost();
    const bytes = await host.readBytes(join(dir, 'small.csv'));
    expect(bytes.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(new TextDecoder().decode(bytes)).toBe('id,age\nu1,30\n');
    expect(new TextDecoder().decode(await host.readHead(join(dir, 'small.csv'), 1024))).toBe('id,age\nu1,30\n');
    expect(new TextDecoder().decode(await host.readRange(join(dir, 'small.csv'), 3, 1024))).toBe('age\nu1,30\n');
  });
});
