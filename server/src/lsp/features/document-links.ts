/** `source "data/users.csv"` links to the data file it names. */
import type { DocumentLink } from 'vscode-languageserver/node';
import { prop } from '../../core/syntax/ast.js';
import type { FeatureContext } from '../context.js';
import { toLspRange } from '../ranges.js';
import { isMarkdown, pathToUri } from '../uris.js';

export function registerDocumentLinks(ctx: FeatureContext): void {
  const { connection, session } = ctx;
  connection.onDocumentLinks(async (params, token): Promise<DocumentLink[] | null> => {
    const path = session.pathFromUri(params.textDocument.uri);
    if (isMarkdown(path)) return null;
    const snapshot = await session.snapshotFor(path, token);
    const links: DocumentLink[] = [];
    for (const dataset of snapshot.analysis.model.datasets.values()) {
      if (dataset.file !== path) continue;
      const source = prop(dataset.decl, 'source')?.value;
      const file = snapshot.analysis.data.get(dataset.name)?.path;
      if (source && file && snapshot.analysis.data.get(dataset.name)?.table) {
        links.push({ range: toLspRange(source.range), target: pathToUri(file), tooltip: 'Open the sample data' });
      }
    }
    return links;
  });
}
