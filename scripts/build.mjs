// Bundles the CLI, the language server, the VS Code extension and the
// benchmark into CommonJS files under dist/ (chevrotain is ESM-only, so the
// bundles are what Node and VS Code load).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // Native and heavy optional engines are loaded at run time from node_modules.
  external: ['vscode', '@duckdb/node-api', 'pg', 'playwright-core'],
};

const entries = [
  { in: 'server/src/cli/main.ts', out: 'dist/cli.cjs' },
  { in: 'server/src/lsp/main.ts', out: 'dist/server.cjs' },
  { in: 'client/src/extension.ts', out: 'dist/extension.cjs' },
  { in: 'test/bench/bench.ts', out: 'dist/bench.cjs' },
];

await Promise.all(
  entries
    .filter((e) => existsSync(e.in))
    .map((e) => build({ ...common, entryPoints: [e.in], outfile: e.out })),
);
