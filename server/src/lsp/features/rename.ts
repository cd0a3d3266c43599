/** Rename of datasets, segments, personas and declared fields across .segspec and Markdown files. */
import { ResponseError, ErrorCodes, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { ReferenceTarget } from '../../core/semantics/model.js';
import type { FeatureContext } from '../context.js';
import type { Snapshot } from '../session.js';
import { allSymbols, locate, offsetIn } from '../locate.js';
import { occurrencesOf } from '../occurrences.js';
import { toLspRange } from '../ranges.js';
import { pathToUri } from '../uris.js';
import { throwIfCancelled } from '../cancellation.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isDeclaredField(snapshot: Snapshot, target: ReferenceTarget): boolean {
  return target.kind === 'field' && snapshot.analysis.model.datasets.get(target.dataset)?.declaredFields.has(target.name) === true;
}

export function registerRename(ctx: FeatureContext): void {
  const { connection, session } = ctx;
  const uriOf = (path: string): string => session.documentFor(path)?.uri ?? pathToUri(path);

  connection.onPrepareRename(async (params, token) => {
    const path = session.pathFromUri(params.textDocument.uri);
    const snapshot = await session.modelSnapshotFor(path, token);
    const offset = offsetIn(snapshot, path, params.position);
    const located = offset === undefined ? undefined : locate(snapshot, path, offset);
    if (!located) return null;
    if (located.unresolved) throw new ResponseError(ErrorCodes.InvalidRequest, `'${located.target.name}' is not defined, so it cannot be renamed`);
    if (located.target.kind === 'field' && !isDeclaredField(snapshot, located.target)) {
      throw new ResponseError(ErrorCodes.InvalidRequest, 'This field is inferred from a column of the data file; rename the column there');
    }
    return { range: toLspRange(located.range), placeholder: located.target.name };
  });

  connection.onRenameRequest(async (params, token): Promise<WorkspaceEdit | null> => {
    const path = session.pathFromUri(params.textDocument.uri);
    const snapshot = await session.modelSnapshotFor(path, token);
    const offset = offsetIn(snapshot, path, params.position);
    const located = offset === undefined ? undefined : locate(snapshot, path, offset);
    if (!located || located.unresolved) return null;
    // A declared field (renamed after its column was renamed in the data): its declaration, `R.f`, names in aggregates' where, record keys.
    if (located.target.kind === 'field' && !isDeclaredField(snapshot, located.target)) return null;
    const newName = params.newName.trim();
    if (!IDENTIFIER.test(newName)) {
      throw new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is not a valid name: use letters, digits and _ and start with a letter`);
    }
    if (located.target.kind === 'field') {
      if (newName !== located.target.name && snapshot.analysis.model.fieldTypes.get(located.target.dataset)?.has(newName)) {
        throw new ResponseError(ErrorCodes.InvalidParams, `'${located.target.dataset}' already has a field '${newName}'`);
      }
    } else if (newName !== located.target.name && allSymbols(snapshot).some((s) => s.name === newName)) {
      throw new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is already defined`);
    }
    throwIfCancelled(token);
    const changes: Record<string, TextEdit[]> = {};
    for (const occurrence of occurrencesOf(snapshot, located.target, true)) {
      (changes[uriOf(occurrence.path)] ??= []).push({ range: toLspRange(occurrence.range), newText: newName });
    }
    return { changes };
  });
}
