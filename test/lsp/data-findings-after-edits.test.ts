/**
 * The findings on a dataset's data sit where the declaration is now, after
 * edits that move it (found by the fuzzer: a long-running server published
 * SEG121/SEG122 at the ranges of an older text, even outside the document).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient } from './harness.js';

const spec = [
  '// people, as read from the export',
  'dataset people "People" {',
  '  source "people.csv"',
  '  key id',
  '  fields {',
  '    id: string',
  '    age: integer',
  '    plan: string',
  '  }',
  '}',
  '',
].join('\n');

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'segspec-lsp-moved-'));
  writeFileSync(join(dir, 'spec.segspec'), spec);
  writeFileSync(join(dir, 'people.csv'), 'id,age,plan\nu1,old,pro\nu2,30,\nu3,41,free\n');
  return dir;
}

const located = (diagnostics: Diagnostic[]) => diagnostics.map((d) => ({ code: d.code, range: d.range }));

async function freshDiagnostics(text: string): Promise<Diagnostic[]> {
  const client = await TestClient.start(workspace());
  try {
    return (await client.open('spec.segspec', text)).diagnostics;
  } finally {
    await client.stop();
  }
}

describe('data findings after edits', () => {
  let client: TestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  const edits: Array<[string, (text: string) => string]> = [
    ['a line added between the source and the fields', (t) => t.replace('  key id\n', '  key id\n  // the id column\n')],
    ['a bare CR splitting the comment above the dataset', (t) => t.replace('people, as', 'people,\ras')],
    ['a field moved along its line', (t) => t.replace('    age: integer', '      age:   integer')],
  ];

  for (const [what, edit] of edits) {
    it(`are published where a fresh open puts them: ${what}`, async () => {
      client = await TestClient.start(workspace());
      const first = await client.open('spec.segspec');
      expect(first.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['SEG121', 'SEG122']));
      const text = edit(spec);
      expect(text).not.toBe(spec);
      const after = await client.change('spec.segspec', text);
      expect(located(after.diagnostics)).toEqual(located(await freshDiagnostics(text)));
    });
  }
});
