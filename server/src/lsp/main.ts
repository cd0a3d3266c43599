/**
 * Entry of dist/server.cjs. The transport comes from the command line, as
 * language clients pass it: `--node-ipc` (VS Code), `--stdio`, `--socket=N`.
 */
import { startServerOnProcess } from './server.js';

startServerOnProcess();
