// Bundles the CLI, the language server, the VS Code extension and the
// benchmark into CommonJS files under dist/ (chevrotain is ESM-only, so the
// bundles are what Node and VS Code load).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bundleOptions, entries } from './bundles.mjs';

await Promise.all(
  entries.filter((e) => existsSync(e.in)).map((e) => build(bundleOptions(e))),
);

// The HTML report inlines echarts; the installed package carries a copy beside
// the CLI bundle (cli/report/echarts-source.ts looks there), so `segspec report`
// needs no echarts dependency.
mkdirSync('dist', { recursive: true });
copyFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'dist/echarts.min.js');
