/**
 * The server's life cycle over the wire, as VS Code drives it: capabilities,
 * diagnostics that follow edits, stale versions dropped, clear-on-close,
 * cancellation, and the same server over stdio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancellationTokenSource, HoverRequest, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { TestClient, copySample } from './harness.js';

const TYPO = 'where is_student and age between 16 and 30';

describe('language server life cycle (node-ipc)', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start(copySample('productivity'));
  });
  afterAll(async () => {
    await client.stop();
  });

  it('announces the features it serves', () => {
    const caps = client.initializeResult!.capabilities;
    expect(caps.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    expect(caps.completionProvider?.triggerCharacters).toContain('@');
    for (const feature of [
      'hoverProvider',
      'definitionProvider',
      'referencesProvider',
      'documentSymbolProvider',
      'workspaceSymbolProvider',
      'foldingRangeProvider',
      'documentFormattingProvider',
      'codeActionProvider',
      'codeLensProvider',
      'inlayHintProvider',
    ] as const) {
      expect(caps[feature], feature).toBeTruthy();
    }
    expect(caps.renameProvider).toEqual({ prepareProvider: true });
    expect(caps.semanticTokensProvider?.legend.tokenTypes).toContain('property');
  });

  it('reports an error after an edit, with a code, a link to its explanation and a did-you-mean, and clears it when fixed', async () => {
    const original = client.textOf('segments.segspec');
    expect(original).toContain(TYPO);
    const opened = await client.open('segments.segspec');
    expect(opened.diagnostics.filter((d) => d.severity === 1 && d.source === 'segspec' && d.code === 'SEG004')).toHaveLength(0);

    const broken = await client.change('segments.segspec', original.replace(TYPO, 'where is_studnet and age between 16 and 30'));
    const unknown = broken.diagnostics.find((d) => d.code === 'SEG004');
    expect(String(unknown?.message)).toContain('is_student');
    expect(unknown?.codeDescription?.href).toMatch(/^command:segspec\.explainCode\?/);
    const line = original.split('\n').findIndex((l) => l.includes(TYPO));
    expect(unknown?.range.start.line).toBe(line);

    const fixed = await client.change('segments.segspec', original);
    expect(fixed.diagnostics.find((d) => d.code === 'SEG004')).toBeUndefined();
  });

  it('drops diagnostics of versions that were superseded before their analysis finished', async () => {
    const uri = client.uri('segments.segspec');
    const original = client.textOf('segments.segspec');
    const start = client.version('segments.segspec');
    const publishedBefore = client.published.length;
    const latest = client.waitForDiagnostics(uri, (p) => p.version === start + 3);
    await client.sendChange(uri, start + 1, original.replace(TYPO, 'where is_studnet and age between 16 and 30'));
    await client.sendChange(uri, start + 2, original.replace(TYPO, 'where is_studen and age between 16 and 30'));
    await client.sendChange(uri, start + 3, original);
    const final = await latest;
    expect(final.diagnostics.find((d) => d.code === 'SEG004')).toBeUndefined();
    const stale = client.published.slice(publishedBefore).filter((p) => p.uri === uri && p.version !== start + 3);
    expect(stale).toEqual([]);
  });

  it('clears the diagnostics of a document when it is closed', async () => {
    const original = client.textOf('segments.segspec');
    const broken = await client.change('segments.segspec', original.replace(TYPO, 'where is_studnet and age between 16 and 30'));
    expect(broken.diagnostics.some((d) => d.code === 'SEG004')).toBe(true);
    const cleared = await client.close('segments.segspec');
    expect(cleared.diagnostics).toEqual([]);
  });

  it('answers a cancelled request with RequestCancelled', async () => {
    const uri = client.uri('personas.segspec');
    await client.open('personas.segspec');
    // An edit makes the next request wait for a new analysis; cancel it meanwhile.
    await client.sendChange(uri, 2, `${client.textOf('personas.segspec')}\n// edited\n`);
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 10 } }, source.token);
    source.cancel();
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError<unknown>).code).toBe(LSPErrorCodes.RequestCancelled);
    // The server is still fine afterwards.
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 10 } });
    expect(JSON.stringify(hover)).toContain('Student Sam');
  });
});

describe('language server over stdio', () => {
  it('initializes and publishes diagnostics', async () => {
    const client = await TestClient.start(copySample('productivity'), 'stdio');
    try {
      expect(client.initializeResult?.serverInfo?.name).toBe('segspec');
      const text = 'segment broken_one {\n  where plann == "pro"\n}\n';
      const published = await client.open('scratch.segspec', text);
      expect(published.diagnostics.some((d) => d.code === 'SEG004' && String(d.message).includes('plan'))).toBe(true);
    } finally {
      await client.stop();
    }
  });
});
