import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, ensureBuilt, fixtures, segspec } from './helpers.js';

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'segspec-fmt-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('segspec fmt', { timeout: 120_000 }, () => {
  it('lists files that need formatting with --check, then formats them in place', async () => {
    const dir = join(work, 'ws');
    cpSync(join(fixtures, 'clean'), dir, { recursive: true });
    const file = join(dir, 'segments.segspec');
    const canonical = readFileSync(file, 'utf8');
    // One declaration squeezed onto one line, as SPEC §4 allows.
    writeFileSync(file, canonical.replace(/segment free_users "Free users" \{\s*kind value\s*where plan == "free"\s*\}/, 'segment free_users "Free users" { kind value where plan == "free" }'));
    expect(readFileSync(file, 'utf8')).not.toBe(canonical);

    const check = await segspec(['fmt', dir, '--check']);
    expect(check.code).toBe(1);
    expect(check.stdout.trim().split('\n')).toEqual([file]);

    const fix = await segspec(['fmt', dir]);
    expect(fix.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(canonical);
    expect((await segspec(['fmt', dir, '--check'])).code).toBe(0);
  });

  it('leaves files with syntax errors alone and says so', async () => {
    const dir = join(work, 'broken');
    cpSync(join(fixtures, 'clean'), dir, { recursive: true });
    const file = join(dir, 'segments.segspec');
    writeFileSync(file, 'segment x { where age < }\n');
    const r = await segspec(['fmt', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/segments\.segspec: not formatted, it has syntax errors/);
    expect(readFileSync(file, 'utf8')).toBe('segment x { where age < }\n');
  });
});

describe('segspec lsp --stdio', { timeout: 120_000 }, () => {
  it('speaks LSP: initialize, diagnostics for an opened document, shutdown and exit', async () => {
    const dir = join(fixtures, 'failing');
    const child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const file = join(dir, 'segments.segspec');
    const uri = pathToFileURL(file).href;
    const diagnostics = new Promise<Array<{ code?: string | number; message: string }>>((resolve) => {
      connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Array<{ code?: string | number; message: string }> }) => {
        if (p.uri === uri && p.diagnostics.some((d) => String(d.code) === 'SEG004')) resolve(p.diagnostics);
      });
    });
    connection.onRequest(() => null); // workspace/configuration and the like
    connection.listen();
    try {
      const init = (await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(dir).href,
        workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'failing' }],
        capabilities: {},
      })) as { capabilities: Record<string, unknown> };
      expect(init.capabilities.hoverProvider).toBeTruthy();
      await connection.sendNotification('initialized', {});
      await connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'segspec', version: 1, text: readFileSync(file, 'utf8') },
      });
      const got = await diagnostics;
      expect(got.find((d) => String(d.code) === 'SEG004')?.message).toMatch(/agee/);
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      expect(await exited).toBe(0);
    } finally {
      connection.dispose();
      child.kill();
    }
  });

  it('reads a large data file on its worker thread, as the extension\'s server does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segspec-lsp-large-'));
    // Over 256 kB: parsed on the worker thread that `segspec lsp` starts from its own bundle.
    const lines = ['id,age'];
    for (let i = 0; i < 40_000; i++) lines.push(`user${i},${20 + (i % 50)}`);
    lines.push('user7,33');
    writeFileSync(join(dir, 'users.csv'), `${lines.join('\n')}\n`);
    const text = 'dataset users {\n  source "users.csv"\n  key id\n  fields {\n    id: string\n    age: integer\n  }\n}\n';
    const file = join(dir, 'spec.segspec');
    writeFileSync(file, text);
    const child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const uri = pathToFileURL(file).href;
    const duplicate = new Promise<string>((resolve) => {
      connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Array<{ message: string }> }) => {
        const found = p.uri === uri ? p.diagnostics.find((d) => /not unique/.test(d.message)) : undefined;
        if (found) resolve(found.message);
      });
    });
    connection.onRequest(() => null);
    connection.listen();
    try {
      await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
      await connection.sendNotification('initialized', {});
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'segspec', version: 1, text } });
      expect(await duplicate).toMatch(/"user7" \(lines 9, 40002\)/);
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      expect(await exited).toBe(0);
    } finally {
      connection.dispose();
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start without a transport', async () => {
    const r = await segspec(['lsp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--stdio/);
  });
});
