// Bundles the CLI, the language server, the VS Code extension and the
// benchmark into CommonJS files under dist/ (chevrotain is ESM-only, so the
// bundles are what Node and VS Code load).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

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

const entries = [
  { in: 'server/src/cli/main.ts', out: 'dist/cli.cjs' },
  // The extension's server carries DuckDB's JavaScript API inside the bundle
  // (the .vsix then holds a few files of DuckDB, not hundreds); the native
  // binding stays a package beside it (scripts/package-vsix.mjs stages it).
  { in: 'server/src/lsp/main.ts', out: 'dist/server.cjs', external: ['vscode', '@duckdb/node-bindings', 'pg', 'hive-driver', 'playwright-core'] },
  { in: 'client/src/extension.ts', out: 'dist/extension.cjs' },
  { in: 'test/bench/bench.ts', out: 'dist/bench.cjs' },
  { in: 'test/fuzz/main.ts', out: 'dist/fuzz.cjs' },
];

await Promise.all(
  entries
    .filter((e) => existsSync(e.in))
    .map((e) => build({ ...common, ...(e.external ? { external: e.external } : {}), entryPoints: [e.in], outfile: e.out })),
);

// The HTML report inlines echarts; the installed package carries a copy beside
// the CLI bundle (cli/report/echarts-source.ts looks there), so `segspec report`
// needs no echarts dependency.
mkdirSync('dist', { recursive: true });
copyFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'dist/echarts.min.js');
