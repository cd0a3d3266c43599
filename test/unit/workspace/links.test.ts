/**
 * Files the workspace reads through the real file system: a symbolic link
 * inside the workspace to a file outside it is never read (data, Markdown,
 * specs), links that stay inside work, and FIFOs are refused without
 * blocking on them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../../server/src/core/workspace.js';
import { NodeHost } from '../../../server/src/node/fs-host.js';
import { rowLimitedHost } from '../../../server/src/core/data/row-limit.js';
import { datasetSourcePath } from '../../../server/src/sqlengines/dataset-source.js';

let base: string;
let root: string;
let outside: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'segspec-links-'));
  root = join(base, 'ws');
  outside = join(base, 'elsewhere');
  mkdirSync(join(root, 'data'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.csv'), 'id,pin\n1,1234\n2,5678\n3,9999\n');
  writeFileSync(join(outside, 'notes.md'), 'Uses @segment(nowhere).\n');
  writeFileSync(join(outside, 'shared.segspec'), 'segment from_outside { where pin > 0 }\n');
  writeFileSync(join(root, 'data', 'people.csv'), 'id,pin\n1,1\n2,2\n');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

function spec(source: string): void {
  writeFileSync(join(root, 'spec.segspec'), `dataset people { source "${source}" key id }\nsegment everyone { where pin > 0 }\n`);
}

async function analyze() {
  return new Workspace(new NodeHost(), root).analyze();
}

describe('symbolic links', () => {
  it('a data file linked to a file outside the workspace is refused (SEG100) and not read', async () => {
    symlinkSync(join(outside, 'secret.csv'), join(root, 'data', 'linked.csv'));
    spec('data/linked.csv');
    const analysis = await analyze();
    const refused = analysis.findings.filter((f) => f.code === 'SEG100');
    expect(refused).toHaveLength(1);
    expect(refused[0].message).toMatch(/`data\/linked.csv` is a symbolic link to a file outside the workspace folder/);
    expect(refused[0].file).toBe(join(root, 'spec.segspec'));
    expect(analysis.data.get('people')?.table).toBeUndefined();
    expect(analysis.results.segments.get('everyone')?.size ?? 0).toBe(0);
    // The SQL engines read the same files: no path for them either.
    expect(datasetSourcePath(analysis.model, 'people')).toBeUndefined();
  });

  it("the language server's row-limited host refuses it too", async () => {
    symlinkSync(join(outside, 'secret.csv'), join(root, 'data', 'linked.csv'));
    spec('data/linked.csv');
    const analysis = await new Workspace(rowLimitedHost(new NodeHost(), () => 1), root).analyze();
    expect(analysis.findings.map((f) => f.code)).toContain('SEG100');
    expect(analysis.data.get('people')?.table).toBeUndefined();
  });

  it('a linked folder leading outside is refused too', async () => {
    symlinkSync(outside, join(root, 'data', 'more'), 'dir');
    spec('data/more/secret.csv');
    const analysis = await analyze();
    expect(analysis.findings.map((f) => f.code)).toContain('SEG100');
    expect(analysis.data.get('people')?.table).toBeUndefined();
  });

  it('a link inside the workspace to a file inside it is read', async () => {
    symlinkSync(join(root, 'data', 'people.csv'), join(root, 'data', 'alias.csv'));
    spec('data/alias.csv');
    const analysis = await analyze();
    expect(analysis.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(analysis.results.segments.get('everyone')?.size).toBe(2);
    expect(datasetSourcePath(analysis.model, 'people')).toBe(join(root, 'data', 'alias.csv'));
  });

  it('a workspace reached through a linked folder still reads its own files', async () => {
    const viaLink = join(base, 'ws-link');
    symlinkSync(root, viaLink, 'dir');
    spec('data/people.csv');
    const analysis = await new Workspace(new NodeHost(), viaLink).analyze();
    expect(analysis.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(analysis.results.segments.get('everyone')?.size).toBe(2);
  });

  it('Markdown and spec files linked from outside are not read; linked from inside they are', async () => {
    spec('data/people.csv');
    symlinkSync(join(outside, 'notes.md'), join(root, 'notes.md'));
    symlinkSync(join(outside, 'shared.segspec'), join(root, 'shared.segspec'));
    writeFileSync(join(root, 'data', 'inside.md'), 'Uses @segment(missing_inside).\n');
    symlinkSync(join(root, 'data', 'inside.md'), join(root, 'alias.md'));
    const analysis = await analyze();
    expect([...analysis.markdown.keys()].sort()).toEqual([join(root, 'alias.md'), join(root, 'data', 'inside.md')]);
    expect(analysis.model.segments.has('from_outside')).toBe(false);
    expect(analysis.findings.some((f) => f.file.startsWith(outside) || f.file === join(root, 'notes.md'))).toBe(false);
  });
});

describe('FIFOs', () => {
  it('a data file that is a FIFO is refused with a located message, without blocking', { timeout: 10_000 }, async () => {
    execFileSync('mkfifo', [join(root, 'data', 'pipe.csv')]);
    spec('data/pipe.csv');
    const analysis = await analyze();
    const refused = analysis.findings.filter((f) => f.code === 'SEG103');
    expect(refused).toHaveLength(1);
    expect(refused[0].message).toMatch(/`data\/pipe.csv` is not a regular file \(a FIFO, device or socket\)/);
    expect(refused[0].range.start.line).toBe(0); // at the `source` on the dataset's line
    expect(datasetSourcePath(analysis.model, 'people')).toBeUndefined();
  });

  it('FIFOs named like spec and Markdown files are skipped, without blocking', { timeout: 10_000 }, async () => {
    spec('data/people.csv');
    execFileSync('mkfifo', [join(root, 'pipe.segspec')]);
    execFileSync('mkfifo', [join(root, 'pipe.md')]);
    symlinkSync(join(root, 'pipe.md'), join(root, 'linked-pipe.md'));
    const analysis = await analyze();
    expect(analysis.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(analysis.results.segments.get('everyone')?.size).toBe(2);
    expect(analysis.markdown.size).toBe(0);
  });

  it('the host refuses to open a FIFO even when asked directly', { timeout: 10_000 }, async () => {
    execFileSync('mkfifo', [join(root, 'direct.csv')]);
    await expect(new NodeHost().readBytes(join(root, 'direct.csv'))).rejects.toThrow(/not a regular file/);
  });
});
