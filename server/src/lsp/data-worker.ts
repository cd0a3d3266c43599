/**
 * Data files are parsed on a worker thread, so the server's thread keeps
 * answering completion, hover and symbols while a large file loads. The worker
 * runs the same bundle (dist/server.cjs) with a marker in its `workerData`;
 * it gets the file's bytes in shared memory (never transferred: a thread that
 * has had a buffer detached runs its typed-array loops slower from then on,
 * every segment's evaluation included) and sends back the parsed table
 * (see table-transfer.ts). A large CSV/TSV file is parsed there in blocks on
 * the block workers (node/block-workers.ts) it starts. Small files are parsed
 * in place: a round trip would cost more than it saves.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseDataBytes, type ParseData, type ParsedData } from '../core/data/index.js';
import { parseDataBytesInBlocks } from '../core/data/load.js';
import { blockLoading } from '../node/block-workers.js';
import type { DataFormat, FieldSpec } from '../core/data/index.js';
import { packParsed, unpackParsed, type PackedParsed } from './table-transfer.js';

/** Files smaller than this are parsed on the calling thread. */
export const WORKER_MIN_BYTES = 256 * 1024;

const MARKER = 'segspecDataWorker';

interface ParseRequest {
  id: number;
  /** In shared memory. */
  bytes: Uint8Array;
  format: DataFormat;
  specs: readonly FieldSpec[];
  keyField: string | undefined;
  missing: readonly string[];
}

type ParseReply = { id: number; parsed: PackedParsed } | { id: number; error: string };

/**
 * Hands the thread back so requests that arrived meanwhile are answered before
 * the work goes on. Two immediates, not one: the connection handles a message
 * read in the poll phase in an immediate queued after ours, so with one our
 * next slice would run first and every request would wait a whole slice more.
 */
export const pauseForRequests = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/** In the worker: serves parse requests and returns true; on the main thread: false. */
export function runDataWorkerIfAsked(): boolean {
  if (isMainThread || !parentPort || (workerData as Record<string, unknown> | null)?.[MARKER] !== true) return false;
  const port = parentPort;
  const blocks = blockLoading();
  port.on('message', async (request: ParseRequest) => {
    let reply: ParseReply;
    let transfer: ArrayBuffer[] = [];
    try {
      const { bytes } = request;
      const parsed = blocks
        ? await parseDataBytesInBlocks(bytes, request.format, request.specs, request.keyField, request.missing, blocks)
        : parseDataBytes(bytes, request.format, request.specs, request.keyField, request.missing);
      const packed = packParsed(parsed);
      reply = { id: request.id, parsed: packed.message };
      transfer = packed.transfer;
    } catch (error) {
      reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply, transfer);
  });
  return true;
}

function inSharedMemory(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  return shared;
}

interface Pending {
  resolve(parsed: PackedParsed): void;
  reject(error: Error): void;
}

/** One worker for the server's lifetime (started on first use, restarted after a failure). */
export class WorkerParser {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly script: string) {}

  readonly parse: ParseData = async (bytes, format, specs, keyField, missing): Promise<ParsedData> => {
    if (bytes.length < WORKER_MIN_BYTES) return parseDataBytes(bytes, format, specs, keyField, missing);
    const id = this.nextId++;
    // The file-system host reads large files into shared memory; other bytes are copied there.
    const request: ParseRequest = { id, bytes: inSharedMemory(bytes), format, specs, keyField, missing };
    const packed = await new Promise<PackedParsed>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.started().postMessage(request);
    });
    return unpackParsed(packed, pauseForRequests);
  };

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { workerData: { [MARKER]: true } });
    worker.unref();
    worker.on('message', (reply: ParseReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if ('error' in reply) pending.reject(new Error(reply.error));
      else pending.resolve(reply.parsed);
    });
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the data worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
