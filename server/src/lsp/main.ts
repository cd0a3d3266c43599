/**
 * Entry of dist/server.cjs. The transport comes from the command line, as
 * language clients pass it: `--node-ipc` (VS Code), `--stdio`, `--socket=N`.
 * The same file runs the server's data-parsing worker thread.
 */
import { startServerOnProcess } from './server.js';
import { runDataWorkerIfAsked } from './data-worker.js';

if (!runDataWorkerIfAsked()) startServerOnProcess();
