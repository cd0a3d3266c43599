/**
 * `segspec/discover`: the editor's "Discover segments" (SPEC §13). The
 * search runs on the discovery worker (see discover-worker.ts) over the
 * workspace folder with the editor's open texts; the answer is the report
 * `segspec discover --format json` prints, with the file "Add to file"
 * appends to. `segspec/appendDeclaration` gives that edit.
 */
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { parseMinSize } from '../../core/discover/run.js';
import { chooseDataset } from '../../core/discover/target.js';
import type { FeatureContext } from '../context.js';
import type { DiscoverRunner } from '../discover-worker.js';
import { appendDeclarationEdit } from '../edits.js';
import { textOf } from '../locate.js';
import {
  AppendDeclarationRequestMethod,
  DiscoverRequestMethod,
  type AppendDeclarationParams,
  type DiscoverParams,
  type DiscoverResponse,
} from '../protocol.js';
import type { Snapshot } from '../session.js';
import { pathToUri } from '../uris.js';

function wholeNumber(value: unknown, fallback: number, most: number, name: string): number | string {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= most ? value : `${name} must be a whole number from 1 to ${most}`;
}

export function registerDiscover(ctx: FeatureContext, runner: DiscoverRunner): void {
  const { connection, session } = ctx;
  const uriOf = (path: string): string => session.documentFor(path)?.uri ?? pathToUri(path);

  const snapshotOf = async (uri: string | undefined, token: Parameters<typeof session.fresh>[1]): Promise<Snapshot | undefined> => {
    if (uri) return session.modelSnapshotFor(session.pathFromUri(uri), token);
    const all = await session.allModelSnapshots(token);
    return all.find((s) => s.analysis.model.datasets.size > 0) ?? all[0];
  };

  connection.onRequest(DiscoverRequestMethod, async (params: DiscoverParams, token): Promise<DiscoverResponse> => {
    const target = params.target?.trim() ?? '';
    const untargeted = target === '';
    // The CLI's limits: with a target `--max` up to 100 (default 10); without one up to 30 (default 8).
    const max = untargeted ? wholeNumber(params.max, 8, 30, 'max') : wholeNumber(params.max, 10, 100, 'max');
    const clusters = params.clusters === undefined ? undefined : wholeNumber(params.clusters, 1, 30, 'clusters');
    if (typeof clusters === 'string') return { ok: false, message: clusters };
    const depth = wholeNumber(params.depth, 3, 6, 'depth');
    if (typeof max === 'string') return { ok: false, message: max };
    if (typeof depth === 'string') return { ok: false, message: depth };
    const minSize = params.minSize === undefined ? undefined : parseMinSize(params.minSize);
    if (params.minSize !== undefined && !minSize) return { ok: false, message: `the minimum size is a share like 5% or a row count like 50, not '${params.minSize}'` };
    const quality = params.quality ?? 'wracc';
    if (quality !== 'wracc' && quality !== 'purer') return { ok: false, message: `the quality is wracc or purer, not '${String(quality)}'` };

    const snapshot = await snapshotOf(params.uri, token);
    if (!snapshot) return { ok: false, message: 'no workspace folder with .segspec files is open' };
    const model = snapshot.analysis.model;
    const chosen = chooseDataset(model, params.dataset, untargeted ? undefined : target);
    if ('error' in chosen) {
      const datasets = params.dataset === undefined && model.datasets.size > 1 ? [...model.datasets.keys()] : undefined;
      return { ok: false, message: chosen.error.replace('choose one with --dataset', 'choose one'), ...(datasets ? { datasets } : {}) };
    }
    const result = await runner.run(
      {
        root: snapshot.root,
        texts: [...snapshot.texts.entries()],
        asOf: session.settings.asOf,
        maxRows: session.settings.maxRows,
        engine: session.settings.engine,
        request: untargeted
          ? { kind: 'clusters', dataset: chosen.dataset, max: clusters ?? max, clusters, depth, minSize }
          : { kind: 'target', target, dataset: chosen.dataset, max, depth, minSize, quality, diverse: params.plain !== true },
      },
      token,
    );
    if (!result.ok) return result;
    const file = model.datasets.get(result.report.dataset)?.file;
    return { ok: true, report: result.report, file: file ? uriOf(file) : '' };
  });

  connection.onRequest(AppendDeclarationRequestMethod, async (params: AppendDeclarationParams, token): Promise<WorkspaceEdit> => {
    const path = session.pathFromUri(params.uri);
    const snapshot = await session.modelSnapshotFor(path, token);
    const text = textOf(snapshot, path) ?? '';
    const { edit } = appendDeclarationEdit(text, path, params.text.replace(/\n+$/, ''));
    const edits: TextEdit[] = [edit];
    return { changes: { [params.uri]: edits } };
  });
}
