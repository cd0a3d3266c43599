/**
 * What an imported flag's segment selects on given rows, for the property
 * tests that compare import-then-our-evaluation with each system's SDK: the
 * imported text is checked in a workspace over the rows (no error but the
 * flag's own findings), and each row comes back with the context a flag check
 * sends for it (the values the data holds; a value the field's type rejects is
 * missing).
 */
import { expect } from 'vitest';
import type { Finding } from '../../../server/src/core/diagnostics/types.js';
import { hasBit } from '../../../server/src/core/engine/index.js';
import { cellAttribute } from '../../../server/src/core/flags/context.js';
import type { FlagAttributeValue } from '../../../server/src/core/flags/system.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { memoryHost } from './workspaces.js';

export interface ImportedWorkspace {
  /** The key field, filled with `r0`, `r1`, …; never sent as an attribute. */
  key: string;
  /** Every other field and its type (each optional: a row may leave it out). */
  fields: ReadonlyMap<string, string>;
  /** The flag file the imported declaration names, and its text. */
  flagFile: [path: string, text: string];
  /** Findings that do not fail the import (by default the flag's own: its file holds no such flag). */
  ignored?: (finding: Finding) => boolean;
}

const FLAG_FINDINGS = /^SEG(06|07|3|121)/;

export async function importedMembers(
  workspace: ImportedWorkspace,
  text: string,
  segment: string,
  rows: Array<Record<string, unknown>>,
): Promise<{ on: boolean[]; sent: Array<Record<string, FlagAttributeValue>> }> {
  const { key, fields, flagFile } = workspace;
  const ignored = workspace.ignored ?? ((f: Finding) => FLAG_FINDINGS.test(f.code));
  const declared = [...fields].filter(([name]) => name !== key).map(([name, type]) => `, ${name}: ${type}?`);
  const nulls = Object.fromEntries([...fields.keys()].map((name) => [name, null]));
  const files = {
    '/ws/data.segspec': `dataset users { source "users.json" key ${key} fields { ${key}: string${declared.join('')} } }\n`,
    '/ws/flags.segspec': text,
    '/ws/users.json': JSON.stringify(rows.map((r, i) => ({ ...nulls, ...r, [key]: `r${i}` }))),
    [`/ws/${flagFile[0]}`]: flagFile[1],
  };
  const analysis = await new Workspace(memoryHost(files), '/ws').analyze();
  const errors = analysis.findings.filter((f) => f.severity === 'error' && !ignored(f));
  expect(errors.map((f) => `${f.code} ${f.message}`), text).toEqual([]);
  const result = analysis.results.segments.get(segment);
  expect(result?.members, `${text}\n${result?.reason ?? ''}`).toBeDefined();
  const table = analysis.data.get('users')!.table!;
  const sent = rows.map((_, i) => {
    const ctx: Record<string, FlagAttributeValue> = {};
    for (const col of table.columns) {
      if (col.name === key) continue;
      const value = cellAttribute(col, i);
      if (value !== undefined) ctx[col.name] = value;
    }
    return ctx;
  });
  return { on: rows.map((_, i) => hasBit(result!.members!, i)), sent };
}
