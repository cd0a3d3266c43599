import { readdirSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Host } from '../../../server/src/core/host.js';
import { type Analysis, Workspace } from '../../../server/src/core/workspace.js';
import type { SegmentOutcome } from '../../../server/src/sqlengines/segments.js';
import { runWorkspaceOnDuckDb, runWorkspaceOnPostgres } from '../../../server/src/sqlengines/workspace.js';

const samplesDir = fileURLToPath(new URL('../../../samples/', import.meta.url));
const samples = readdirSync(samplesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

const diskHost: Host = {
  readBytes: async (path) => new Uint8Array(await readFile(path)),
  async stat(path) {
    const s = await stat(path).catch(() => undefined);
    return s && { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mtimeMs: s.mtimeMs };
  },
  async listFiles(dir) {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && !/(^|\/)(\.|node_modules)/.test(join(e.parentPath, e.name).slice(dir.length)))
      .map((e) => join(e.parentPath, e.name));
  },
};

const pgUrl = process.env.SEGSPEC_PG_URL;
const engines: Array<[string, (model: Analysis['model']) => Promise<Map<string, SegmentOutcome[]>>]> = [
  ['DuckDB', (model) => runWorkspaceOnDuckDb(model)],
];
if (pgUrl) {
  engines.push([
    'PostgreSQL',
    (model) => runWorkspaceOnPostgres(model, pgUrl, { loadSamples: true, schema: 'segspec_samples' }),
  ]);
}

async function embeddedSizes(sample: string): Promise<{ analysis: Analysis; sizes: Map<string, number> }> {
  const analysis = await new Workspace(diskHost, join(samplesDir, sample)).analyze();
  const sizes = new Map(
    [...analysis.results.segments.values()]
      .filter((r) => r.status !== 'unavailable' && r.status !== 'draft')
      .map((r) => [r.name, r.size]),
  );
  return { analysis, sizes };
}

describe.each(engines)('segment sizes on %s equal the embedded engine’s on the sample workspaces', (_engine, run) => {
  it.each(samples)('%s', async (sample) => {
    const { analysis, sizes: embedded } = await embeddedSizes(sample);
    expect(embedded.size).toBeGreaterThan(0);
    const onSql = new Map<string, number>();
    const errors: string[] = [];
    for (const outcomes of (await run(analysis.model)).values()) {
      for (const o of outcomes) {
        if ('error' in o) errors.push(`${o.segment}: ${o.error}`);
        else if (embedded.has(o.segment)) onSql.set(o.segment, o.count);
      }
    }
    expect(errors).toEqual([]);
    expect(Object.fromEntries(onSql)).toEqual(Object.fromEntries(embedded));
  });
});
