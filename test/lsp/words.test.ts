/**
 * Words that fit the data: lenses, hovers, chips and the status notification
 * count in the dataset's unit ("customers"), a rule with an error shows a short
 * lens and leaves the message to the diagnostic, and a Markdown reference
 * hovers like the segment itself.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeLensRequest, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient, cursor } from './harness.js';
import { AnalyzedNotificationMethod, ReferencesInfoRequestMethod, type AnalyzedParams, type ReferencesInfoResult } from '../../server/src/lsp/protocol.js';

const balances = [0, 100_000, 120_000, 127_644, 200_000, 50, 60, 70];
const data = `dataset bank "Bank" {
  source "data/bank.csv"
  unit "customers"
  key id
  fields {
    id: string
    Balance: integer
  }
}
`;
const segments = `segment wealthy "Wealthy" {
  description "The top quarter by balance."
  where Balance >= p75(Balance)
  expect size >= 10%
}
`;

describe('unit words and the rule-error lens', () => {
  let root: string;
  let client: TestClient;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'segspec-words-'));
    mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'data/bank.csv'), `id,Balance\n${balances.map((b, i) => `c${i},${b}`).join('\n')}\n`);
    writeFileSync(join(root, 'data.segspec'), data);
    writeFileSync(join(root, 'segments.segspec'), segments);
    writeFileSync(join(root, 'roadmap.md'), '# Plan\n\nFirst @segment(wealthy), then the rest.\n');
    client = await TestClient.start(root);
    await client.open('segments.segspec');
  });
  afterAll(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const lensTitles = async (): Promise<string[]> =>
    ((await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri('segments.segspec') } })) ?? []).map(
      (l) => l.command?.title ?? '',
    );
  // p75 of the eight balances lies between 120,000 and 127,644: two are at or above it.
  const members = balances.filter((b) => b >= 127_644).length;

  it('counts in the dataset\'s unit in the lens, the hover and the chips', async () => {
    expect(await lensTitles()).toEqual([`${members} customers · ${((members / balances.length) * 100).toFixed(1)}% · 1/1 expectations`]);
    const { position } = cursor(segments.replace('segment wealthy', 'segment weal┆thy'));
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri('segments.segspec') }, position });
    expect((hover?.contents as MarkupContent).value).toContain(`**${members} customers · `);
    const info = await client.connection.sendRequest<ReferencesInfoResult>(ReferencesInfoRequestMethod, {});
    expect(info.segments.wealthy.unit).toBe('customers');
    expect(info.segments.wealthy.unitOne).toBe('customer');
  });

  it('hovers an @segment reference in Markdown with title, description, size, share, status and expectations', async () => {
    const markdown = '# Plan\n\nFirst @segment(wealthy), then the rest.\n';
    await client.open('roadmap.md', markdown);
    const { position } = cursor(markdown.replace('@segment(wea', '@segment(wea┆'));
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri('roadmap.md') }, position });
    const text = (hover?.contents as MarkupContent).value;
    expect(text).toContain('### Wealthy');
    expect(text).toContain('The top quarter by balance\\.');
    expect(text).toContain(`**${members} customers · `);
    expect(text).toContain('✓ all checks pass');
    const pct = ((members / balances.length) * 100).toFixed(1).replace('.', '\\.');
    expect(text).toContain(`✓ size is ${pct}% \\(${members} of ${balances.length}\\)`);
  });

  it('while a rule has an error, the lens says so in three words and the diagnostic has the message', async () => {
    const analyzed = client.waitForNotification(AnalyzedNotificationMethod);
    const published = await client.change('segments.segspec', segments.replace('Balance >= p75(Balance)', 'Balanse >= p75(Balance)'));
    expect(published.diagnostics.map((d) => d.message).join(' ')).toMatch(/Balanse/);
    expect(await lensTitles()).toEqual(['rule has an error']);
    const params = (await analyzed) as AnalyzedParams;
    expect(params.datasets).toEqual([expect.objectContaining({ name: 'bank', rows: balances.length, unit: 'customers', unitOne: 'customer' })]);
  });
});
