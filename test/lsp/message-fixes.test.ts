/**
 * Quick fixes for mistakes in wording: `between 18 to 29`, a misspelt
 * operator, a number in quotes; each from the diagnostic the user sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient, applyEdits, copyFixture, editsFor } from './harness.js';

describe('quick fixes for wording mistakes', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start(copyFixture('inferred'));
    await client.open('spec.segspec');
  });
  afterAll(async () => {
    await client.stop();
  });

  const fixed = async (rule: string, code: string): Promise<{ diagnostics: Diagnostic[]; text: string; actions: CodeAction[] }> => {
    const original = client.textOf('spec.segspec');
    const text = original.replace(/where .*\n/, `where ${rule}\n`);
    const published = await client.change('spec.segspec', text);
    const diagnostic = published.diagnostics.find((d) => d.code === code);
    expect(diagnostic, JSON.stringify(published.diagnostics)).toBeDefined();
    const result = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client.uri('spec.segspec') },
      range: diagnostic!.range,
      context: { diagnostics: [diagnostic!] },
    });
    const actions = (result ?? []).filter((a): a is CodeAction => 'title' in a && 'kind' in a);
    const preferred = actions.find((a) => a.isPreferred);
    expect(preferred, JSON.stringify(actions.map((a) => a.title))).toBeDefined();
    return { diagnostics: published.diagnostics, text: applyEdits(text, editsFor(preferred!.edit ?? null, client.uri('spec.segspec'))), actions };
  };

  it('`between 18 to 29`: one diagnostic, and the fix writes `and`', async () => {
    const { diagnostics, text } = await fixed('age between 18 to 29', 'SEG001');
    expect(diagnostics.map((d) => d.message)).toEqual(['`between` takes `and`, not `to`: write `between 18 and 29`']);
    expect(text).toContain('where age between 18 and 29\n');
    expect((await client.change('spec.segspec', text)).diagnostics).toEqual([]);
  });

  it('a misspelt operator is changed to the keyword', async () => {
    const { diagnostics, text } = await fixed('age betwen 18 and 29', 'SEG001');
    expect(diagnostics).toHaveLength(1);
    expect(text).toContain('where age between 18 and 29\n');
  });

  it('a number in quotes: "drop the quotes"', async () => {
    const { diagnostics, text, actions } = await fixed('age > "20"', 'SEG011');
    expect(diagnostics.map((d) => d.message)).toEqual(['`age` (integer) cannot be compared with the string "20" — drop the quotes: `20`']);
    expect(actions.map((a) => a.title)).toContain('Drop the quotes: `20`');
    expect(text).toContain('where age > 20\n');
    expect((await client.change('spec.segspec', text)).diagnostics).toEqual([]);
  });

  it('a number compared with a field declared as text: "put it in quotes"', async () => {
    const { text } = await fixed('id == 60', 'SEG011');
    expect(text).toContain('where id == "60"\n');
  });
});
