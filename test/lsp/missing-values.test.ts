/** `missing [...]` in the editor: completion with what it does, and the dataset's hover. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompletionRequest, HoverRequest, type CompletionItem, type MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient, copyFixture, cursor } from './harness.js';

describe('missing-value words in the editor', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start(copyFixture('inferred'));
    await client.open('spec.segspec');
  });
  afterAll(async () => {
    await client.stop();
  });

  it('completes `missing` among a dataset\'s properties, with its explanation', async () => {
    const fixture = cursor(client.textOf('spec.segspec').replace('  key id\n', '  key id\n  mis┆\n'));
    await client.change('spec.segspec', fixture.text);
    const result = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri('spec.segspec') }, position: fixture.position });
    const items: CompletionItem[] = Array.isArray(result) ? result : (result?.items ?? []);
    const item = items.find((i) => i.label === 'missing');
    expect(item?.textEdit?.newText).toContain('missing ["');
    expect(String(item?.documentation)).toContain('a cell holding exactly one of them is read as an empty cell');
  });

  it('reads the data with the words and shows them in the dataset\'s hover', async () => {
    const text = client.textOf('spec.segspec').replace(/  key id\n.*\n/, '  key id\n  missing ["?", "NA"]\n');
    const published = await client.change('spec.segspec', text);
    expect(published.diagnostics).toEqual([]);
    const at = cursor(text.replace('dataset people', 'dataset peo┆ple'));
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri('spec.segspec') }, position: at.position });
    expect((hover?.contents as MarkupContent).value).toContain('Missing values: empty cells and `"?"`, `"NA"`');
  });
});
