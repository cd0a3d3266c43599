/**
 * A `matches` pattern that backtracks exponentially in JavaScript cannot stall
 * the language server (SPEC §5.1: RE2, linear time): diagnostics and a hover
 * with the segment's size arrive, and an edit to a look-ahead is an error at
 * the pattern.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient } from './harness.js';

const LONG = 'a'.repeat(20_000);
const SPEC = `dataset people {
  source "people.csv"
  fields { name: string }
}
segment as_only { where name matches "^(a+)+$" }
`;

describe('language server with a catastrophic regular expression', () => {
  let client: TestClient;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'segspec-lsp-regex-'));
    writeFileSync(join(root, 'people.csv'), `name\n${LONG}!\n${LONG}\n${'a'.repeat(29)}!\nbob\n`);
    writeFileSync(join(root, 'spec.segspec'), SPEC);
    client = await TestClient.start(root);
  });
  afterAll(async () => {
    await client.stop();
  });

  it('publishes diagnostics and answers a hover with the right size', { timeout: 30_000 }, async () => {
    const published = await client.open('spec.segspec');
    expect(published.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
    const line = SPEC.split('\n').findIndex((l) => l.startsWith('segment as_only'));
    const hover: Hover | null = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: client.uri('spec.segspec') },
      position: { line, character: 'segment as_'.length },
    });
    const text = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    // Dataset `people`: counted in people (one person).
    expect(text).toMatch(/\*\*1 person · 25\.0%\*\* of 4/);
  });

  it('reports a look-ahead as an error at the pattern after an edit', { timeout: 30_000 }, async () => {
    const edited = SPEC.replace('"^(a+)+$"', '"^a(?=b)"');
    const published = await client.change('spec.segspec', edited);
    const errors = published.diagnostics.filter((d) => d.severity === 1);
    expect(errors.map((d) => d.code)).toEqual(['SEG022']);
    expect(errors[0].message).toMatch(/look-ahead/);
    const line = edited.split('\n').findIndex((l) => l.includes('(?=b)'));
    expect(errors[0].range.start).toEqual({ line, character: edited.split('\n')[line].indexOf('"') });
  });
});
