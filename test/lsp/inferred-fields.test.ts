/**
 * Fields that are not declared: their types come from the data and show as
 * inlay hints, a refactoring pins them in `fields { }`, and an unknown field
 * gets did-you-mean and "add to fields" fixes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeActionRequest, InlayHintRequest, SemanticTokensRequest, type CodeAction } from 'vscode-languageserver-protocol';
import { TestClient, applyEdits, copyFixture, cursor, editsFor } from './harness.js';

describe('inferred and unknown fields', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start(copyFixture('inferred'));
    await client.open('spec.segspec');
  });
  afterAll(async () => {
    await client.stop();
  });

  const actionsAt = async (textWithCursor: string): Promise<CodeAction[]> => {
    const { position } = cursor(textWithCursor);
    const result = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client.uri('spec.segspec') },
      range: { start: position, end: position },
      context: { diagnostics: [] },
    });
    return (result ?? []).filter((a): a is CodeAction => 'title' in a && 'kind' in a);
  };

  it('shows the inferred type of an undeclared field as an inlay hint', async () => {
    const hints = await client.connection.sendRequest(InlayHintRequest.type, {
      textDocument: { uri: client.uri('spec.segspec') },
      range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } },
    });
    const labels = (hints ?? []).map((h) => String(h.label));
    expect(labels).toEqual(expect.arrayContaining([': string', ': integer']));
  });

  it('pins the inferred type of a field into `fields { }`', async () => {
    const text = client.textOf('spec.segspec');
    const actions = await actionsAt(text.replace('age > 20', 'ag┆e > 20'));
    const pin = actions.find((a) => a.title.startsWith('Pin the type of `age`'));
    expect(pin).toBeDefined();
    const pinned = applyEdits(text, editsFor(pin!.edit ?? null, client.uri('spec.segspec')));
    expect(pinned).toContain('  fields {\n    id: string\n    age: integer\n  }');
  });

  it('pins every inferred type from the dataset name', async () => {
    const text = client.textOf('spec.segspec');
    const actions = await actionsAt(text.replace('dataset people', 'dataset peo┆ple'));
    const pin = actions.find((a) => a.title.startsWith('Pin the 3 inferred field types'));
    const pinned = applyEdits(text, editsFor(pin?.edit ?? null, client.uri('spec.segspec')));
    for (const line of ['age: integer', 'plan: string', 'city: string']) expect(pinned).toContain(`    ${line}\n`);
  });

  it('offers did-you-mean and add-to-fields for an unknown field', async () => {
    const text = client.textOf('spec.segspec').replace('age > 20', 'agee > 20');
    const published = await client.change('spec.segspec', text);
    const unknown = published.diagnostics.find((d) => d.code === 'SEG004');
    expect(unknown).toBeDefined();
    const result = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client.uri('spec.segspec') },
      range: unknown!.range,
      context: { diagnostics: [unknown!] },
    });
    const actions = (result ?? []).filter((a): a is CodeAction => 'title' in a && 'kind' in a);
    const rename = actions.find((a) => a.title === 'Change to age');
    expect(rename?.isPreferred).toBe(true);
    expect(applyEdits(text, editsFor(rename!.edit ?? null, client.uri('spec.segspec')))).toContain('age > 20');
    const add = actions.find((a) => a.title.startsWith('Add field `agee`'));
    expect(applyEdits(text, editsFor(add!.edit ?? null, client.uri('spec.segspec')))).toContain('    agee: string\n');
  });

  it('marks declared and inferred fields, segments and datasets with semantic tokens', async () => {
    await client.change('spec.segspec', client.textOf('spec.segspec').replace('agee > 20', 'age > 20'));
    const tokens = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: client.uri('spec.segspec') } });
    const legend = client.initializeResult!.capabilities.semanticTokensProvider!.legend;
    const decoded: string[] = [];
    const data = tokens?.data ?? [];
    let line = 0;
    let character = 0;
    const lines = client.textOf('spec.segspec').split('\n');
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
      const word = lines[line].slice(character, character + data[i + 2]);
      const modifiers = legend.tokenModifiers.filter((_, bit) => data[i + 4] & (1 << bit));
      decoded.push(`${word}:${legend.tokenTypes[data[i + 3]]}${modifiers.length ? `.${modifiers.join('.')}` : ''}`);
    }
    expect(decoded).toEqual(expect.arrayContaining(['people:namespace.declaration', 'id:property.declaration', 'pros:class.declaration', 'plan:property.inferred', 'age:property.inferred']));
  });
});
