/**
 * "Draft a persona for <segment>": the code action on a segment inserts the
 * persona `segspec persona SEGMENT` prints, after the segment; the result
 * parses, checks clean, and its profile is a member.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeActionRequest, CodeActionResolveRequest, type CodeAction, type Command, type Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient, applyEdits, copySample, cursor, editsFor } from './harness.js';
import { ensureBuilt, segspec } from '../cli/helpers.js';
import { PreviewRequestMethod, type PreviewData } from '../../server/src/lsp/protocol.js';

const FILE = 'segments.segspec';

function at(text: string, needle: string, into: number): string {
  const i = text.indexOf(needle);
  expect(i).toBeGreaterThanOrEqual(0);
  return `${text.slice(0, i + into)}┆${text.slice(i + into)}`;
}

const problems = (diagnostics: Diagnostic[]): Diagnostic[] => diagnostics.filter((d) => d.severity === 1 || d.severity === 2);

async function actionsAt(client: TestClient, marked: string): Promise<Array<CodeAction | Command>> {
  const { position } = cursor(marked);
  const result = await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: client.uri(FILE) },
    range: { start: position, end: position },
    context: { diagnostics: [] },
  });
  return result ?? [];
}

const draftAction = (actions: Array<CodeAction | Command>, segment: string): CodeAction | undefined =>
  actions.find((a): a is CodeAction => 'kind' in a && a.title === `Draft a persona for ${segment}`);

describe.each([
  ['a client that resolves edits', { codeAction: { resolveSupport: { properties: ['edit'] } } }],
  ['a client that does not', {}],
])('Draft a persona, for %s', (_name, capabilities) => {
  let root: string;
  let client: TestClient;
  beforeAll(async () => {
    ensureBuilt();
    root = copySample('productivity');
    client = await TestClient.start(root, 'ipc', capabilities);
    await client.open(FILE);
  });
  afterAll(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('inserts what `segspec persona` prints after the segment, and the new persona checks clean with a member profile', async () => {
    const text = client.textOf(FILE);
    let action = draftAction(await actionsAt(client, at(text, 'segment freelancers', 'segment free'.length)), 'freelancers');
    expect(action).toBeDefined();
    if (!action!.edit) action = await client.connection.sendRequest(CodeActionResolveRequest.type, action!);
    const edits = editsFor(action!.edit ?? null, client.uri(FILE));
    expect(edits).toHaveLength(1);

    const cli = await segspec(['persona', 'freelancers', root]);
    expect(cli.code).toBe(0);
    expect(edits[0].newText.trim()).toBe(cli.stdout.trim());

    const updated = applyEdits(text, edits);
    // Right after the segment's closing brace, before the next declaration.
    const segmentEnd = text.indexOf('\n}\n', text.indexOf('segment freelancers')) + 3;
    expect(updated.slice(0, segmentEnd)).toBe(text.slice(0, segmentEnd));
    expect(updated.slice(segmentEnd)).toMatch(/^\n\/\/ Persona draft for freelancers[\s\S]*?\npersona freelancers_persona \{/);
    expect(updated.slice(segmentEnd + edits[0].newText.length)).toBe(text.slice(segmentEnd));

    const diagnostics = await client.change(FILE, updated);
    expect(problems(diagnostics.diagnostics)).toEqual([]);
    const preview = await client.connection.sendRequest<PreviewData>(PreviewRequestMethod, { segment: 'freelancers' });
    const persona = preview.personas.find((p) => p.name === 'freelancers_persona');
    expect(persona).toMatchObject({ segment: 'freelancers', profileIsMember: true });
    expect(persona!.goals.length).toBeGreaterThan(0);
  });

  it('is offered on a reference to a segment too, and not away from segment names', async () => {
    const text = client.textOf(FILE);
    expect(draftAction(await actionsAt(client, at(text, 'where power_users and not students', 'where power'.length)), 'power_users')).toBeDefined();
    expect(draftAction(await actionsAt(client, at(text, 'where lower(job)', 'where lo'.length)), 'freelancers')).toBeUndefined();
  });

  it('is not offered on a segment without members or without a rule', async () => {
    const text = client.textOf(FILE);
    const extra = `${text}\nsegment nobody_here {\n  from users\n  where age > 1000\n}\n\nsegment idea_only "Idea" {\n  description "no rule yet"\n}\n`;
    await client.change(FILE, extra);
    expect(draftAction(await actionsAt(client, at(extra, 'segment nobody_here', 'segment no'.length)), 'nobody_here')).toBeUndefined();
    expect(draftAction(await actionsAt(client, at(extra, 'segment idea_only', 'segment id'.length)), 'idea_only')).toBeUndefined();
    expect(draftAction(await actionsAt(client, at(extra, 'segment students', 'segment stu'.length)), 'students')).toBeDefined();
  });
});
