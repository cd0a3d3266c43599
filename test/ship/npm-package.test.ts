/**
 * The npm package as a user gets it: `npm pack` of this checkout, installed
 * with `npm install --save-dev ./segspec-*.tgz` into a fresh project outside
 * the repository, then every command run through `npx segspec` with Node and
 * nothing else — once without the optional database drivers (`--omit=optional`)
 * and once with them.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, installedProject, packTarball, removeDir, repoRoot, run } from './helpers.js';

const DRIVERS = { duckdb: '@duckdb/node-api', postgres: 'pg', spark: 'hive-driver' } as const;
const UNREACHABLE_DB = { postgres: 'postgres://nobody@127.0.0.1:9/none', spark: 'hive://127.0.0.1:9' } as const;

let tarball: string;
beforeAll(() => {
  tarball = packTarball();
}, 120_000);
afterAll(() => removeDir(join(tarball, '..')));

const npx = (dir: string, args: string[], input?: string) => run('npx', ['--no-install', 'segspec', ...args], { cwd: dir, input });

describe('npm pack', () => {
  it('holds the bundled command, its licence and nothing of the sources', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'bin/segspec.cjs', 'dist/cli.cjs', 'dist/echarts.min.js']));
    expect(files.filter((f) => /^(server|client|test|samples|scripts|node_modules)\//.test(f) || f.endsWith('.ts') || f.endsWith('.map'))).toEqual([]);
  });

  it('has the metadata a registry page shows and needs no dependency but the optional drivers', () => {
    const manifest = JSON.parse(execFileSync('tar', ['xzfO', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(manifest.private).toBeUndefined();
    expect(manifest.name).toBe('segspec');
    expect(String(manifest.description).length).toBeGreaterThan(20);
    expect(manifest.license).toBe('MIT');
    expect((manifest.keywords as string[]).length).toBeGreaterThan(3);
    expect((manifest.repository as { url: string }).url).toMatch(/^https:\/\//);
    expect(manifest.homepage).toMatch(/^https:\/\//);
    expect((manifest.bugs as { url: string }).url).toMatch(/^https:\/\//);
    expect((manifest.engines as { node: string }).node).toBe('>=20');
    expect(manifest.bin).toEqual({ segspec: './bin/segspec.cjs' });
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.optionalDependencies as object).sort()).toEqual(Object.values(DRIVERS).sort());
    const licence = execFileSync('tar', ['xzfO', tarball, 'package/LICENSE'], { encoding: 'utf8' });
    expect(licence).toMatch(/^MIT License/);
  });
});

describe('installed without the optional drivers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await installedProject(tarball, { omitOptional: true });
    cpSync(join(repoRoot, 'samples/productivity'), join(dir, 'specs'), { recursive: true });
  }, 180_000);
  afterAll(() => removeDir(dir));

  it('installed no driver and nothing from this repository', () => {
    for (const pkg of Object.values(DRIVERS)) expect(existsSync(join(dir, 'node_modules', pkg)), pkg).toBe(false);
    expect(readFileSync(join(dir, 'node_modules/.bin/segspec'), 'utf8')).toContain('dist');
  });

  it('runs --version and check', async () => {
    const version = await npx(dir, ['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toContain(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);
    const check = await npx(dir, ['check', 'specs']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    const specFiles = readdirSync(join(dir, 'specs')).filter((f) => f.endsWith('.segspec')).length;
    expect(specFiles).toBeGreaterThan(0);
    expect(check.stdout).toContain(`no problems (${specFiles} files in 1 workspace)`);
  });

  it('runs stats, report, explain and sql', async () => {
    const stats = await npx(dir, ['stats', 'specs', '--format', 'json']);
    expect(stats.code).toBe(0);
    expect(JSON.stringify(JSON.parse(stats.stdout))).toContain('freelancers');
    const report = await npx(dir, ['report', 'specs', '--out', 'report.html']);
    expect(report.code).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('freelancers');
    expect(html).toMatch(/echarts/); // the chart library is inlined from the package's own copy
    const explain = await npx(dir, ['explain', 'freelancers', '--key', 'u00042', 'specs']);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toMatch(/u00042 .* (is|is not) a member of freelancers/);
    const sql = await npx(dir, ['sql', 'freelancers', '--dialect', 'postgres', 'specs']);
    expect(sql.code).toBe(0);
    expect(sql.stdout).toMatch(/"plan" <>/);
  });

  it('runs init and fmt', async () => {
    const init = await npx(dir, ['init', 'fresh']);
    expect(init.code).toBe(0);
    expect(existsSync(join(dir, 'fresh/segments.segspec'))).toBe(true);
    expect((await npx(dir, ['check', 'fresh'])).code).toBe(0);
    const fmt = await npx(dir, ['fmt', 'specs']);
    expect(fmt.code).toBe(0);
    const again = await npx(dir, ['fmt', '--check', 'specs']);
    expect(again.code).toBe(0);
  });

  it('runs the language server over stdio', async () => {
    const child = spawn('npx', ['--no-install', 'segspec', 'lsp', '--stdio'], { cwd: dir, env: cleanEnv() });
    const send = (msg: object) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...msg });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    let buffer = '';
    const initialized = new Promise<{ capabilities: Record<string, unknown> }>((resolvePromise, reject) => {
      child.on('error', reject);
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        buffer += d;
        const m = /Content-Length: (\d+)\r\n\r\n/.exec(buffer);
        if (!m) return;
        const body = buffer.slice(m.index + m[0].length, m.index + m[0].length + Number(m[1]));
        if (body.length < Number(m[1])) return;
        const msg = JSON.parse(body) as { id?: number; result?: { capabilities: Record<string, unknown> } };
        if (msg.id === 1 && msg.result) resolvePromise(msg.result);
      });
    });
    send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    const result = await initialized;
    expect(result.capabilities).toHaveProperty('hoverProvider');
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    send({ id: 2, method: 'shutdown' });
    send({ method: 'exit' });
    expect(await exited).toBe(0);
  });

  for (const [engine, pkg] of Object.entries(DRIVERS)) {
    it(`says in one line to install ${pkg} for --engine ${engine}`, async () => {
      const db = engine in UNREACHABLE_DB ? ['--db', UNREACHABLE_DB[engine as keyof typeof UNREACHABLE_DB]] : [];
      const r = await npx(dir, ['check', 'specs', '--engine', engine, ...db]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([`segspec: --engine ${engine} needs the optional package '${pkg}', which is not installed: npm install ${pkg}`]);
    });
  }
});

describe('installed with the optional drivers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await installedProject(tarball, { omitOptional: false });
    cpSync(join(repoRoot, 'samples/productivity'), join(dir, 'specs'), { recursive: true });
  }, 180_000);
  afterAll(() => removeDir(dir));

  it('checks on DuckDB with the same result as the embedded engine', async () => {
    for (const pkg of Object.values(DRIVERS)) expect(existsSync(join(dir, 'node_modules', pkg)), pkg).toBe(true);
    const embedded = await npx(dir, ['stats', 'specs', '--format', 'json']);
    const duckdb = await npx(dir, ['stats', 'specs', '--format', 'json', '--engine', 'duckdb']);
    expect(duckdb.stderr).toBe('');
    expect(duckdb.code).toBe(0);
    const sizes = (out: string) => (JSON.parse(out) as { segments: { name: string; size: number }[] }).segments.map((s) => `${s.name}=${s.size}`);
    expect(sizes(duckdb.stdout).length).toBeGreaterThan(5);
    expect(sizes(duckdb.stdout)).toEqual(sizes(embedded.stdout));
  });

  for (const engine of ['postgres', 'spark'] as const) {
    it(`loads the ${DRIVERS[engine]} driver for --engine ${engine} (and reports the unreachable server)`, async () => {
      const r = await npx(dir, ['check', 'specs', '--engine', engine, '--db', UNREACHABLE_DB[engine]]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^segspec: cannot reach ${engine} at .*ECONNREFUSED`));
    });
  }
});
