/**
 * Round trip through a flag system: every sample segment exported to the
 * system, then imported back as `segspec import --dataset D` does (with the
 * dataset's field types and the export's context), and the imported segment
 * evaluated by our engine on the same sample rows. Names are made unique
 * (one workspace per sample holds every import), and the sample's own
 * segments are left out (only its datasets remain), so an imported segment
 * stands on the imported text alone. PostHog's local evaluation leaves a row
 * with a missing property undecided (the SDK returns nothing): there the
 * imported segment may hold a member of the original out, never the reverse.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasBit } from '../../../server/src/core/engine/index.js';
import type { Bitset } from '../../../server/src/core/engine/bitset.js';
import { ExportRefusal, exportSegment, flagContextOf } from '../../../server/src/core/flags/export/index.js';
import { ImportRefusal, importFlag } from '../../../server/src/core/flags/import/index.js';
import type { FlagSystemName } from '../../../server/src/core/flags/system.js';
import type { Host } from '../../../server/src/core/host.js';
import { Workspace } from '../../../server/src/core/workspace.js';
import { analyzeSample, diskHost, sampleNames, samplesDir } from './workspaces.js';
import { posthogMayDefer } from './sdk-oracles.js';

export interface RoundTripSummary {
  same: number;
  /** `sample/segment: message` of each export refused. */
  refusedExport: string[];
  refusedImport: string[];
  /** Imported text that does not type-check against the sample's fields. */
  untyped: string[];
  different: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Unique names for the referenced segments, so that many imports share one workspace. */
function renamed(system: FlagSystemName, document: unknown, prefix: string): unknown {
  if (system === 'unleash') {
    const doc = document as { segments?: Array<{ name: string }> };
    for (const s of doc.segments ?? []) s.name = `${prefix}${s.name}`;
    return doc;
  }
  if (system === 'flagd') {
    const doc = document as { $evaluators?: Record<string, Json> };
    if (!doc.$evaluators) return doc;
    let text = JSON.stringify(doc);
    for (const key of Object.keys(doc.$evaluators)) {
      text = text.split(`{"$ref":${JSON.stringify(key)}}`).join(`{"$ref":${JSON.stringify(prefix + key)}}`).split(`${JSON.stringify(key)}:`).join(`${JSON.stringify(prefix + key)}:`);
    }
    return JSON.parse(text) as unknown;
  }
  return document;
}

/** Every segment the imported text declares under a name of this import alone (the flag's own already is). */
function unique(text: string, prefix: string): string {
  const names = [...text.matchAll(/^segment (\w+)/gm)].map((m) => m[1]).filter((name) => !name.startsWith(prefix));
  if (names.length === 0) return text;
  return text
    .split(/("(?:[^"\\]|\\.)*"|\/\/[^\n]*)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\b\w+\b/g, (word) => (names.includes(word) ? `${prefix}${word}` : word))))
    .join('');
}

export async function roundTrip(system: FlagSystemName): Promise<RoundTripSummary> {
  const summary: RoundTripSummary = { same: 0, refusedExport: [], refusedImport: [], untyped: [], different: [] };
  for (const sample of sampleNames) {
    const analysis = await analyzeSample(sample);
    const root = join(samplesDir, sample);
    const overrides = new Map<string, string>();
    // Each .segspec file keeps only its datasets.
    for (const file of analysis.model.files.values()) {
      const kept = file.ast.declarations.filter((d) => d.type === 'Dataset').map((d) => file.text.slice(d.range.start.offset, d.range.end.offset));
      overrides.set(file.path, `${kept.join('\n\n')}\n`);
    }
    const imports: Array<{ segment: string; imported: string; members: Bitset | undefined; file: string; mayDefer: (row: number) => boolean }> = [];
    let n = 0;
    for (const result of analysis.results.segments.values()) {
      if (result.status === 'unavailable' || result.status === 'draft' || !result.members || !result.dataset) continue;
      const table = analysis.data.get(result.dataset)?.table;
      if (!table) continue;
      n++;
      const flagKey = `rt${n}_${result.name}`;
      let out;
      try {
        out = exportSegment({ model: analysis.model, segment: result.name, system, table, flagKey });
      } catch (e) {
        if (!(e instanceof ExportRefusal)) throw e;
        summary.refusedExport.push(`${sample}/${result.name}: ${e.message}`);
        continue;
      }
      const document = renamed(system, out.document, `rt${n}_`);
      const source = `__rt${n}.json`;
      let text;
      try {
        // As `segspec import --dataset D` reads it: with the dataset's field types.
        const attributeTypes = new Map(table.columns.map((c) => [c.name, c.type]));
        const context = new Map(out.attributes);
        if (out.keyField) context.set(out.identityAttribute, out.keyField);
        text = unique(importFlag(JSON.stringify(document), system, { source, flagKey, attributeTypes, context }).text, `rt${n}_`);
      } catch (e) {
        if (!(e instanceof ImportRefusal)) throw e;
        summary.refusedImport.push(`${sample}/${result.name}: ${e.message}`);
        continue;
      }
      // The imported segment must be on the sample's dataset: name it with `from`.
      const file = join(root, `__rt${n}.segspec`);
      overrides.set(join(root, source), JSON.stringify(document));
      overrides.set(file, text.replace(/(segment \w+ "[^"]*" \{\n)/g, `$1  from ${result.dataset}\n`));
      const identity = { attribute: out.identityAttribute, keyField: out.keyField };
      const mayDefer = (row: number): boolean => system === 'posthog' && posthogMayDefer(document, flagContextOf(table, row, out.attributes, identity));
      imports.push({ segment: `${flagKey}_targeting`, imported: text, members: result.members, file, mayDefer });
    }
    const host: Host = {
      readBytes: async (path) => (overrides.has(path) ? new TextEncoder().encode(overrides.get(path)) : new Uint8Array(await readFile(path))),
      stat: async (path) => (overrides.has(path) ? { isFile: true, isDirectory: false, size: overrides.get(path)!.length, mtimeMs: 0 } : diskHost.stat(path)),
      listFiles: async (dir) => [...new Set([...(await diskHost.listFiles(dir)).filter((p) => !p.endsWith('.md')), ...overrides.keys()])],
    };
    const again = await new Workspace(host, root).analyze();
    for (const item of imports) {
      const errors = again.findings.filter((f) => f.file === item.file && f.severity === 'error' && /^SEG0[0-5]/.test(f.code));
      const result = again.results.segments.get(item.segment);
      if (errors.length > 0) {
        summary.untyped.push(`${sample}/${item.segment}: ${errors[0]!.code} ${errors[0]!.message}`);
        continue;
      }
      if (!result?.members) {
        summary.different.push(`${sample}/${item.segment}: ${result?.reason ?? 'no result'}\n${item.imported}`);
        continue;
      }
      const dataset = result.dataset;
      const rows = dataset ? (analysis.data.get(dataset)?.table?.rowCount ?? 0) : 0;
      const got = result.members;
      const wrong: number[] = [];
      for (let row = 0; row < rows; row++) {
        const was = hasBit(item.members!, row);
        if (hasBit(got, row) !== was && !(was && item.mayDefer(row))) wrong.push(row);
      }
      if (wrong.length > 0) summary.different.push(`${sample}/${item.segment}: ${wrong.length} rows differ (first row ${wrong[0]})\n${item.imported}`);
      else summary.same++;
    }
  }
  return summary;
}
