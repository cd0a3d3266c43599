/**
 * Worker threads that parse blocks of CSV/TSV files (core/data/blocks.ts),
 * so a large file is parsed on every core. Each worker runs the same bundle
 * as the process (dist/cli.cjs, dist/server.cjs, dist/bench.cjs) with a
 * marker in its `workerData`; the bundle's entry calls
 * `runBlockWorkerIfAsked()` first. Column buffers travel both ways by
 * transfer, and a large dictionary as one byte pool (never a million strings).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type BlockOptions, parseBlock, type BlockResult, type BlockTask, type ParseBlock } from '../core/data/blocks.js';
import type { BuiltColumn } from '../core/data/builders.js';
import { PackedStrings, packedDictionary, withDictionary } from '../core/data/packed-strings.js';
import { columnBuffers } from '../core/data/table.js';

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

interface PackedBlock extends Omit<BlockResult, 'columns'> {
  columns: PackedBlockColumn[];
}

type Reply = { id: number; block: PackedBlock } | { id: number; error: string };

function packBlock(block: BlockResult): { block: PackedBlock; transfer: ArrayBuffer[] } {
  const buffers = new Set<ArrayBufferLike>([block.rowLines.buffer]);
  const columns = block.columns.map((entry): PackedBlockColumn => {
    if (!entry) return undefined;
    if ('raw' in entry) {
      buffers.add(entry.raw.pool.buffer);
      buffers.add(entry.raw.offsets.buffer);
      return entry;
    }
    const { column, stats } = entry.built;
    for (const buffer of columnBuffers(column)) buffers.add(buffer);
    const packed = column.kind === 'dictionary' ? packedDictionary(column) : undefined;
    if (column.kind === 'dictionary' && packed) {
      buffers.add(packed.pool.buffer);
      buffers.add(packed.offsets.buffer);
      const { kind, type, name, missing, codes } = column;
      return { built: { column: { kind, type, name, missing, codes, dictionary: [] }, stats }, strings: { pool: packed.pool, offsets: packed.offsets, count: packed.count, ascending: packed.ascending } };
    }
    return { built: { column, stats } };
  });
  const transfer = [...buffers].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  return { block: { ...block, columns }, transfer };
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
  port.on('message', ({ id, task }: { id: number; task: BlockTask }) => {
    try {
      const { block, transfer } = packBlock(parseBlock(task));
      // The block's buffer goes back too, for the next piece to be read into.
      const spare = task.bytes.buffer;
      if (spare instanceof ArrayBuffer && !transfer.includes(spare)) {
        block.spare = spare;
        transfer.push(spare);
      }
      port.postMessage({ id, block } satisfies Reply, transfer);
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
    const transfer = task.bytes.buffer instanceof ArrayBuffer ? [task.bytes.buffer] : [];
    worker.postMessage({ id, task }, transfer);
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
      else pending.resolve(unpackBlock(reply.block));
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
 * third of the blocks). Measured on two cores, 1M rows, load alone: two
 * workers ~440 ms and 270 MB at the peak; one worker and this thread
 * ~525 ms and 255 MB, and slower than one thread when the machine is busy
 * (in-order merging waits on whichever parser lags).
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
          const spare = task.bytes.buffer;
          resolve(spare instanceof ArrayBuffer ? { ...block, spare } : block);
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

/** Bytes per block: blocks in flight hold less than with 4 MiB (~10 MB less at the peak), at the same speed. */
export const BLOCK_BYTES = 2 << 20;

/**
 * How this process loads large CSV/TSV files: in blocks on its worker
 * threads and this thread when SEGSPEC_LOAD_THREADS=on, it runs from a
 * bundle and has more than one core; undefined (one thread) otherwise. Off
 * by default: on a 2-core machine the bench's engine stages still peak
 * ~50 MB higher than with one thread (the workers' isolates, blocks in
 * flight, their columns allocated per block and collected late).
 */
export function blockLoading(): BlockOptions | undefined {
  if (process.env.SEGSPEC_LOAD_THREADS !== 'on' || availableParallelism() < 2) return undefined;
  const workers = sharedBlockWorkers();
  return workers ? { parse: workers.parse, inFlight: workers.inFlight, pieceBytes: BLOCK_BYTES } : undefined;
}
