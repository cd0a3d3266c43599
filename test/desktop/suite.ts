/**
 * The editor scenarios that the VS Code API can express, run inside a real
 * extension host (desktop VS Code through @vscode/test-electron, or the
 * remote extension host of code-server): diagnostics, quick fix, code lenses,
 * hover, completion, Markdown references and rename. The workspace is a
 * private copy of samples/productivity opened by the runner.
 *
 * Entry point for the extension host: `run()`.
 */
import * as vscode from 'vscode';
import { join } from 'node:path';
import { check, runAll, test } from './harness.js';
import { formatCount, loadSampleFacts, mentionedMembers, statesSizeAndShare, type SampleFacts } from '../e2e/support/sample-facts.js';
import { firstDifference, renamedText } from '../e2e/support/rename-expectations.js';
import { until, untilObserved } from '../e2e/support/wait.js';

const EXTENSION_ID = 'segspec.segspec';

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the runner opened no workspace folder');
  return folder.uri.fsPath;
}

function uriOf(relative: string): vscode.Uri {
  return vscode.Uri.file(join(workspaceRoot(), relative));
}

async function open(relative: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(uriOf(relative));
  await vscode.window.showTextDocument(document);
  return document;
}

function positionOf(document: vscode.TextDocument, needle: string, offset = 0, occurrence = 1): vscode.Position {
  const text = document.getText();
  let index = -1;
  for (let n = 0; n < occurrence; n += 1) {
    index = text.indexOf(needle, index + 1);
    check(index >= 0, `'${needle}' is not in ${document.uri.fsPath}`);
  }
  return document.positionAt(index + offset);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

function labelOf(item: vscode.CompletionItem): string {
  const label = typeof item.label === 'string' ? item.label : item.label.label;
  return label.replace(/^["']|["']$/g, '');
}

function problemsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning);
}

/** Waits for the diagnostics of `uri` to satisfy `accept`, on change events (and a final poll as a safety net). */
async function diagnosticsWhere(uri: vscode.Uri, what: string, accept: (d: vscode.Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  const current = vscode.languages.getDiagnostics(uri);
  if (accept(current)) return current;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      const seen = vscode.languages.getDiagnostics(uri).map((d) => d.message);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; diagnostics: ${JSON.stringify(seen)}`));
    }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((u) => u.toString() === uri.toString())) return;
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!accept(diagnostics)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(diagnostics);
    });
  });
}

async function replaceAll(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  check(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
}

/** Code lens titles of a document, resolved, once one states the students' size and share. */
async function lensTitles(uri: vscode.Uri, facts: SampleFacts): Promise<string[]> {
  return untilObserved(
    'a code lens with the size and share of students',
    async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return (lenses ?? []).map((l) => l.command?.title ?? '');
    },
    (titles) => titles.some((t) => statesSizeAndShare(t, facts.students)),
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

let facts: SampleFacts;

test('the extension activates', async () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  check(extension, `extension ${EXTENSION_ID} is not installed`);
  await extension.activate();
  check(extension.isActive, 'the extension did not activate');
  facts = loadSampleFacts(workspaceRoot());
});

test('a valid .segspec file: code lens with size and share, no problems', async () => {
  const document = await open('segments.segspec');
  const titles = await lensTitles(document.uri, facts);
  const lens = titles.find((t) => statesSizeAndShare(t, facts.students));
  console.log(`    code lens: ${lens}`);
  for (const file of ['segments.segspec', 'personas.segspec', 'data.segspec', 'roadmap.md']) {
    const problems = problemsOf(uriOf(file));
    check(problems.length === 0, `${file} has problems: ${problems.map((p) => p.message).join('; ')}`);
  }
});

test('a misspelled field: error with did-you-mean, and a quick fix that corrects it', async () => {
  const document = await open('segments.segspec');
  const original = document.getText();
  const start = positionOf(document, 'and plan != "enterprise"', 'and '.length);
  const range = new vscode.Range(start, start.translate(0, 'plan'.length));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, range, 'plna');
  check(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
  const typedAt = Date.now();
  try {
    const diagnostics = await diagnosticsWhere(document.uri, "an error about 'plna'", (ds) =>
      ds.some((d) => /plna/.test(d.message) && /did you mean/i.test(d.message) && /\bplan\b/.test(d.message)),
    );
    const problem = diagnostics.find((d) => /plna/.test(d.message));
    console.log(`    after ${Date.now() - typedAt} ms: ${problem?.message}`);
    check(problem?.range.start.line === start.line, `the problem is on line ${problem?.range.start.line}, not ${start.line}`);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, range, vscode.CodeActionKind.QuickFix.value);
    const fix = (actions ?? []).find((a) => /\bplan\b/.test(a.title) && a.edit);
    check(fix?.edit, `no quick fix naming 'plan' among: ${(actions ?? []).map((a) => a.title).join('; ')}`);
    check(await vscode.workspace.applyEdit(fix.edit), 'the quick fix did not apply');
    check(document.getText() === original, `after the quick fix: ${firstDifference(document.getText(), original)}`);
    await diagnosticsWhere(document.uri, "the 'plna' error to go away", (ds) => !ds.some((d) => /plna/.test(d.message)));
  } finally {
    if (document.getText() !== original) await replaceAll(document, original);
    await document.save();
  }
});

test('hover over a segment name: size, share and sample members', async () => {
  const document = await open('segments.segspec');
  const position = positionOf(document, 'segment students', 'segment st'.length);
  const text = await untilObserved(
    'a hover with size, share and members',
    async () => hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? []),
    (t) => statesSizeAndShare(t, facts.students) && mentionedMembers(t, facts.students).length > 0,
  );
  console.log(`    hover: ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
});

test("completion: the dataset's fields after `where `, the plan values after `plan == `", async () => {
  const document = await open('segments.segspec');
  const original = document.getText();
  try {
    await replaceAll(document, `${original}\nsegment probe "Probe" {\n  kind behavioral\n  where \n}\n`);
    const whereLine = document.lineCount - 3;
    const afterWhere = new vscode.Position(whereLine, document.lineAt(whereLine).text.length);
    const fields = await untilObserved(
      'field completions',
      async () => ((await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, afterWhere))?.items ?? []).map(labelOf),
      (labels) => facts.fields.every((f) => labels.includes(f)),
    );
    console.log(`    after 'where ': ${fields.length} items`);

    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, afterWhere, 'plan == ');
    check(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
    const afterPlan = afterWhere.translate(0, 'plan == '.length);
    const values = await untilObserved(
      'plan value completions',
      async () => ((await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, afterPlan))?.items ?? []).map(labelOf),
      (labels) => facts.planValues.every((v) => labels.includes(v)),
    );
    console.log(`    after 'plan == ': ${values.join(', ')}`);
  } finally {
    await replaceAll(document, original);
    await document.save();
  }
});

test('roadmap.md: an unknown @segment is a problem, a known one has a hover with its size', async () => {
  const document = await open('roadmap.md');
  const original = document.getText();
  try {
    const end = document.positionAt(original.length);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, end, '\nStudy groups come later, for @segment(studnets).\n');
    check(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
    const diagnostics = await diagnosticsWhere(document.uri, "a problem about 'studnets'", (ds) =>
      ds.some((d) => /studnets/.test(d.message) && /did you mean/i.test(d.message) && /students/.test(d.message)),
    );
    console.log(`    ${diagnostics.find((d) => /studnets/.test(d.message))?.message}`);

    const known = positionOf(document, '@segment(students)', '@segment(stu'.length);
    const size = formatCount(facts.students.size);
    await untilObserved(
      `a hover stating ${size}`,
      async () => hoverText((await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, known)) ?? []),
      (t) => t.includes(size),
    );
  } finally {
    await replaceAll(document, original);
    await document.save();
  }
});

test('rename a segment: uses in other .segspec files and in Markdown follow', async () => {
  const document = await open('segments.segspec');
  const files = ['segments.segspec', 'personas.segspec', 'data.segspec', 'roadmap.md'];
  const before = await Promise.all(files.map(async (f) => (await vscode.workspace.openTextDocument(uriOf(f))).getText()));
  const expected = new Map(files.map((f, i) => [f, renamedText(f, before[i], 'students', 'learners')]));
  const position = positionOf(document, 'segment students', 'segment s'.length);
  const edit = await until('a rename edit', async () =>
    vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', document.uri, position, 'learners'),
  );
  const touched = edit.entries().map(([uri]) => uri.fsPath.split('/').pop() ?? '');
  console.log(`    edit touches ${touched.join(', ')}`);
  check(await vscode.workspace.applyEdit(edit), 'the rename edit did not apply');
  for (const file of files) {
    const text = (await vscode.workspace.openTextDocument(uriOf(file))).getText();
    check(text === expected.get(file), `${file} after rename: ${firstDifference(text, expected.get(file) ?? '')}`);
  }
  await vscode.workspace.saveAll(false);
});

/** Called by the extension host with the tests path. */
export async function run(): Promise<void> {
  const summary = await runAll(process.env.SEGSPEC_DESKTOP_RESULTS);
  if (summary.failed > 0) throw new Error(`${summary.failed} desktop test(s) failed`);
}
