/**
 * An independent LSP client: headless Neovim (Debian's `neovim`, built-in LSP
 * client) starts `segspec lsp --stdio` on a copy of samples/productivity, opens
 * a file with a misspelled field, and we read back what it received.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../server/src/core/workspace.js';
import { NodeHost } from '../../server/src/node/fs-host.js';

const repo = resolve(__dirname, '../..');
const nvim = spawnSync('nvim', ['--version']).status === 0;

interface Received {
  diagnostics: Array<{ uri: string; diagnostics: Array<{ code: string; message: string; range: { start: { line: number } } }> }>;
  hover: { contents: { value?: string } | string } | null;
  log: string[];
}

describe.skipIf(!nvim)('Neovim as a client of `segspec lsp --stdio`', () => {
  let received: Received;
  let file: string;
  let studentsSize: number;

  beforeAll(async () => {
    if (!existsSync(join(repo, 'dist/cli.cjs'))) execFileSync('npm', ['run', 'build'], { cwd: repo });
    const root = mkdtempSync(join(tmpdir(), 'segspec-nvim-'));
    cpSync(join(repo, 'samples/productivity'), root, { recursive: true });
    file = join(root, 'typo.segspec');
    writeFileSync(file, 'segment typo_check {\n  where plann == "pro" and students\n}\n');
    const out = join(root, 'received.json');
    const run = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '-u', join(__dirname, 'init.lua'), file], {
      env: {
        ...process.env,
        SEGSPEC_NVIM_OUT: out,
        SEGSPEC_BIN: join(repo, 'bin/segspec.cjs'),
        SEGSPEC_ROOT: root,
        SEGSPEC_HOVER_LINE: '1',
        SEGSPEC_HOVER_COL: '30',
      },
      timeout: 60_000,
      encoding: 'utf8',
    });
    if (!existsSync(out)) throw new Error(`Neovim wrote nothing (status ${run.status}): ${run.stderr}`);
    received = JSON.parse(readFileSync(out, 'utf8')) as Received;
    const analysis = await new Workspace(new NodeHost(), root).analyze();
    studentsSize = analysis.results.segments.get('students')!.size;
  }, 90_000);

  it('receives the did-you-mean diagnostic for the misspelled field', () => {
    const forFile = received.diagnostics.filter((d) => d.uri.endsWith('/typo.segspec')).at(-1);
    const typo = forFile?.diagnostics.find((d) => d.code === 'SEG004');
    expect(typo?.message).toMatch(/did you mean `plan`/);
    expect(typo?.range.start.line).toBe(1);
  });

  it('gets a hover with the size of the referenced segment', () => {
    const contents = received.hover?.contents;
    const text = typeof contents === 'string' ? contents : (contents?.value ?? '');
    expect(text).toMatch(/students/i);
    expect(studentsSize).toBeGreaterThan(0);
    expect(text).toContain(studentsSize.toLocaleString('en-US'));
  });
});
