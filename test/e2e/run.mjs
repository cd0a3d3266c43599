// Entry point of `npm run test:e2e`: bundles the TypeScript harness
// (test/e2e/main.ts) with esbuild into out/e2e/ and runs it. Arguments are
// passed through (--skip-build, --only a-valid-file,d-hover, --keep).
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = join(repoRoot, 'out', 'e2e', 'main.mjs');

await build({
  entryPoints: [join(repoRoot, 'test', 'e2e', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'inline',
  logLevel: 'warning',
  // Loaded from node_modules at run time (native code); DuckDB only by the scenario that writes Parquet.
  external: ['playwright-core', 'esbuild', '@duckdb/node-api'],
});

const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(repoRoot, process.argv.slice(2));
