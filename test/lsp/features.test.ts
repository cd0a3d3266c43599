/**
 * Editor features over the wire, with cursor markers (┆) in fixtures: hover,
 * completion, definition, references, rename across .segspec and Markdown,
 * quick fixes, lenses, symbols, Markdown references.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentLinkRequest,
  DocumentSymbolRequest,
  HoverRequest,
  InlayHintRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  WorkspaceSymbolRequest,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type Location,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import { TestClient, applyEdits, copySample, cursor, editsFor } from './harness.js';

function hoverText(hover: Hover | null): string {
  return (hover?.contents as MarkupContent | undefined)?.value ?? '';
}

function labels(result: CompletionList | CompletionItem[] | null): string[] {
  const items = Array.isArray(result) ? result : (result?.items ?? []);
  return items.map((i) => i.label);
}

/** Puts the cursor marker right after the first occurrence of `anchor`. */
function markAfter(text: string, anchor: string): string {
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`anchor not found: ${anchor}`);
  return `${text.slice(0, at + anchor.length)}┆${text.slice(at + anchor.length)}`;
}

describe('editor features on samples/productivity', () => {
  let client: TestClient;
  beforeAll(async () => {
    client = await TestClient.start(copySample('productivity'));
    await client.open('segments.segspec');
    await client.open('roadmap.md');
  });
  afterAll(async () => {
    await client.stop();
  });

  const hoverAt = async (file: string, anchor: string): Promise<string> => {
    const { position } = cursor(markAfter(client.textOf(file), anchor));
    return hoverText(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(file) }, position }));
  };

  it('hovers a field with its type and what the data holds', async () => {
    const text = await hoverAt('segments.segspec', 'where is_stu');
    expect(text).toContain('is_student');
    expect(text).toContain('boolean');
    expect(text).toMatch(/Missing: \d/);
    expect(text).toMatch(/`"true"` [\d,]+/);
  });

  it('hovers a segment with size, share, expectations and sample members', async () => {
    const text = await hoverAt('segments.segspec', 'segment freela');
    expect(text).toContain('Freelancers');
    expect(text).toMatch(/\*\*[\d,]+ users · \d+\.\d%\*\* of 8,000/);
    expect(text).toMatch(/\d+\/\d+ expectations/);
    expect(text).toContain('Sample members');
    expect(text).toContain('| user_id |');
  });

  it('hovers a persona reference in Markdown with its card', async () => {
    const text = await hoverAt('roadmap.md', '@persona(fio');
    expect(text).toContain('Freelance Fiona');
    expect(text).toContain('Every minute on admin');
  });

  it('completes values seen in the data after `field ==`', async () => {
    const fixture = cursor(`${client.textOf('segments.segspec')}\nsegment probe "Probe" {\n  where device == ┆\n}\n`);
    await client.change('segments.segspec', fixture.text);
    const result = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri('segments.segspec') }, position: fixture.position });
    expect(labels(result)).toEqual(expect.arrayContaining(['"desktop"', '"mobile"']));
  });

  it('completes field and segment names in a rule, and values inside `in [`', async () => {
    const base = client.textOf('segments.segspec');
    const operand = cursor(`${base}\nsegment probe2 {\n  where plan == "pro" and ┆\n}\n`);
    await client.change('segments.segspec', operand.text);
    const names = labels(await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri('segments.segspec') }, position: operand.position }));
    expect(names).toEqual(expect.arrayContaining(['age', 'sessions_30d', 'students', 'freelancers']));
    const list = cursor(`${base}\nsegment probe2 {\n  where plan in ["free", ┆]\n}\n`);
    await client.change('segments.segspec', list.text);
    const values = labels(await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri('segments.segspec') }, position: list.position }));
    expect(values).toEqual(expect.arrayContaining(['"pro"', '"team"', '"enterprise"']));
    await client.change('segments.segspec', base.slice(0, base.indexOf('\nsegment probe "Probe"')));
  });

  it('completes segment names in a Markdown reference', async () => {
    const fixture = cursor(`${client.textOf('roadmap.md')}\nAlso for @segment(free┆\n`);
    await client.change('roadmap.md', fixture.text);
    const result = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: client.uri('roadmap.md') }, position: fixture.position });
    expect(labels(result)).toContain('freelancers');
  });

  it('goes from a roadmap reference to the segment definition', async () => {
    const { position } = cursor(markAfter(client.textOf('roadmap.md'), '@segment(stud'));
    const result = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: client.uri('roadmap.md') }, position })) as Location;
    expect(result.uri).toBe(client.uri('segments.segspec'));
    const line = client.textOf('segments.segspec').split('\n')[result.range.start.line];
    expect(line).toContain('segment students');
  });

  it('finds references in .segspec and Markdown files, a flag\'s `for` included', async () => {
    const { position } = cursor(markAfter(client.textOf('segments.segspec'), 'segment stud'));
    const refs = (await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: client.uri('segments.segspec') },
      position,
      context: { includeDeclaration: true },
    })) as Location[];
    const files = new Set(refs.map((r) => r.uri));
    expect(files).toEqual(new Set([client.uri('segments.segspec'), client.uri('personas.segspec'), client.uri('flags.segspec'), client.uri('roadmap.md')]));
  });

  it('renames a segment across .segspec and Markdown files', async () => {
    const { position } = cursor(markAfter(client.textOf('segments.segspec'), 'segment stud'));
    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: client.uri('segments.segspec') }, position });
    expect(prepared).toMatchObject({ placeholder: 'students' });
    const edit = await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: client.uri('segments.segspec') }, position, newName: 'learners' });
    const roadmap = applyEdits(client.textOf('roadmap.md'), editsFor(edit, client.uri('roadmap.md')));
    expect(roadmap).toContain('@segment(learners)');
    expect(roadmap).not.toContain('@segment(students)');
    expect(roadmap).toMatch(/segments: \[learners,/);
    const personas = applyEdits(client.textOf('personas.segspec'), editsFor(edit, client.uri('personas.segspec')));
    expect(personas).toContain('segment learners');
    const segments = applyEdits(client.textOf('segments.segspec'), editsFor(edit, client.uri('segments.segspec')));
    expect(segments).toContain('segment learners "Students"');
    expect(segments).toContain('expect disjoint learners');
    expect(segments).toContain('where power_users and not learners');
    for (const old of ['expect disjoint students', 'and not students', 'overlap(students)']) expect(segments).not.toContain(old);
  });

  it('renames a persona from its Markdown reference', async () => {
    const { position } = cursor(markAfter(client.textOf('roadmap.md'), '@persona(fi'));
    const edit = await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: client.uri('roadmap.md') }, position, newName: 'freelance_fiona' });
    expect(applyEdits(client.textOf('personas.segspec'), editsFor(edit, client.uri('personas.segspec')))).toContain('persona freelance_fiona "Freelance Fiona"');
    const roadmap = applyEdits(client.textOf('roadmap.md'), editsFor(edit, client.uri('roadmap.md')));
    expect(roadmap).toContain('@persona(freelance_fiona)');
    expect(roadmap).not.toContain('@persona(fiona)');
  });

  it('refuses to rename to a name that is taken or not a name', async () => {
    const { position } = cursor(markAfter(client.textOf('segments.segspec'), 'segment stud'));
    const params = { textDocument: { uri: client.uri('segments.segspec') }, position };
    await expect(client.connection.sendRequest(RenameRequest.type, { ...params, newName: 'freelancers' })).rejects.toThrow(/already defined/);
    await expect(client.connection.sendRequest(RenameRequest.type, { ...params, newName: 'two words' })).rejects.toThrow(/not a valid name/);
  });

  it('offers did-you-mean and create-segment fixes for an unknown segment in Markdown', async () => {
    const text = `${client.textOf('roadmap.md')}\nSee @segment(freelancer) and @segment(night_owls).\n`;
    const published = await client.change('roadmap.md', text);
    const typo = published.diagnostics.find((d) => String(d.message).includes('freelancer') && String(d.message).includes('freelancers'));
    expect(typo).toBeDefined();
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client.uri('roadmap.md') },
      range: typo!.range,
      context: { diagnostics: [typo!] },
    });
    const change = actions?.find((a) => a.title.includes('freelancers'));
    expect(change).toBeDefined();
    const fixed = applyEdits(text, editsFor('edit' in change! ? change.edit ?? null : null, client.uri('roadmap.md')));
    expect(fixed).toContain('@segment(freelancers) and');

    const missing = published.diagnostics.find((d) => String(d.message).includes('night_owls'))!;
    const stubs = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client.uri('roadmap.md') },
      range: missing.range,
      context: { diagnostics: [missing] },
    });
    const create = stubs?.find((a) => a.title.includes('Create segment'));
    expect(create && 'edit' in create ? JSON.stringify(create.edit) : '').toContain('segment night_owls');
  });

  it('shows a lens with size, share and expectations above each segment', async () => {
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri('segments.segspec') } });
    const titles = (lenses ?? []).map((l) => l.command?.title ?? '');
    expect(titles.length).toBeGreaterThanOrEqual(19);
    expect(titles.some((t) => /^[\d,]+ users · \d+\.\d% · \d+\/\d+ expectations$/.test(t))).toBe(true);
  });

  it('shows lenses on personas and partitions', async () => {
    await client.open('personas.segspec');
    const personaLenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri('personas.segspec') } });
    expect((personaLenses ?? []).map((l) => l.command?.title)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^persona of freelancers · [\d,]+ users · profile is a member ✓$/)]),
    );
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri('segments.segspec') } });
    expect((lenses ?? []).map((l) => l.command?.title)).toContain('3 segments · exclusive ✓ · exhaustive ✓');
  });

  it('hovers an expectation with what was measured', async () => {
    const text = await hoverAt('segments.segspec', 'expect size between 8%');
    expect(text).toMatch(/^\*\*✓ holds\*\* — /);
    expect(text).toMatch(/\d+\\\.\d%/);
  });

  it('links the source of a dataset to its data file', async () => {
    await client.open('data.segspec');
    const links = await client.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: client.uri('data.segspec') } });
    expect(links?.map((l) => l.target)).toEqual([client.uri('data/users.csv')]);
  });

  it('shows the size after each Markdown reference as an inlay hint', async () => {
    const hints = await client.connection.sendRequest(InlayHintRequest.type, {
      textDocument: { uri: client.uri('roadmap.md') },
      range: { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } },
    });
    expect((hints ?? []).length).toBeGreaterThan(5);
    expect(hints!.some((h) => /^[\d,]+ · \d+\.\d%$/.test(String(h.label)))).toBe(true);
  });

  it('formats a one-line declaration one property per line', async () => {
    await client.open('scratch.segspec', 'segment young { kind demographic where age < 25 }\n');
    const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri: client.uri('scratch.segspec') },
      options: { tabSize: 2, insertSpaces: true },
    });
    const formatted = applyEdits(client.textOf('scratch.segspec'), edits ?? []);
    expect(formatted).toBe('segment young {\n  kind demographic\n  where age < 25\n}\n');
    await client.close('scratch.segspec');
  });

  it('lists symbols of a document and of the workspace', async () => {
    const symbols = await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: client.uri('segments.segspec') } });
    expect((symbols ?? []).map((s) => s.name)).toEqual(expect.arrayContaining(['students', 'freelancers', 'activity']));
    const found = await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'fio' });
    expect((found ?? []).map((s) => s.name)).toContain('fiona');
  });
});
