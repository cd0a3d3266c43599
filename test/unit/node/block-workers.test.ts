/**
 * The block parsers of a process (node/block-workers.ts): worker threads
 * started from dist/block-worker.cjs and the calling thread, which parses
 * blocks too. A load through them gives what one thread gives; when the
 * workers cannot start or stop half-way, the file is read again on one
 * thread and nothing is lost.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fieldSpecsFromDecls, loadDataset, type BlockResult, type BlockTask, type LoadRequest } from '../../../server/src/core/data/index.js';
import { BlockWorkers } from '../../../server/src/node/block-workers.js';
import { NodeHost } from '../../../server/src/node/fs-host.js';
import { ensureBuilt, repoRoot } from '../../cli/helpers.js';
import { fields, rangeOn } from '../data/fixtures.js';

const ROWS = 20_000;

/** A duplicate key, a bad age and quoted line breaks spread over the file. */
function usersCsv(): string {
  const lines = ['user_id,age,plan,note'];
  for (let i = 0; i < ROWS; i++) {
    const id = i === 17_000 ? 'u0000077' : `u${String(i).padStart(7, '0')}`;
    const age = i === 15_000 ? 'old' : i % 11 === 0 ? '' : String(18 + (i % 60));
    const note = i % 997 === 0 ? '"two\nlines, quoted"' : `note ${i % 100}`;
    lines.push(`${id},${age},${['free', 'pro', 'team'][i % 3]},${note}`);
  }
  return `${lines.join('\n')}\n`;
}

let dir = '';
let workers: BlockWorkers | undefined;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'segspec-block-workers-'));
  writeFileSync(join(dir, 'users.csv'), usersCsv());
  writeFileSync(join(dir, 'fails-to-start.cjs'), "throw new Error('this worker cannot start');\n");
  writeFileSync(join(dir, 'stops.cjs'), "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
});

afterEach(() => {
  workers?.close();
  workers = undefined;
});

function request(parsers: BlockWorkers | undefined): LoadRequest {
  return {
    host: new NodeHost(),
    // Small blocks, so a file of ~0.4 MB is many blocks.
    blocks: parsers?.blockOptions({ pieceBytes: 16 << 10, minBytes: 1024 }),
    specFile: join(dir, 'spec.segspec'),
    workspaceRoot: dir,
    source: 'users.csv',
    sourceRange: rangeOn(1, 9, 20),
    declaredFields: fields('user_id: string\nage: integer?\nplan: enum("free", "pro", "team")'),
    keyField: 'user_id',
  };
}

/** What a user sees of a load: rows, each column's values by row, and the findings. */
async function seen(parsers: BlockWorkers | undefined): Promise<unknown> {
  const loaded = await loadDataset(request(parsers));
  const table = loaded.table;
  if (!table) throw new Error('nothing loaded');
  const columns = table.columns.map((c) => {
    switch (c.kind) {
      case 'dictionary':
        return { name: c.name, missing: Array.from(c.missing), values: Array.from(c.codes, (code) => (code < 0 ? null : c.dictionary[code])) };
      case 'numeric':
        return { name: c.name, missing: Array.from(c.missing), values: Array.from(c.values) };
      default:
        return { name: c.name, kind: c.kind };
    }
  });
  return { rows: table.rowCount, lines: Array.from(table.rowLines), columns, findings: loaded.findings };
}

/** Counts where blocks were parsed: on a worker or on this thread. */
function counting(parsers: BlockWorkers): { here: () => number; total: () => number } {
  let total = 0;
  const parse = parsers.parse;
  Object.defineProperty(parsers, 'parse', {
    value: (task: BlockTask): Promise<BlockResult> => {
      total++;
      return parse(task);
    },
  });
  return { here: () => parsers.parsedHere, total: () => total };
}

describe('block parsers: worker threads and the calling thread', () => {
  it('load a file in blocks on a worker and on this thread, with what one thread gives', async () => {
    const one = await seen(undefined);
    workers = new BlockWorkers(join(repoRoot, 'dist', 'block-worker.cjs'), 1);
    const count = counting(workers);
    expect(await seen(workers)).toEqual(one);
    // Both kinds of parser took blocks.
    expect(count.total()).toBeGreaterThan(10);
    expect(count.here()).toBeGreaterThan(0);
    expect(count.here()).toBeLessThan(count.total());
    const findings = (one as { findings: Array<{ message: string }> }).findings.map((f) => f.message).join('\n');
    expect(findings).toMatch(/u0000077/);
    expect(findings).toMatch(/line 150\d\d/);
  }, 60_000);

  it('hand nothing over by transfer: the bytes of a block stay readable on this thread', async () => {
    // A transfer would empty them here, and a thread that has had a buffer detached runs its typed-array loops slower from then on.
    workers = new BlockWorkers(join(repoRoot, 'dist', 'block-worker.cjs'), 1);
    const file = new TextEncoder().encode(usersCsv());
    const rows = file.subarray(file.indexOf(0x0a) + 1);
    const shared = new Uint8Array(new SharedArrayBuffer(rows.length));
    shared.set(rows);
    const specs = fieldSpecsFromDecls(fields('user_id: string\nage: integer?\nplan: enum("free", "pro", "team")'));
    for (const bytes of [shared, rows.slice()]) {
      const block = await workers.parse({ bytes, last: true, format: 'csv', names: ['user_id', 'age', 'plan', 'note'], specs, missing: [] });
      expect(block.rowCount).toBe(ROWS);
      expect(bytes.length).toBe(rows.length);
      expect(Buffer.compare(bytes, rows)).toBe(0);
      // A piece in shared memory comes back for the next piece to be read into.
      expect(block.spare instanceof SharedArrayBuffer).toBe(bytes === shared);
      block.release?.();
    }
  }, 60_000);

  it('read the file again on one thread when the workers cannot start', async () => {
    const one = await seen(undefined);
    workers = new BlockWorkers(join(dir, 'fails-to-start.cjs'), 1);
    expect(await seen(workers)).toEqual(one);
  }, 60_000);

  it('read the file again on one thread when a worker stops half-way', async () => {
    const one = await seen(undefined);
    workers = new BlockWorkers(join(dir, 'stops.cjs'), 1);
    expect(await seen(workers)).toEqual(one);
  }, 60_000);
});
