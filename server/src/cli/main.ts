/**
 * Entry of dist/cli.cjs (the `segspec` bin). Everything else lives in
 * `run`, which tests can call in-process.
 */
import { run } from './cli.js';
import { processIO } from './io.js';
// `segspec lsp` parses data files and runs discovery on the server's worker threads, which run this same bundle.
import { runDataWorkerIfAsked } from '../lsp/data-worker.js';
import { runDiscoverWorkerIfAsked } from '../lsp/discover-worker.js';
import { runBlockWorkerIfAsked } from '../node/block-workers.js';

if (!runDataWorkerIfAsked() && !runDiscoverWorkerIfAsked() && !runBlockWorkerIfAsked()) main();

function main(): void {
  // `segspec stats | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });

  run(process.argv.slice(2), processIO()).then(
    (code) => {
      // `lsp` keeps running on its own (KEEP_RUNNING); every other command ends here.
      if (code >= 0) process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`segspec: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
