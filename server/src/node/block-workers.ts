/**
 * Worker threads that parse blocks of CSV/TSV files (core/data/blocks.ts),
 * so a large file is parsed on every core. Each worker runs
 * dist/block-worker.cjs (or the process's bundle, whose entry calls
 * `runBlockWorkerIfAsked()` first) with a marker in its `workerData`.
 *
 * Nothing is transferred, in either direction: a piece of the file is read
 * into shared memory and the parsed block comes back in a shared slab
 * (block-slab.ts), each handed back when done with. A transfer detaches the
 * sender's buffer, and once any buffer of a thread has been detached, V8's
 * compiled typed-array loops on that thread check for it at every access:
 * evaluating segments after a load that transferred was ~40% slower.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { BlockParser, type BlockOptions, parseBlock, type BlockResult, type BlockTask, type ParseBlock } from '../core/data/blocks.js';
import type { BuiltColumn } from '../core/data/builders.js';
import { PackedStrings, packedDictionary, withDictionary } from '../core/data/packed-strings.js';
import { unreachable } from '../core/util/unreachable.js';
import { type ArrayMapper, SlabPool } from './block-slab.js';

const MARKER = 'segspecBlockWorker';

interface Pool {
  pool: Uint8Array;
  offsets: Int32Array;
  count: number;
  ascending: boolean;
}

/** A built column as it travels: a packed dictionary apart, so the clone never decodes it. */
interface PackedBuilt {
  built: BuiltColumn;
  strings?: Pool;
}

type PackedBlockColumn = PackedBuilt | { raw: { pool: Uint8Array; offsets: Int32Array; rows: number } } | undefined;

interface PackedBlock extends Omit<BlockResult, 'columns' | 'release'> {
  columns: PackedBlockColumn[];
}

/** To a worker: a block to parse, or a slab of a merged block to use again. */
type Request = { id: number; task: BlockTask } | { slab: SharedArrayBuffer };

/** From a worker: a parsed block, its arrays in `slab`. */
type Reply = { id: number; block: PackedBlock; slab: SharedArrayBuffer } | { id: number; error: string };

/** A column with each of its typed arrays mapped (a packed dictionary travels apart: its `dictionary` is empty). */
function mapColumn(column: BuiltColumn['column'], map: ArrayMapper): BuiltColumn['column'] {
  const { name, missing } = column;
  switch (column.kind) {
    case 'numeric':
      return { kind: column.kind, type: column.type, name, missing: map(missing), values: map(column.values) };
    case 'boolean':
      return { kind: column.kind, type: column.type, name, missing: map(missing), values: map(column.values) };
    case 'dictionary':
      return { kind: column.kind, type: column.type, name, missing: map(missing), codes: map(column.codes), dictionary: column.dictionary };
    case 'stringList':
      return { kind: column.kind, type: column.type, name, missing: map(missing), offsets: map(column.offsets), itemCodes: map(column.itemCodes), dictionary: column.dictionary };
    case 'integerList':
      return { kind: column.kind, type: column.type, name, missing: map(missing), offsets: map(column.offsets), itemValues: map(column.itemValues) };
    default:
      return unreachable(column);
  }
}

/** A block as it travels: large dictionaries as byte pools, every typed array mapped. */
function packedBlock(block: BlockResult, map: ArrayMapper): PackedBlock {
  const columns = block.columns.map((entry): PackedBlockColumn => {
    if (!entry) return undefined;
    if ('raw' in entry) return { raw: { pool: map(entry.raw.pool), offsets: map(entry.raw.offsets), rows: entry.raw.rows } };
    const { column, stats } = entry.built;
    const packed = column.kind === 'dictionary' ? packedDictionary(column) : undefined;
    if (column.kind === 'dictionary' && packed) {
      // Not `column.dictionary`: reading it would decode every entry.
      const { kind, type, name, missing, codes } = column;
      const plain = { kind, type, name, missing: map(missing), codes: map(codes), dictionary: [] };
      return { built: { column: plain, stats }, strings: { pool: map(packed.pool), offsets: map(packed.offsets), count: packed.count, ascending: packed.ascending } };
    }
    return { built: { column: mapColumn(column, map), stats } };
  });
  return { ...block, rowLines: map(block.rowLines), columns };
}

function unpackBlock(block: PackedBlock): BlockResult {
  const columns = block.columns.map((entry) => {
    if (!entry || 'raw' in entry || !entry.strings) return entry;
    const { strings, built } = entry;
    const column = built.column;
    if (column.kind !== 'dictionary') return { built };
    const { kind, type, name, missing, codes } = column;
    const dictionary = withDictionary({ kind, type, name, missing, codes }, new PackedStrings(strings.pool, strings.offsets, strings.count, strings.ascending));
    return { built: { column: dictionary, stats: built.stats } };
  });
  return { ...block, columns };
}

/** In a block worker: serves parse requests and returns true; elsewhere: false. */
export function runBlockWorkerIfAsked(): boolean {
  if (isMainThread || !parentPort || (workerData as Record<string, unknown> | null)?.[MARKER] !== true) return false;
  const port = parentPort;
  const slabs = new SlabPool();
  const parser = new BlockParser();
  port.on('message', (request: Request) => {
    if ('slab' in request) {
      slabs.give(request.slab);
      return;
    }
    const { id, task } = request;
    try {
      // Copied into the slab before the parser takes the next block.
      const parsed = parser.parse(task);
      const { packed: block, slab } = slabs.packInto((copy) => packedBlock(parsed, copy));
      // The piece's buffer goes back too, for a later piece to be read into.
      if (task.bytes.buffer instanceof SharedArrayBuffer) block.spare = task.bytes.buffer;
      port.postMessage({ id, block, slab } satisfies Reply);
    } catch (error) {
      port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies Reply);
    }
  });
  return true;
}

interface Pending {
  resolve(block: BlockResult): void;
  reject(error: Error): void;
}

class BlockWorker {
  private worker: Worker | undefined;
  readonly pending = new Map<number, Pending>();

  constructor(private readonly script: string) {}

  post(id: number, task: BlockTask, pending: Pending): void {
    const worker = this.started();
    this.pending.set(id, pending);
    // Busy workers keep the process alive (a CLI awaiting a block); idle ones do not.
    worker.ref();
    // Shared memory is shared; a piece in an ArrayBuffer (the first of a file) is copied.
    worker.postMessage({ id, task } satisfies Request);
  }

  /** A merged block's slab, back to the worker that filled it. */
  private giveBack(slab: SharedArrayBuffer): void {
    this.worker?.postMessage({ slab } satisfies Request);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { workerData: { [MARKER]: true } });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply) pending.reject(new Error(reply.error));
      else {
        const { slab } = reply;
        pending.resolve({ ...unpackBlock(reply.block), release: () => this.giveBack(slab) });
      }
    });
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a data worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

/**
 * Block parsers: workers started from `script` (a bundle whose entry calls
 * `runBlockWorkerIfAsked()`), one per core by default, and the calling
 * thread, which parses a block when every worker has one queued (rare with
 * a worker per core; with one worker fewer than cores it takes about a
 * third of the blocks). Measured on two cores, the bench's 1M rows: two
 * workers ~400 ms; one worker and this thread ~480 ms for ~5 MB less at the
 * peak (the merging, on this thread, then waits for its own parsing).
 */
export class BlockWorkers {
  private readonly workers: BlockWorker[];
  private nextId = 1;
  /** Blocks given to the calling thread and not yet parsed. */
  private here = 0;
  /** Blocks the calling thread has parsed. */
  parsedHere = 0;

  constructor(script: string, count = Math.max(1, Math.min(4, availableParallelism()))) {
    this.workers = Array.from({ length: count }, () => new BlockWorker(script));
  }

  /** Blocks to keep in flight: one per parser (the workers and this thread) and one more, so none waits while the next block is read. */
  get inFlight(): number {
    return this.workers.length + 2;
  }

  /** How a load reads a file in blocks through these parsers (`tuning`: smaller blocks or files, for tests). */
  blockOptions(tuning: Pick<BlockOptions, 'pieceBytes' | 'minBytes'> = {}): BlockOptions {
    return { parse: this.parse, inFlight: this.inFlight, pieceBytes: BLOCK_BYTES, pieceBuffer: sharedBytes, ...tuning };
  }

  readonly parse: ParseBlock = (task) => {
    const worker = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    // This thread takes a block only when every worker has one queued behind the one it parses: a worker never waits while this thread parses.
    if (this.here === 0 && worker.pending.size >= 2) return this.parseHere(task);
    return new Promise<BlockResult>((resolve, reject) => {
      worker.post(this.nextId++, task, { resolve, reject });
    });
  };

  /** Parses on this thread, after what is queued (the next piece's read, replies of the workers). */
  private parseHere(task: BlockTask): Promise<BlockResult> {
    this.here++;
    return new Promise<BlockResult>((resolve, reject) => {
      setImmediate(() => {
        try {
          const block = parseBlock(task);
          this.parsedHere++;
          // The columns are copies: the bytes' buffer can take the next piece.
          resolve(task.bytes.buffer instanceof SharedArrayBuffer ? { ...block, spare: task.bytes.buffer } : block);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        } finally {
          this.here--;
        }
      });
    });
  }

  close(): void {
    for (const worker of this.workers) worker.close();
  }
}

/** The running bundle's path when it is one (dist/*.cjs); undefined when running from sources (tests). */
export function currentBundle(): string | undefined {
  return typeof __filename === 'string' && __filename.endsWith('.cjs') ? __filename : undefined;
}

let shared: BlockWorkers | undefined;

/**
 * Block workers for this process, started from dist/block-worker.cjs beside
 * its bundle (or from the bundle itself when that file is not there);
 * undefined when it runs from sources.
 */
export function sharedBlockWorkers(): BlockWorkers | undefined {
  const bundle = currentBundle();
  if (!bundle) return undefined;
  const workerBundle = join(dirname(bundle), 'block-worker.cjs');
  shared ??= new BlockWorkers(existsSync(workerBundle) ? workerBundle : bundle);
  return shared;
}

/** A piece of a file for the workers: in shared memory, so handing it over detaches nothing. */
function sharedBytes(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}

/** Bytes per block: blocks in flight hold less than with 4 MiB (~10 MB less at the peak), at the same speed. */
export const BLOCK_BYTES = 2 << 20;

/**
 * How this process loads large CSV/TSV files: in blocks on its worker
 * threads when it runs from a bundle and has more than one core, unless
 * SEGSPEC_LOAD_THREADS=off; undefined (one thread) otherwise. On 2 cores,
 * 1M rows (the bench): ~0.6× the time of one thread, and the engine stages
 * peak ~30 MB higher (the workers' isolates, their builders and slabs, the
 * pieces in flight).
 */
export function blockLoading(): BlockOptions | undefined {
  if (process.env.SEGSPEC_LOAD_THREADS === 'off' || availableParallelism() < 2) return undefined;
  return sharedBlockWorkers()?.blockOptions();
}
