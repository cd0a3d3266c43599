/**
 * Entry of dist/block-worker.cjs: a block worker thread (block-workers.ts)
 * with only the CSV reader loaded. Starting a worker from the CLI's or the
 * server's bundle would first build everything they hold (the spec parser,
 * the schemas), hundreds of milliseconds of a core per worker.
 */
import { runBlockWorkerIfAsked } from './block-workers.js';

runBlockWorkerIfAsked();
