// The esbuild options of every bundle under dist/: scripts/build.mjs builds
// them all, and the language-server tests rebuild dist/server.cjs with the
// same options when a source is newer (test/lsp/harness.ts).
const common = {
  bundle: true,
  platform: 'node',
  // ESM entries first: jsonc-parser's CommonJS entry (a UMD wrapper) requires its own files at run time, which a bundle cannot.
  mainFields: ['module', 'main'],
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // The database drivers are optional dependencies of the npm package, loaded
  // at run time from node_modules only for `--engine` (see cli/engines.ts).
  external: ['vscode', '@duckdb/node-api', 'pg', 'hive-driver', 'playwright-core'],
};

export const entries = [
  { in: 'server/src/cli/main.ts', out: 'dist/cli.cjs' },
  // The extension's server carries DuckDB's JavaScript API inside the bundle
  // (the .vsix then holds a few files of DuckDB, not hundreds); the native
  // binding stays a package beside it (scripts/package-vsix.mjs stages it).
  { in: 'server/src/lsp/main.ts', out: 'dist/server.cjs', external: ['vscode', '@duckdb/node-bindings', 'pg', 'hive-driver', 'playwright-core'] },
  // The block workers of the CLI and the server (node/block-workers.ts): the CSV reader alone.
  { in: 'server/src/node/block-worker-main.ts', out: 'dist/block-worker.cjs' },
  { in: 'client/src/extension.ts', out: 'dist/extension.cjs' },
  { in: 'test/bench/bench.ts', out: 'dist/bench.cjs' },
  { in: 'test/fuzz/main.ts', out: 'dist/fuzz.cjs' },
];

/** The esbuild options of one entry (paths relative to the repository root). */
export function bundleOptions(entry) {
  return { ...common, ...(entry.external ? { external: entry.external } : {}), entryPoints: [entry.in], outfile: entry.out };
}

/** The options of the bundle written to `out` (e.g. 'dist/server.cjs'). */
export function bundleOptionsFor(out) {
  const entry = entries.find((e) => e.out === out);
  if (!entry) throw new Error(`no bundle is written to ${out}`);
  return bundleOptions(entry);
}
