/**
 * Quick fixes keyed by diagnostic code: did-you-mean replacements, add a
 * missing field to `fields`, create a missing segment or persona; and the
 * refactoring "pin the inferred type" on fields that are not declared.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { Finding } from '../../core/diagnostics/types.js';
import type { FeatureContext } from '../context.js';
import type { Snapshot } from '../session.js';
import { addFieldsEdit, appendDeclarationEdit, type FileEdit } from '../edits.js';
import { locate, offsetIn } from '../locate.js';
import { isMarkdown, pathToUri } from '../uris.js';
import { toLspRange } from '../ranges.js';
import type { Range } from '../../core/syntax/ast.js';
import { findingsOf } from './diagnostics.js';
import { referenceAt } from '../../core/markdown/index.js';
import { copySqlAction, copySqlTarget, registerCopySql, sqlDialectSetting } from './copy-sql.js';
import { personaDraftAction, personaDraftTarget, registerPersonaDraftResolve } from './persona-draft-action.js';

export const codeActionKinds = [CodeActionKind.QuickFix, CodeActionKind.Refactor, CodeActionKind.RefactorRewrite];

function sameStart(d: Diagnostic, f: Finding): boolean {
  return d.range.start.line === f.range.start.line && d.range.start.character === f.range.start.character;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function titleCase(name: string): string {
  return name.split('_').filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
}

export function registerCodeActions(ctx: FeatureContext): void {
  const { connection, session } = ctx;
  const uriOf = (path: string): string => session.documentFor(path)?.uri ?? pathToUri(path);
  const workspaceEdit = (...edits: FileEdit[]): WorkspaceEdit => {
    const changes: Record<string, TextEdit[]> = {};
    for (const e of edits) (changes[uriOf(e.path)] ??= []).push(e.edit);
    return { changes };
  };

  connection.onCodeAction(async (params, token) => {
    const path = session.pathFromUri(params.textDocument.uri);
    const snapshot = await session.snapshotFor(path, token);
    const actions: CodeAction[] = [];
    const findings = findingsOf(snapshot, path);
    for (const diagnostic of params.context.diagnostics) {
      const finding = findings.find((f) => f.code === diagnostic.code && sameStart(diagnostic, f));
      if (!finding) continue;
      actions.push(...fixesFor(snapshot, path, finding, diagnostic, workspaceEdit));
    }
    actions.push(...pinActions(snapshot, path, params.range.start, workspaceEdit));
    // "Copy SQL" runs a command of the Segspec extension: offered to that client only.
    if (ctx.codeDescriptionCommand) {
      const segment = copySqlTarget(snapshot, path, params.range.start);
      if (segment) actions.push(copySqlAction(segment, await sqlDialectSetting(ctx)));
    }
    const personaSegment = personaDraftTarget(snapshot, path, params.range.start);
    const personaAction = personaSegment ? personaDraftAction(ctx, snapshot, personaSegment, params.textDocument.uri) : undefined;
    if (personaAction) actions.push(personaAction);
    return actions;
  });
  registerCopySql(ctx);
  registerPersonaDraftResolve(ctx);
}

function fixesFor(
  snapshot: Snapshot,
  path: string,
  finding: Finding,
  diagnostic: Diagnostic,
  workspaceEdit: (...edits: FileEdit[]) => WorkspaceEdit,
): CodeAction[] {
  const actions: CodeAction[] = [];
  const data = finding.data ?? {};
  const suggestions = stringList(data.suggestions);
  suggestions.forEach((suggestion, i) => {
    const newText = data.quoted === true ? JSON.stringify(suggestion) : suggestion;
    actions.push({
      title: `Change to ${newText}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: i === 0,
      edit: workspaceEdit({ path, edit: { range: diagnostic.range, newText } }),
    });
  });
  const fix = textFix(data.fix);
  if (fix) {
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: suggestions.length === 0,
      edit: workspaceEdit({ path, edit: { range: toLspRange(fix.range), newText: fix.newText } }),
    });
  }
  const name = typeof data.name === 'string' ? data.name : undefined;
  if (finding.code === 'SEG004' && name && typeof data.dataset === 'string') {
    const edit = addFieldsEdit(snapshot, data.dataset, [`${name}: string`]);
    if (edit) {
      actions.push({ title: `Add field \`${name}\` to the fields of \`${data.dataset}\``, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit(edit) });
    }
  }
  if ((finding.code === 'SEG003' || finding.code === 'SEG006' || finding.code === 'SEG300') && name) {
    const kind = referenceKind(snapshot, path, finding);
    const target = stubFile(snapshot, path, kind);
    if (target) {
      const body =
        kind === 'segment'
          ? `segment ${name} "${titleCase(name)}" {\n  description ""\n}`
          : `persona ${name} "${titleCase(name)}" {\n  segment ${[...snapshot.analysis.model.segments.keys()][0] ?? 'segment_name'}\n  quote ""\n}`;
      actions.push({
        title: `Create ${kind} \`${name}\``,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: workspaceEdit(appendDeclarationEdit(target.text, target.path, body)),
      });
    }
  }
  return actions;
}

/** A finding's `data.fix`: one replacement with its title (e.g. "Drop the quotes"). */
function textFix(value: unknown): { title: string; range: Range; newText: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { title, range, newText } = value as Record<string, unknown>;
  if (typeof title !== 'string' || typeof newText !== 'string' || typeof range !== 'object' || range === null) return undefined;
  return { title, range: range as Range, newText };
}

/** Whether an unknown name stands for a segment or a persona (Markdown findings share one code). */
function referenceKind(snapshot: Snapshot, path: string, finding: Finding): 'segment' | 'persona' {
  if (finding.code === 'SEG006') return 'persona';
  if (finding.code === 'SEG003') return 'segment';
  const doc = snapshot.markdown.get(path);
  return (doc && referenceAt(doc, finding.range.start.offset)?.kind) ?? 'segment';
}

/** Where a new declaration goes: the current .segspec file, or for Markdown the file that holds most declarations of that kind. */
function stubFile(snapshot: Snapshot, path: string, kind: 'segment' | 'persona'): { path: string; text: string } | undefined {
  const files = snapshot.analysis.model.files;
  if (!isMarkdown(path)) {
    const file = files.get(path);
    return file ? { path, text: file.text } : undefined;
  }
  const symbols = kind === 'segment' ? snapshot.analysis.model.segments : snapshot.analysis.model.personas;
  const counts = new Map<string, number>();
  for (const s of symbols.values()) counts.set(s.file, (counts.get(s.file) ?? 0) + 1);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? [...files.keys()][0];
  const file = best ? files.get(best) : undefined;
  return file ? { path: file.path, text: file.text } : undefined;
}

function pinActions(
  snapshot: Snapshot,
  path: string,
  position: { line: number; character: number },
  workspaceEdit: (...edits: FileEdit[]) => WorkspaceEdit,
): CodeAction[] {
  const offset = offsetIn(snapshot, path, position);
  if (offset === undefined || isMarkdown(path)) return [];
  const located = locate(snapshot, path, offset);
  const model = snapshot.analysis.model;
  const actions: CodeAction[] = [];
  const typeText = (info: { type: string; optional: boolean }): string => `${info.type}${info.optional ? '?' : ''}`;
  if (located?.target.kind === 'field') {
    const info = model.fieldTypes.get(located.target.dataset)?.get(located.target.name);
    if (info?.inferred) {
      const edit = addFieldsEdit(snapshot, located.target.dataset, [`${located.target.name}: ${typeText(info)}`]);
      if (edit) {
        actions.push({ title: `Pin the type of \`${located.target.name}\` (${typeText(info)}) in fields`, kind: CodeActionKind.RefactorRewrite, edit: workspaceEdit(edit) });
      }
    }
  }
  if (located?.target.kind === 'dataset') {
    const inferred = [...(model.fieldTypes.get(located.target.name) ?? new Map())].filter(([, info]) => info.inferred);
    if (inferred.length) {
      const edit = addFieldsEdit(snapshot, located.target.name, inferred.map(([name, info]) => `${name}: ${typeText(info)}`));
      if (edit) actions.push({ title: `Pin the ${inferred.length} inferred field types of \`${located.target.name}\``, kind: CodeActionKind.RefactorRewrite, edit: workspaceEdit(edit) });
    }
  }
  return actions;
}
