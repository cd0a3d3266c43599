/**
 * Problems found while loading, before they are placed in the spec file.
 * Loading depends only on bytes and field specs; where a problem is shown
 * (the field's declaration, the `source` string, the `key`) is decided when
 * it becomes a `Finding`, so a cached load can be placed again after an edit.
 */
import type { Finding, Severity } from '../diagnostics/types.js';
import type { FieldDecl, Range } from '../syntax/ast.js';
import { dataCodes } from './codes.js';

export type IssueTarget =
  | { kind: 'source' }
  | { kind: 'key' }
  /** `name`: the field's name (e.g. no column); `type`: its type (values that do not fit). */
  | { kind: 'field'; field: string; part: 'name' | 'type' };

export interface DataIssue {
  code: string;
  severity: Severity;
  message: string;
  target: IssueTarget;
  data?: Record<string, unknown>;
}

const severities = new Map(dataCodes.map((entry) => [entry.code, entry.severity]));

export function issue(code: string, message: string, target: IssueTarget, data?: Record<string, unknown>): DataIssue {
  const result: DataIssue = { code, severity: severities.get(code) ?? 'error', message, target };
  if (data) result.data = data;
  return result;
}

export interface IssuePlacement {
  /** The `.segspec` file that declares the dataset. */
  file: string;
  /** Range of the dataset's `source` string. */
  sourceRange: Range;
  /** Range of the `key` property's value, when there is one. */
  keyRange?: Range;
  /** Declared fields by name. */
  fields?: ReadonlyMap<string, FieldDecl>;
}

export const EMPTY_RANGE: Range = {
  start: { line: 0, character: 0, offset: 0 },
  end: { line: 0, character: 0, offset: 0 },
};

export function fieldsByName(fields: readonly FieldDecl[]): Map<string, FieldDecl> {
  const byName = new Map<string, FieldDecl>();
  for (const field of fields) if (!byName.has(field.name.name)) byName.set(field.name.name, field);
  return byName;
}

function rangeOf(target: IssueTarget, placement: IssuePlacement): Range {
  if (target.kind === 'key') return placement.keyRange ?? placement.sourceRange;
  if (target.kind === 'field') {
    const decl = placement.fields?.get(target.field);
    if (!decl) return placement.sourceRange;
    if (target.part === 'type' && decl.fieldType) return decl.fieldType.range;
    return decl.name.range;
  }
  return placement.sourceRange;
}

export function issuesToFindings(issues: readonly DataIssue[], placement: IssuePlacement): Finding[] {
  return issues.map((i) => {
    const finding: Finding = {
      code: i.code,
      severity: i.severity,
      message: i.message,
      file: placement.file,
      range: rangeOf(i.target, placement),
    };
    if (i.data) finding.data = i.data;
    return finding;
  });
}
