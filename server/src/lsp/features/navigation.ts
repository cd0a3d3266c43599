/** Go to definition and find references, in .segspec and Markdown files. */
import type { Location } from 'vscode-languageserver/node';
import type { FeatureContext } from '../context.js';
import { locate, offsetIn } from '../locate.js';
import { declarationOf, occurrencesOf } from '../occurrences.js';
import { toLspRange } from '../ranges.js';
import { pathToUri } from '../uris.js';
import { throwIfCancelled } from '../cancellation.js';

export function registerNavigation(ctx: FeatureContext): void {
  const { connection, session } = ctx;
  const uriOf = (path: string): string => session.documentFor(path)?.uri ?? pathToUri(path);

  connection.onDefinition(async (params, token): Promise<Location | null> => {
    const path = session.pathFromUri(params.textDocument.uri);
    const snapshot = await session.modelSnapshotFor(path, token);
    const offset = offsetIn(snapshot, path, params.position);
    if (offset === undefined) return null;
    const located = locate(snapshot, path, offset);
    if (!located || located.unresolved) return null;
    const declaration = declarationOf(snapshot, located.target);
    throwIfCancelled(token);
    return declaration ? { uri: uriOf(declaration.path), range: toLspRange(declaration.range) } : null;
  });

  connection.onReferences(async (params, token): Promise<Location[] | null> => {
    const path = session.pathFromUri(params.textDocument.uri);
    const snapshot = await session.modelSnapshotFor(path, token);
    const offset = offsetIn(snapshot, path, params.position);
    if (offset === undefined) return null;
    const located = locate(snapshot, path, offset);
    if (!located || located.unresolved) return null;
    throwIfCancelled(token);
    return occurrencesOf(snapshot, located.target, params.context.includeDeclaration).map((o) => ({
      uri: uriOf(o.path),
      range: toLspRange(o.range),
    }));
  });
}
