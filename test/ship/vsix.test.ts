/**
 * The VS Code extension package for this machine's platform, as
 * `scripts/package-vsix.mjs --target T` builds it for the Marketplace and
 * Open VSX: vsce does not warn, the manifest carries what the galleries show
 * (icon, banner, categories, keywords, repository, licence), the package holds
 * the Marketplace README, CHANGELOG, licence and DuckDB's native binding for
 * the target, and nothing of the npm package or the sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../cli/helpers.js';
import { cleanEnv, repoRoot, run } from './helpers.js';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  icon: string;
  galleryBanner: { color: string; theme: string };
};
const hostTarget = `${process.platform}-${process.arch}`;
const supported = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'].includes(hostTarget);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the Marketplace metadata', () => {
  it('has an icon of at least 128×128 pixels and a gallery banner', () => {
    const { width, height } = pngSize(join(repoRoot, manifest.icon));
    expect(width).toBeGreaterThanOrEqual(128);
    expect(height).toBe(width);
    expect(manifest.galleryBanner.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(['dark', 'light']).toContain(manifest.galleryBanner.theme);
  });

  it('shows screenshots that exist in the repository and are small', () => {
    const readme = readFileSync(join(repoRoot, 'docs/extension.md'), 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)].map((m) => m[1]);
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const image of images) {
      const file = join(repoRoot, 'docs', image);
      expect(existsSync(file), image).toBe(true);
      expect(statSync(file).size, image).toBeLessThan(250_000);
    }
  });
});

describe.runIf(supported)(`the .vsix for ${hostTarget}`, () => {
  const vsix = join(repoRoot, 'dist/vsix', `segspec-${hostTarget}-${manifest.version}.vsix`);
  let output: string;
  let files: string[];
  beforeAll(async () => {
    ensureBuilt();
    const r = await run(process.execPath, ['scripts/package-vsix.mjs', '--target', hostTarget], { cwd: repoRoot, env: cleanEnv() });
    output = r.stdout + r.stderr;
    expect(r.code, output).toBe(0);
    files = execFileSync('zipinfo', ['-1', vsix], { encoding: 'utf8' }).trim().split('\n');
  }, 300_000);

  it('is packaged without a warning from vsce', () => {
    expect(output).toMatch(/DONE\s+Packaged: .*segspec-/);
    expect(output).not.toMatch(/WARNING|WARN\b|ERROR/);
  });

  it('says what the galleries show', () => {
    const inside = JSON.parse(execFileSync('unzip', ['-p', vsix, 'extension/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(inside).toMatchObject({ name: 'segspec', publisher: 'segspec', license: 'MIT', icon: manifest.icon, galleryBanner: manifest.galleryBanner });
    expect((inside.categories as string[]).length).toBeGreaterThanOrEqual(2);
    expect((inside.keywords as string[]).length).toBeGreaterThanOrEqual(3);
    expect((inside.repository as { url: string }).url).toMatch(/^https:\/\/github\.com\//);
    for (const npmOnly of ['files', 'bin', 'scripts', 'devDependencies', 'optionalDependencies']) expect(inside).not.toHaveProperty(npmOnly);
    const vsixManifest = execFileSync('unzip', ['-p', vsix, 'extension.vsixmanifest'], { encoding: 'utf8' });
    expect(vsixManifest).toContain(`TargetPlatform="${hostTarget}"`);
    expect(vsixManifest).toContain('Microsoft.VisualStudio.Services.Icons.Default');
  });

  it('holds the Marketplace README with absolute image links, the CHANGELOG, the licence and the icon', () => {
    expect(files).toEqual(expect.arrayContaining(['extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt', `extension/${manifest.icon}`]));
    const readme = execFileSync('unzip', ['-p', vsix, 'extension/readme.md'], { encoding: 'utf8' });
    expect(readme).toMatch(/^# Segspec for VS Code/);
    expect(readme).toMatch(/!\[[^\]]+\]\(https:\/\/github\.com\/[^)]+\/raw\/HEAD\/docs\/images\/hover\.jpg\)/);
  });

  it('carries the bundles and DuckDB for the target, and nothing of the npm package or the sources', () => {
    expect(files).toEqual(expect.arrayContaining(['extension/dist/extension.cjs', 'extension/dist/server.cjs', 'extension/dist/echarts.min.js']));
    expect(files.some((f) => f.startsWith(`extension/dist/node_modules/@duckdb/node-bindings-${hostTarget}/`) && f.endsWith('duckdb.node'))).toBe(true);
    expect(files.filter((f) => /\.map$|\.ts$|dist\/cli\.cjs|^extension\/(server|test|samples|bin)\//.test(f))).toEqual([]);
    expect(files.length).toBeLessThan(60);
  });
});
