/**
 * Entry of dist/server.cjs. The transport comes from the command line, as
 * language clients pass it: `--node-ipc` (VS Code), `--stdio`, `--socket=N`.
 * The same file runs the server's worker threads (data parsing and its blocks, discovery).
 */
import { startServerOnProcess } from './server.js';
import { runDataWorkerIfAsked } from './data-worker.js';
import { runDiscoverWorkerIfAsked } from './discover-worker.js';
import { runBlockWorkerIfAsked } from '../node/block-workers.js';

if (!runDataWorkerIfAsked() && !runDiscoverWorkerIfAsked() && !runBlockWorkerIfAsked()) startServerOnProcess();
