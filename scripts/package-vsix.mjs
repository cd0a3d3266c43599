// Packages the VS Code extension, one platform-specific .vsix per target
// (`vsce package --target …`), each carrying DuckDB's native binding for that
// platform so the installed language server can run the checks on DuckDB
// (`segspec.engine`).
//
//   node scripts/package-vsix.mjs                 this machine's target → segspec.vsix
//   node scripts/package-vsix.mjs --target T …    those targets → dist/vsix/segspec-T-VERSION.vsix
//   node scripts/package-vsix.mjs --all           every target DuckDB ships a binding for
//   (anything else is passed on to vsce)
//
// vsce runs in a staging folder, not in the repository: package.json's `files`
// list is the npm package's, and vsce refuses a manifest with both `files` and
// a .vscodeignore. The stage gets the paths .vscodeignore lets in, a manifest
// without `files` and the npm-only fields, and DuckDB's native side
// (@duckdb/node-bindings, detect-libc and the target's binding package; the
// JavaScript API is inside dist/server.cjs, see build.mjs) under
// dist/node_modules/, where Node's resolution finds it from dist/server.cjs.
// Only what runs is copied: JavaScript, package.json, native files, licences.
//
// The Marketplace README is docs/extension.md (copied in as README.md), its
// images linked from the repository's docs/ folder.
//
// A binding package for another platform is not in node_modules (npm installs
// only this machine's); it is fetched with `npm pack` from the registry, at the
// version @duckdb/node-bindings pins, into node_modules/.cache/segspec-vsix/.
// Without the binding for this machine (and no --target), the .vsix is built
// without DuckDB and without a target, and this script says so.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modules = join(root, 'node_modules');
const fetched = join(modules, '.cache', 'segspec-vsix');

/** VS Code targets → DuckDB's binding package (named like @duckdb/node-bindings/duckdb.js requires it). */
export const TARGETS = {
  'linux-x64': '@duckdb/node-bindings-linux-x64',
  'linux-arm64': '@duckdb/node-bindings-linux-arm64',
  'alpine-x64': '@duckdb/node-bindings-linux-x64-musl',
  'alpine-arm64': '@duckdb/node-bindings-linux-arm64-musl',
  'darwin-x64': '@duckdb/node-bindings-darwin-x64',
  'darwin-arm64': '@duckdb/node-bindings-darwin-arm64',
  'win32-x64': '@duckdb/node-bindings-win32-x64',
  'win32-arm64': '@duckdb/node-bindings-win32-arm64',
};

/** True on Linux with musl (Alpine): Node reports no glibc version there. */
function isMusl() {
  if (process.platform !== 'linux') return false;
  const report = /** @type {{ header?: { glibcVersionRuntime?: string } }} */ (process.report?.getReport() ?? {});
  return !report.header?.glibcVersionRuntime;
}

function hostTarget() {
  return isMusl() ? `alpine-${process.arch}` : `${process.platform}-${process.arch}`;
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

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The folder holding `name`: node_modules, else a copy fetched from the registry with `npm pack`. */
function packageDir(name, version) {
  const installed = join(modules, name);
  if (existsSync(join(installed, 'package.json')) && readJson(join(installed, 'package.json')).version === version) return installed;
  const dir = join(fetched, `${name.replace('/', '+')}@${version}`);
  if (!existsSync(join(dir, 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    console.log(`package-vsix: fetching ${name}@${version} (npm pack)`);
    const tgz = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', dir], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', join(dir, tgz), '-C', dir, '--strip-components=1']);
    rmSync(join(dir, tgz));
  }
  return dir;
}

/** Copies the run-time files of each package into the stage's dist/node_modules/; returns their size in bytes. */
function stagePackages(stage, packages) {
  let bytes = 0;
  for (const [name, from] of packages) {
    for (const file of listFiles(from).filter(isRuntimeFile)) {
      const to = join(stage, 'dist', 'node_modules', name, file);
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(join(from, file), to);
      bytes += statSync(to).size;
    }
  }
  return bytes;
}

/**
 * A staging folder with what .vscodeignore lets in (each `!pattern` up to its
 * first wildcard is copied; vsce applies the exact patterns again there) and
 * the extension's manifest.
 */
function makeStage() {
  const stage = mkdtempSync(join(tmpdir(), 'segspec-vsix-'));
  const patterns = readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1));
  for (const pattern of patterns) {
    const fixed = pattern.split('/').filter((_, i, parts) => !parts.slice(0, i + 1).some((p) => p.includes('*'))).join('/');
    if (!fixed || fixed === 'package.json' || !existsSync(join(root, fixed))) continue;
    cpSync(join(root, fixed), join(stage, fixed), { recursive: true });
  }
  copyFileSync(join(root, '.vscodeignore'), join(stage, '.vscodeignore'));
  // The Marketplace page is the extension's own README (the repository's is for developers).
  copyFileSync(join(root, 'docs', 'extension.md'), join(stage, 'README.md'));
  const manifest = readJson(join(root, 'package.json'));
  // The npm package's fields; vsce would otherwise run scripts or refuse `files`.
  for (const key of ['files', 'bin', 'scripts', 'devDependencies', 'optionalDependencies', 'overrides']) delete manifest[key];
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  return stage;
}

function vsce(cwd, args) {
  const bin = join(modules, '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [bin, 'package', ...args], { cwd, stdio: 'inherit' });
}

/** Packages one .vsix; `target` undefined = without DuckDB, for any platform. */
function packageOne(target, out, extra) {
  mkdirSync(dirname(resolve(root, out)), { recursive: true });
  const stage = makeStage();
  try {
    // docs/extension.md's relative links (images/…) point into docs/ of the repository.
    const repository = readJson(join(root, 'package.json')).repository.url.replace(/\.git$/, '');
    const links = ['--baseContentUrl', `${repository}/blob/HEAD/docs`, '--baseImagesUrl', `${repository}/raw/HEAD/docs`];
    const common = ['--no-dependencies', ...links, '-o', resolve(root, out)];
    if (!target) {
      vsce(stage, [...common, ...extra]);
      return;
    }
    const bindingsVersion = readJson(join(modules, '@duckdb', 'node-bindings', 'package.json')).version;
    const packages = [
      ['@duckdb/node-bindings', join(modules, '@duckdb/node-bindings')],
      ['detect-libc', join(modules, 'detect-libc')],
      [TARGETS[target], packageDir(TARGETS[target], bindingsVersion)],
    ];
    const bytes = stagePackages(stage, packages);
    console.log(`package-vsix: ${target}, with DuckDB (${packages.map(([n]) => n).join(', ')}; ${(bytes / 1e6).toFixed(1)} MB uncompressed)`);
    vsce(stage, ['--target', target, ...common, ...extra]);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const targets = [];
const extra = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--all') targets.push(...Object.keys(TARGETS));
  else if (args[i] === '--target') targets.push(...String(args[++i] ?? '').split(',').filter(Boolean));
  else extra.push(args[i]);
}
for (const t of targets) {
  if (!(t in TARGETS)) {
    console.error(`package-vsix: unknown target '${t}' (one of ${Object.keys(TARGETS).join(', ')})`);
    process.exit(2);
  }
}

// The preview webview loads echarts from the extension folder (the build copies it to dist/).
if (!existsSync(join(root, 'dist', 'echarts.min.js'))) cpSync(join(modules, 'echarts', 'dist', 'echarts.min.js'), join(root, 'dist', 'echarts.min.js'));

if (targets.length > 0) {
  const { version } = readJson(join(root, 'package.json'));
  for (const target of targets) packageOne(target, join('dist', 'vsix', `segspec-${target}-${version}.vsix`), extra);
} else {
  const target = hostTarget();
  const duckdb = ['@duckdb/node-bindings', TARGETS[target]].filter(Boolean);
  const missing = TARGETS[target] ? duckdb.filter((name) => !existsSync(join(modules, name, 'package.json'))) : [`a DuckDB binding for ${target}`];
  if (missing.length > 0) {
    console.warn(
      `package-vsix: no ${missing.join(', ')} in node_modules for ${target}: packaging WITHOUT DuckDB ` +
        '(the installed extension will use the embedded engine only).',
    );
    packageOne(undefined, 'segspec.vsix', extra);
  } else {
    packageOne(target, 'segspec.vsix', extra);
  }
}
