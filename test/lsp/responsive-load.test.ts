/**
 * While a large data file loads (parsed on the server's worker thread),
 * completion, hover, document symbols, definition, references, folding and
 * semantic tokens answer from the model of the text
 * being edited, before the load's diagnostics are published; afterwards the
 * answers carry the data's numbers. Not timed: only the order of the answers
 * and the publish is asserted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  ReferencesRequest,
  SemanticTokensRequest,
  type Location,
  type CompletionItem,
  type CompletionList,
  type DocumentSymbol,
  type Hover,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import { cursor, TestClient } from './harness.js';

const ROWS = 420_000; // a multiple of 60: every age occurs equally often
const PLANS = ['free', 'pro', 'team', 'enterprise'];

const ON_DISK = `dataset users {
  source "users.csv"
  key id
  fields {
    id: string
    age: integer
    sessions: integer
  }
}

segment heavy {
  where sessions > 60
}
`;

/** The open text has a segment the file on disk lacks: answers from it come from the edited model. */
const EDITED = `${ON_DISK}
segment newcomers {
  where age < 21
}

segment newcomers2 {
  where heavy and age < 21
}

segment pros {
  where ┆
}
`;

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'segspec-lsp-responsive-'));
  const lines = ['id,age,plan,sessions'];
  for (let i = 0; i < ROWS; i++) lines.push(`u${i},${18 + (i % 60)},${PLANS[i % 4]},${(i * 7) % 90}`);
  writeFileSync(join(dir, 'users.csv'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'spec.segspec'), ON_DISK);
  return dir;
}

function labels(result: CompletionList | CompletionItem[] | null): string[] {
  return (Array.isArray(result) ? result : (result?.items ?? [])).map((i) => i.label);
}

describe('requests while a large data file loads', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start(workspace());
  });
  afterAll(async () => {
    await client.stop();
  });

  it('answers completion, hover and symbols before the load ends, from the edited text', { timeout: 120_000 }, async () => {
    const { text, position } = cursor(EDITED);
    const uri = client.uri('spec.segspec');
    const order: string[] = [];
    const published = client.open('spec.segspec', text).then((p) => {
      order.push('diagnostics');
      return p;
    });
    const completion = client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }).then((r) => {
      order.push('completion');
      return r;
    });
    const newcomersLine = text.split('\n').findIndex((l) => l.startsWith('segment newcomers'));
    const hover = client.connection
      .sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: newcomersLine, character: 'segment new'.length } })
      .then((r) => {
        order.push('hover');
        return r;
      });
    const symbols = client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }).then((r) => {
      order.push('symbols');
      return r;
    });

    // `heavy` in the rule of `newcomers2`, a segment of the open text only.
    const usesLine = text.split('\n').findIndex((l) => l.includes('where heavy'));
    const usePosition = { line: usesLine, character: text.split('\n')[usesLine].indexOf('heavy') + 1 };
    const track = <T>(name: string, request: Promise<T>): Promise<T> =>
      request.then((r) => {
        order.push(name);
        return r;
      });
    const definition = track('definition', client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: usePosition }));
    const references = track(
      'references',
      client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: usePosition, context: { includeDeclaration: true } }),
    );
    const folding = track('folding', client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } }));
    const tokens = track('tokens', client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } }));

    const [completed, hovered, outline, defined, referenced, folded, coloured] = await Promise.all([
      completion,
      hover,
      symbols,
      definition,
      references,
      folding,
      tokens,
    ]);
    expect(order).not.toContain('diagnostics');
    const heavyLine = text.split('\n').findIndex((l) => l.startsWith('segment heavy'));
    expect((defined as Location | null)?.range.start.line).toBe(heavyLine);
    expect((referenced ?? []).map((r) => r.range.start.line).sort((a, b) => a - b)).toEqual([heavyLine, usesLine]);
    expect(folded?.map((f) => f.startLine)).toEqual(expect.arrayContaining([heavyLine, text.split('\n').findIndex((l) => l.startsWith('segment newcomers2'))]));
    expect(coloured?.data.length).toBeGreaterThan(0);
    // From the model of the open text: its new segment is offered and has a hover and a symbol.
    expect(labels(completed)).toEqual(expect.arrayContaining(['newcomers', 'heavy', 'age', 'sessions']));
    expect(((hovered as Hover | null)?.contents as MarkupContent | undefined)?.value).toContain('newcomers');
    expect((outline as DocumentSymbol[]).map((s) => s.name)).toEqual(['users', 'heavy', 'newcomers', 'newcomers2', 'pros']);

    const diagnostics = await published;
    expect(order.indexOf('diagnostics')).toBe(order.length - 1);
    // The data loaded (no finding about the file); what is reported is the unfinished rule of `pros`.
    const prosLine = text.split('\n').findIndex((l) => l.startsWith('segment pros'));
    expect(diagnostics.diagnostics.filter((d) => /^SEG1\d\d$/.test(String(d.code)))).toEqual([]);
    expect(diagnostics.diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics.diagnostics) expect(d.range.start.line).toBeGreaterThanOrEqual(prosLine);

    // Loaded: the hover now gives the segment's size from the data (ages 18–20 are 3 of every 60 rows).
    const after = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: newcomersLine, character: 'segment new'.length },
    });
    expect((after?.contents as MarkupContent).value).toContain((ROWS / 20).toLocaleString('en-US'));
  });
});
