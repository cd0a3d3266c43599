// Packages the extension as segspec.vsix for the platform this runs on
// (`vsce package --target linux-x64` and so on), carrying DuckDB's native
// binding for that platform so the installed language server can run the
// checks on DuckDB (`segspec.engine`).
//
// DuckDB (@duckdb/node-api → @duckdb/node-bindings → the platform package)
// is copied from node_modules into dist/node_modules/, where Node's own
// resolution finds it from dist/server.cjs; `vsce --no-dependencies` drops only
// the top-level node_modules/, and .vscodeignore whitelists
// dist/node_modules/@duckdb/**. Only what runs is copied: JavaScript,
// package.json, the native files and the licences. The staged copy is removed
// again afterwards, so dist/ never shadows node_modules with a stale DuckDB.
//
// Without a binding package for this platform the .vsix is built without
// DuckDB and without a target (the editor then falls back to the embedded
// engine and logs why), and this script says so.
//
//   node scripts/package-vsix.mjs [extra vsce arguments]
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modules = join(root, 'node_modules');
const staged = join(root, 'dist', 'node_modules');
const out = 'segspec.vsix';

/** True on Linux with musl (Alpine): Node reports no glibc version there. */
function isMusl() {
  if (process.platform !== 'linux') return false;
  const report = /** @type {{ header?: { glibcVersionRuntime?: string } }} */ (process.report?.getReport() ?? {});
  return !report.header?.glibcVersionRuntime;
}

/**
 * The VS Code target of this machine and the name of DuckDB's binding package
 * for it (named like @duckdb/node-bindings/duckdb.js requires it).
 */
function platformTarget() {
  const musl = isMusl();
  const arch = process.arch;
  const target = musl ? `alpine-${arch}` : `${process.platform}-${arch}`;
  const binding = `@duckdb/node-bindings-${process.platform}-${arch}${musl ? '-musl' : ''}`;
  return { target, binding };
}

/** Files of an installed package that it needs at run time. */
function isRuntimeFile(file) {
  if (/(^|\/)(package\.json|LICEN[CS]E[^/]*)$/i.test(file)) return true;
  if (file.endsWith('.d.ts') || file.endsWith('.map')) return false;
  return /\.(c?js|node|so(\.\d+)*|dylib|dll)$/.test(file);
}

function listFiles(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full, base) : [relative(base, full).split('\\').join('/')];
  });
}

/** Copies the run-time files of each package into dist/node_modules/; returns their total size in bytes. */
function stagePackages(names) {
  rmSync(staged, { recursive: true, force: true });
  let bytes = 0;
  for (const name of names) {
    const from = join(modules, name);
    for (const file of listFiles(from).filter(isRuntimeFile)) {
      const to = join(staged, name, file);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(join(from, file), to);
      bytes += statSync(to).size;
    }
  }
  return bytes;
}

function vsce(args) {
  const bin = join(modules, '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [bin, 'package', ...args], { cwd: root, stdio: 'inherit' });
}

const common = ['--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '-o', out];
const extra = process.argv.slice(2);

// The preview webview loads echarts from the extension folder.
cpSync(join(modules, 'echarts', 'dist', 'echarts.min.js'), join(root, 'dist', 'echarts.min.js'));

const { target, binding } = platformTarget();
const duckdb = ['@duckdb/node-api', '@duckdb/node-bindings', binding];
const missing = duckdb.filter((name) => !existsSync(join(modules, name, 'package.json')));
if (missing.length > 0) {
  rmSync(staged, { recursive: true, force: true });
  console.warn(
    `package-vsix: no ${missing.join(', ')} in node_modules for ${target}: packaging WITHOUT DuckDB ` +
      '(the installed extension will use the embedded engine only).',
  );
  vsce([...common, ...extra]);
} else {
  try {
    const bytes = stagePackages(duckdb);
    console.log(`package-vsix: ${target}, with DuckDB (${duckdb.join(', ')}; ${(bytes / 1e6).toFixed(1)} MB uncompressed)`);
    vsce(['--target', target, ...common, ...extra]);
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
}
