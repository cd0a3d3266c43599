// Entry point of `npm run test:desktop`: bundles the extension-host suite
// (test/desktop/suite.ts → out/desktop/suite.cjs) and its runner, then runs it
// in the VS Code named by VSCODE_EXECUTABLE_PATH (or, with --code-server, in
// the cached code-server); without either it prints why it skipped.
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(repoRoot, 'out', 'desktop');
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'inline', logLevel: 'warning' };

await Promise.all([
  build({
    ...common,
    entryPoints: [join(repoRoot, 'test', 'desktop', 'suite.ts')],
    outfile: join(out, 'suite.cjs'),
    format: 'cjs',
    external: ['vscode'],
  }),
  build({
    ...common,
    entryPoints: [join(repoRoot, 'test', 'desktop', 'main.ts')],
    outfile: join(out, 'main.mjs'),
    format: 'esm',
    external: ['@vscode/test-electron', 'playwright-core', 'esbuild'],
  }),
]);

const { main } = await import(pathToFileURL(join(out, 'main.mjs')).href);
process.exitCode = await main(repoRoot, join(out, 'suite.cjs'), process.argv.slice(2));
