/**
 * Editor features for related datasets (SPEC §11) over the wire: completion
 * after `plays.` and inside `count(plays where |`, the dataset names where an
 * aggregate expects one, hover on an aggregate (its distribution over the
 * parents), the related dataset's lens (rows and share of parents linked),
 * definition and rename through `R.f`, semantic tokens. Expected numbers are
 * computed here from the fixture's CSV files, not copied from the server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  HoverRequest,
  PrepareRenameRequest,
  RenameRequest,
  SemanticTokensRequest,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type Location,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import { TestClient, applyEdits, copyFixture, cursor, editsFor } from './harness.js';

const FILE = 'spec.segspec';

function labels(result: CompletionList | CompletionItem[] | null): string[] {
  const items = Array.isArray(result) ? result : (result?.items ?? []);
  return items.map((i) => i.label);
}

function hoverText(hover: Hover | null): string {
  return (hover?.contents as MarkupContent | undefined)?.value ?? '';
}

/** quantile_cont over sorted numbers (linear interpolation), as SPEC §5.2. */
function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  return sorted[lo] + (pos - lo) * ((sorted[Math.ceil(pos)] ?? sorted[lo]) - sorted[lo]);
}

function markAfter(text: string, anchor: string): string {
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`anchor not found: ${anchor}`);
  return `${text.slice(0, at + anchor.length)}┆${text.slice(at + anchor.length)}`;
}

function csv(dir: string, file: string): Array<Record<string, string>> {
  const [head, ...lines] = readFileSync(join(dir, 'data', file), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

describe('related datasets in the editor', () => {
  let client: TestClient;
  let dir: string;
  beforeAll(async () => {
    dir = copyFixture('related');
    client = await TestClient.start(dir);
    await client.open(FILE);
  });
  afterAll(async () => {
    await client.stop();
  });

  /** Completion at the marker in the spec with `segment probe { from listeners where WHERE }` appended. */
  const completeIn = async (where: string): Promise<string[]> => {
    const base = client.textOf(FILE).split('\nsegment probe')[0];
    const { text, position } = cursor(`${base}\nsegment probe {\n  from listeners\n  where ${where}\n}\n`);
    await client.change(FILE, text);
    return labels(await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri(FILE) }, position }));
  };

  it('completes the fields of the related dataset after `plays.` and inside the where of an aggregate', async () => {
    const afterDot = await completeIn('sum(plays.┆)');
    expect(afterDot).toEqual(expect.arrayContaining(['at', 'genre', 'ms_played', 'playlist', 'listener_id']));
    expect(afterDot).not.toContain('plan');
    const inFilter = await completeIn('count(plays where ┆)');
    expect(inFilter).toEqual(expect.arrayContaining(['at', 'genre', 'ms_played', 'playlist']));
    expect(inFilter).not.toContain('plan');
    // A lookup into the one-to-one survey.
    expect(await completeIn('survey.┆')).toEqual(expect.arrayContaining(['nps', 'attitude']));
    // Values of the related field, from its data.
    expect(await completeIn('count(plays where genre == ┆)')).toEqual(expect.arrayContaining(['"jazz"', '"metal"']));
    expect(await completeIn('survey.attitude == ┆')).toEqual(expect.arrayContaining(['"explorer"', '"comfort"']));
  });

  it('offers the related datasets where an aggregate expects one', async () => {
    const inCount = await completeIn('count(┆)');
    expect(inCount).toEqual(expect.arrayContaining(['plays', 'survey', 'distinct']));
    expect(inCount).not.toContain('listeners');
    // sum(…) may also be a dataset-wide sum over a field of listeners; here it offers both.
    expect(await completeIn('sum(┆)')).toEqual(expect.arrayContaining(['plays', 'plan']));
    expect(await completeIn('count(plays ┆)')).toEqual(['where']);
    // In an operand: count and exists, and the one-to-one survey for a lookup.
    expect(await completeIn('┆')).toEqual(expect.arrayContaining(['count', 'exists', 'survey', 'plan']));
  });

  it('hovers an aggregate with its distribution over the listeners', async () => {
    const base = client.textOf(FILE).split('\nsegment probe')[0];
    await client.change(FILE, base);
    const { position } = cursor(markAfter(client.textOf(FILE), 'where cou'));
    const text = hoverText(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(FILE) }, position }));
    const listeners = csv(dir, 'listeners.csv').map((l) => l.listener_id);
    const plays = csv(dir, 'plays.csv');
    const counts = listeners.map((id) => plays.filter((p) => p.listener_id === id).length).sort((a, b) => a - b);
    const none = counts.filter((c) => c === 0).length;
    expect(text).toContain('count(plays)');
    expect(text).toContain(`over ${listeners.length} listeners`);
    expect(text).toContain(`min ${counts[0]}`);
    expect(text).toContain(`median ${quantile(counts, 0.5)}`);
    expect(text).toContain(`p90 ${quantile(counts, 0.9)}`);
    expect(text).toContain(`max ${counts.at(-1)}`);
    expect(text).toContain(`${Math.round((100 * none) / listeners.length)}% (${none}) have none`);
  });

  it('shows rows and the share of listeners with plays in the related dataset’s lens', async () => {
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri(FILE) } });
    const titles = (lenses ?? []).map((l) => l.command?.title ?? '');
    const listeners = csv(dir, 'listeners.csv').map((l) => l.listener_id);
    const plays = csv(dir, 'plays.csv');
    const linked = listeners.filter((id) => plays.some((p) => p.listener_id === id)).length;
    const answered = listeners.filter((id) => csv(dir, 'survey.csv').some((a) => a.listener_id === id)).length;
    expect(titles).toContain(`${plays.length} rows · 5 fields · ${Math.round((100 * linked) / listeners.length)}% of listeners have plays`);
    expect(titles).toContain(`3 rows · 3 fields · ${Math.round((100 * answered) / listeners.length)}% of listeners have survey`);
  });

  it('goes to the field declaration from `plays.ms_played` and from a name inside the aggregate', async () => {
    const text = client.textOf(FILE);
    const fromDotted = cursor(markAfter(text, 'sum(plays.ms_pl')).position;
    const target = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: client.uri(FILE) }, position: fromDotted });
    const declared = text.indexOf('ms_played: integer');
    const location = target as Location;
    expect(location.uri).toBe(client.uri(FILE));
    expect(location.range.start).toEqual(cursor(`${text.slice(0, declared)}┆${text.slice(declared)}`).position);
    const fromFilter = cursor(markAfter(text, 'where playl')).position;
    const second = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: client.uri(FILE) }, position: fromFilter })) as Location;
    const playlistDeclared = text.indexOf('playlist: enum?');
    expect(second.range.start).toEqual(cursor(`${text.slice(0, playlistDeclared)}┆${text.slice(playlistDeclared)}`).position);
  });

  it('renames a field of plays in its declaration, in `plays.f` and in the where of aggregates over plays', async () => {
    const text = client.textOf(FILE);
    const position = cursor(markAfter(text, 'where playl')).position;
    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: client.uri(FILE) }, position });
    expect(prepared).not.toBeNull();
    const edit = await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: client.uri(FILE) }, position, newName: 'source_list' });
    const renamed = applyEdits(text, editsFor(edit, client.uri(FILE)));
    expect(renamed).toContain('source_list: enum?');
    expect(renamed).toContain('where source_list == "discover_weekly"');
    expect(renamed).not.toMatch(/\bplaylist\b/);
    // ms_played through the dotted form: every occurrence, and nothing of listeners.
    const position2 = cursor(markAfter(text, 'sum(plays.ms_pl')).position;
    const edit2 = await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: client.uri(FILE) }, position: position2, newName: 'duration_ms' });
    const renamed2 = applyEdits(text, editsFor(edit2, client.uri(FILE)));
    expect(renamed2).toContain('duration_ms: integer');
    expect(renamed2).toContain('sum(plays.duration_ms where');
  });

  it('colours related dataset names, their fields and the aggregate functions', async () => {
    const tokens = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: client.uri(FILE) } });
    const legend = client.initializeResult?.capabilities.semanticTokensProvider?.legend;
    const text = client.textOf(FILE);
    const lines = text.split('\n');
    const decoded: Array<{ text: string; type: string }> = [];
    let line = 0;
    let char = 0;
    for (let i = 0; i < (tokens?.data.length ?? 0); i += 5) {
      const [dl, dc, len, type] = tokens!.data.slice(i, i + 4);
      line += dl;
      char = dl === 0 ? char + dc : dc;
      decoded.push({ text: lines[line].slice(char, char + len), type: legend!.tokenTypes[type] });
    }
    const whereLine = lines.findIndex((l) => l.includes('where sum('));
    expect(whereLine).toBeGreaterThan(0);
    expect(decoded).toEqual(
      expect.arrayContaining([
        { text: 'count', type: 'function' },
        { text: 'sum', type: 'function' },
        { text: 'plays', type: 'namespace' },
        { text: 'ms_played', type: 'property' },
        { text: 'playlist', type: 'property' },
        { text: 'survey', type: 'namespace' },
        { text: 'attitude', type: 'property' },
      ]),
    );
  });
});
