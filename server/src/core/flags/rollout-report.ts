/**
 * `segspec rollout`: who gets a flag that targets a segment at a percentage,
 * under one system's bucketing — the segment's members inside the rollout —
 * and how that falls across every segment and persona of the dataset.
 */
import type { Table } from '../data/table.js';
import { hasBit, type Bitset } from '../engine/index.js';
import type { DataAnalysis } from '../engine/index.js';
import type { WorkspaceModel } from '../semantics/model.js';
import { prop } from '../syntax/ast.js';
import { cellAttribute } from './context.js';
import { SYSTEM_TITLES } from './export/index.js';
import { hasNonAscii } from './hash.js';
import { inRollout, rolloutProblem, type RolloutBucketing } from './rollout.js';

export interface RolloutGroup {
  name: string;
  /** Its members (rows). */
  members: number;
  /** Of those, the rows that get the flag. */
  getIt: number;
  /** getIt / members; undefined for a segment without members. */
  share: number | undefined;
}

export interface RolloutReport extends RolloutBucketing {
  title: string;
  segment: string;
  dataset: string;
  rows: number;
  /** The targeted segment. */
  target: RolloutGroup;
  /** Keys of up to `sampleSize` rows that get the flag, in row order. */
  sampleKeys: string[];
  /** Every evaluated segment of the dataset (the target first). */
  segments: RolloutGroup[];
  /** Every persona whose segment is one of them: the persona's segment's numbers. */
  personas: Array<RolloutGroup & { segment: string }>;
  /** Said once when they apply: how keys the SDKs hash differently were bucketed. */
  notes: string[];
}

export class RolloutError extends Error {}

export function rolloutReport(
  input: { model: WorkspaceModel; results: DataAnalysis; table: Table; segment: string },
  bucketing: RolloutBucketing,
  sampleSize = 10,
): RolloutReport {
  const { model, results, table, segment } = input;
  const problem = rolloutProblem(bucketing);
  if (problem) throw new RolloutError(problem);
  const result = results.segments.get(segment);
  const dataset = model.segments.get(segment)?.dataset;
  if (!result || !dataset || !result.members) throw new RolloutError(`segment '${segment}' has no members to roll out to${result?.reason ? ` (${result.reason})` : ''}`);
  const keyField = datasetKey(model, dataset);
  const keyCol = keyField ? table.byName.get(keyField) : undefined;
  if (!keyCol) throw new RolloutError(`dataset '${dataset}' has no \`key\`: the systems bucket by the key, so a rollout needs one`);

  const getsIt = new Uint8Array(table.rowCount);
  const sampleKeys: string[] = [];
  let nonAscii = 0;
  for (let row = 0; row < table.rowCount; row++) {
    if (!hasBit(result.members, row)) continue;
    const raw = cellAttribute(keyCol, row);
    if (raw === undefined) continue;
    const key = Array.isArray(raw) ? raw.join(',') : String(raw);
    if (hasNonAscii(key)) nonAscii++;
    if (inRollout(bucketing, key)) {
      getsIt[row] = 1;
      if (sampleKeys.length < sampleSize) sampleKeys.push(key);
    }
  }
  const group = (name: string, members: Bitset | undefined): RolloutGroup => {
    let size = 0;
    let got = 0;
    if (members) {
      for (let row = 0; row < table.rowCount; row++) {
        if (!hasBit(members, row)) continue;
        size++;
        got += getsIt[row];
      }
    }
    return { name, members: size, getIt: got, share: size === 0 ? undefined : got / size };
  };
  const target = group(segment, result.members);
  const segments = [target];
  for (const [name, other] of results.segments) {
    if (name === segment || other.dataset !== dataset || !other.members) continue;
    segments.push(group(name, other.members));
  }
  const personas: RolloutReport['personas'] = [];
  for (const persona of model.personas.values()) {
    const g = persona.segment ? segments.find((s) => s.name === persona.segment) : undefined;
    if (g) personas.push({ ...g, name: persona.name, segment: g.name });
  }
  const notes: string[] = [];
  if (nonAscii > 0 && (bucketing.system === 'unleash' || bucketing.system === 'flagd')) {
    notes.push(
      `${nonAscii} key${nonAscii === 1 ? ' has' : 's have'} characters outside ASCII: bucketed as ${SYSTEM_TITLES[bucketing.system]}'s Node SDK hashes them (${bucketing.system === 'unleash' ? 'the low byte of each UTF-16 unit' : 'UTF-16 units'}); its SDKs for other languages hash UTF-8 bytes and may bucket them differently`,
    );
  }
  return { ...bucketing, title: SYSTEM_TITLES[bucketing.system], segment, dataset, rows: table.rowCount, target, sampleKeys, segments, personas, notes };
}

function datasetKey(model: WorkspaceModel, dataset: string): string | undefined {
  const symbol = model.datasets.get(dataset);
  return symbol ? prop(symbol.decl, 'key')?.value?.name : undefined;
}
