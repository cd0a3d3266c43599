/**
 * The language server's data worker (lsp/data-worker.ts) parses a large
 * file from shared memory: the server keeps its bytes as they were (a
 * transfer would take them from its thread, and a thread that has had a
 * buffer detached runs its typed-array loops slower from then on), and the
 * table is what parsing on the server's thread gives.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fieldSpecsFromDecls, parseDataBytes } from '../../../server/src/core/data/index.js';
import { WorkerParser } from '../../../server/src/lsp/data-worker.js';
import { ensureBuilt, repoRoot } from '../../cli/helpers.js';
import { fields, visible } from '../data/fixtures.js';

const ROWS = 30_000;

function usersCsv(): Uint8Array {
  const lines = ['id,age,plan'];
  for (let i = 0; i < ROWS; i++) lines.push(`u${String(i).padStart(7, '0')},${i === 20_000 ? 'old' : 18 + (i % 60)},${['free', 'pro', 'team'][i % 3]}`);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

let parser: WorkerParser | undefined;

beforeAll(() => ensureBuilt());

afterEach(() => {
  parser?.close();
  parser = undefined;
});

describe('the language server’s data worker', () => {
  it('parses a large file as this thread would, leaving this thread’s bytes in place', async () => {
    parser = new WorkerParser(join(repoRoot, 'dist', 'server.cjs'));
    const file = usersCsv();
    const specs = fieldSpecsFromDecls(fields('id: string\nage: integer?\nplan: enum("free", "pro", "team")'));
    const here = visible(parseDataBytes(file, 'csv', specs, 'id', []));
    const shared = new Uint8Array(new SharedArrayBuffer(file.length));
    shared.set(file);
    for (const bytes of [file.slice(), shared]) {
      const parsed = await parser.parse(bytes, 'csv', specs, 'id', []);
      expect(visible(parsed)).toEqual(here);
      expect(bytes.length).toBe(file.length);
      expect(Buffer.compare(bytes, file)).toBe(0);
    }
    expect(JSON.stringify(here)).toMatch(/old/);
  }, 60_000);
});
