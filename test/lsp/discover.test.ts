/**
 * `segspec/discover`, behind the editor's "Discover segments": the same
 * report as `segspec discover --format json`, with a target and without; the search runs off the
 * server's thread (hover and completion answer meanwhile); cancelling it
 * stops it; "Add to file" appends a declaration that checks clean.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancellationTokenSource, CodeLensRequest, CompletionRequest, HoverRequest, LSPErrorCodes, ResponseError, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TestClient, applyEdits, copySample, editsFor } from './harness.js';
import { ensureBuilt, segspec } from '../cli/helpers.js';
import {
  AppendDeclarationRequestMethod,
  DiscoverRequestMethod,
  type DiscoverParams,
  type DiscoverResponse,
} from '../../server/src/lsp/protocol.js';

const problems = (diagnostics: Diagnostic[]): Diagnostic[] => diagnostics.filter((d) => d.severity === 1 || d.severity === 2);

describe('segspec/discover on the productivity sample', () => {
  let root: string;
  let client: TestClient;
  beforeAll(async () => {
    ensureBuilt();
    root = copySample('productivity');
    client = await TestClient.start(root);
    await client.open('segments.segspec');
  });
  afterAll(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const discover = (params: DiscoverParams): Promise<DiscoverResponse> => client.connection.sendRequest<DiscoverResponse>(DiscoverRequestMethod, params);

  it.each([
    [['--target', 'power_users'], { target: 'power_users' }],
    [['--target', 'plan == "team"', '--depth', '2', '--max', '4', '--min-size', '5%'], { target: 'plan == "team"', depth: 2, max: 4, minSize: '5%' }],
    [['--target', 'high_value', '--quality', 'purer', '--plain'], { target: 'high_value', quality: 'purer', plain: true }],
  ] as Array<[string[], DiscoverParams]>)('answers %j with what `segspec discover --format json` prints', async (args, params) => {
    const [response, cli] = await Promise.all([discover({ ...params, uri: client.uri('segments.segspec') }), segspec(['discover', ...args, '--format', 'json', root])]);
    expect(cli.code).toBe(0);
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    expect(response.report).toEqual(JSON.parse(cli.stdout));
    expect(response.report.candidates.length).toBeGreaterThan(0);
    expect(response.file).toBe(client.uri('data.segspec'));
  });

  it('searches the open text: a segment only in the editor is a target, and an overlap', async () => {
    const text = client.textOf('segments.segspec');
    await client.change('segments.segspec', `${text}\nsegment tablet_users {\n  where device == "tablet"\n}\n`);
    const response = await discover({ target: 'tablet_users' });
    expect(response).toMatchObject({ ok: true, report: { target: 'tablet_users' } });
    const other = await discover({ target: 'plan == "pro"', max: 10 });
    expect(other.ok && other.report.candidates.some((c) => c.overlaps.some((o) => o.segment === 'tablet_users'))).toBe(true);
    await client.change('segments.segspec', text);
  });

  it('without a target answers what `segspec discover --format json` prints without --target: segments from clusters', async () => {
    const [response, cli] = await Promise.all([discover({ target: '  ', max: 4 }), segspec(['discover', '--max', '4', '--format', 'json', root])]);
    expect(cli.code).toBe(0);
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    expect(response.report).toEqual(JSON.parse(cli.stdout));
    expect(response.report.target).toBeNull();
    expect(response.report.candidates.length).toBeGreaterThan(0);
  });

  it('says why a target does not check, and what an option expects', async () => {
    const bad = await discover({ target: 'plna == "pro"' });
    expect(bad).toMatchObject({ ok: false, message: expect.stringMatching(/^the target does not check: .*plna/) });
    expect(await discover({ target: 'students', depth: 9 })).toMatchObject({ ok: false, message: 'depth must be a whole number from 1 to 6' });
  });

  it('"Add to file" appends the declaration at the end of the dataset\'s file; it checks clean and gets its lens', async () => {
    const response = await discover({ target: 'power_users', max: 3 });
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    const candidate = response.report.candidates[0];
    const uri = response.file;
    const before = readFileSync(client.path('data.segspec'), 'utf8');
    const edit = await client.connection.sendRequest<WorkspaceEdit>(AppendDeclarationRequestMethod, { uri, text: candidate.declaration });
    const edits = editsFor(edit, uri);
    expect(edits).toHaveLength(1);
    const after = applyEdits(before, edits);
    expect(after.startsWith(before)).toBe(true);
    expect(after.endsWith(`\n\n${candidate.declaration}`)).toBe(true);
    const published = await client.open('data.segspec', after);
    expect(problems(published.diagnostics)).toEqual([]);
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    const line = after.split('\n').findIndex((l) => l.startsWith(`segment ${candidate.name} `));
    const lens = lenses?.find((l) => l.range.start.line === line);
    expect(lens?.command?.title).toContain(candidate.size.toLocaleString('en-US'));
  });
});

/** A dataset big enough that the search takes seconds on this machine. */
function bigWorkspace(rows: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'segspec-lsp-discover-'));
  let s = 0x12345;
  const r = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const lines = ['id,age,plan,device,country,sessions,spend,seats,tenure,score,churned'];
  for (let i = 0; i < rows; i++) {
    const plan = pick(['free', 'pro', 'team', 'enterprise']);
    const sessions = Math.floor(r() * 100);
    const churned = (sessions < 20 && plan === 'free') || r() < 0.1;
    lines.push(
      [`u${i}`, 16 + Math.floor(r() * 60), plan, pick(['desktop', 'mobile', 'tablet', 'web']), pick(['US', 'DE', 'FR', 'IN', 'BR', 'JP']), sessions,
        Math.round(r() * 50000) / 100, Math.floor(r() * 500), Math.floor(r() * 3000), Math.floor(r() * 1000), churned].join(','),
    );
  }
  writeFileSync(join(dir, 'users.csv'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'data.segspec'), 'dataset users {\n  source "users.csv"\n  key id\n}\n\nsegment heavy {\n  where sessions > 60\n}\n');
  return dir;
}

/** CPU seconds the process has used (all its threads), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe.skipIf(!existsSync('/proc/self/stat'))('segspec/discover on a large dataset', () => {
  let root: string;
  let client: TestClient;
  beforeAll(async () => {
    ensureBuilt();
    root = bigWorkspace(400_000);
    client = await TestClient.start(root);
    await client.open('data.segspec');
  }, 120_000);
  afterAll(async () => {
    await client.stop();
  });

  const params: DiscoverParams = { target: 'churned', depth: 6, minSize: '5', plain: true };

  it('runs off the server\'s thread: hover and completion answer while it searches; cancelling stops the search', async () => {
    const uri = client.uri('data.segspec');
    const source = new CancellationTokenSource();
    let settled = false;
    const running = client.connection.sendRequest<DiscoverResponse>(DiscoverRequestMethod, params, source.token).finally(() => (settled = true));
    running.catch(() => undefined);
    // Wait until the search is using the CPU.
    const start = cpuSeconds(client.child.pid!);
    for (let i = 0; i < 100 && cpuSeconds(client.child.pid!) - start < 0.3; i++) await new Promise((r) => setTimeout(r, 50));

    const asked = Date.now();
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 'segment he'.length } });
    const completion = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 6, character: '  where '.length } });
    const answered = Date.now() - asked;
    expect(settled).toBe(false);
    expect(JSON.stringify(hover?.contents)).toMatch(/heavy/);
    expect(JSON.stringify(completion)).toMatch(/sessions/);
    expect(answered).toBeLessThan(2000);

    source.cancel();
    const error = await running.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError<unknown>).code).toBe(LSPErrorCodes.RequestCancelled);
    // The search no longer runs: the server is idle.
    const idleFrom = cpuSeconds(client.child.pid!);
    await new Promise((r) => setTimeout(r, 1500));
    expect(cpuSeconds(client.child.pid!) - idleFrom).toBeLessThan(0.15);
  }, 120_000);

  it('runs again after a cancelled search, to the same result as the CLI', async () => {
    const [response, cli] = await Promise.all([
      client.connection.sendRequest<DiscoverResponse>(DiscoverRequestMethod, { ...params, depth: 2 }),
      segspec(['discover', '--target', 'churned', '--depth', '2', '--min-size', '5', '--plain', '--format', 'json', root]),
    ]);
    expect(cli.code).toBe(0);
    expect(response.ok && response.report).toEqual(JSON.parse(cli.stdout));
  }, 120_000);
});
