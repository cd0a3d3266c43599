/**
 * Language-core figures: parse + static checks of a generated 2,000-line spec,
 * and re-analysis after a one-character edit with the benchmark's users table
 * loaded (what the server does before publishing diagnostics).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../../server/src/core/syntax/index.js';
import { buildModel, checkStatic } from '../../server/src/core/semantics/index.js';
import { Workspace } from '../../server/src/core/workspace.js';
import { NodeHost } from '../../server/src/node/fs-host.js';
import { BENCH_SEGMENTS } from './segments.js';
import { usersDataset } from './gen-users.js';
import type { BenchContext, Stage } from './harness.js';
import { placeUsersCsv } from './workspace-data.js';

/** A deterministic spec of about `lines` lines: the users dataset and segments with every property. */
export function largeSpec(source: string, lines = 2000): string {
  const parts = [usersDataset(source)];
  let count = parts[0].split('\n').length;
  for (let i = 0; count < lines; i++) {
    const [where] = BENCH_SEGMENTS[i % BENCH_SEGMENTS.length];
    const segment = [
      `segment g${i} "Generated segment ${i}" {`,
      '  kind behavioral',
      `  description "Rule ${i % BENCH_SEGMENTS.length} of the benchmark set, copy ${Math.floor(i / BENCH_SEGMENTS.length)}."`,
      `  where ${where}`,
      '    and age is not missing',
      '  expect size >= 0%',
      '  expect size <= 100% warn',
      '  owner "bench"',
      '  tags ["generated", "bench"]',
      '}',
      '',
    ].join('\n');
    parts.push(segment);
    count += segment.split('\n').length;
  }
  return parts.join('\n');
}

function checkOnce(text: string): number {
  const file = { path: '/bench/spec.segspec', text, version: 0, ast: parse(text) };
  const { model, findings } = buildModel('/bench', [file]);
  return findings.length + checkStatic(model).length + model.segments.size;
}

export const specStages: Stage[] = [
  {
    name: 'parse + static checks, 2,000-line spec',
    runs: 7,
    setup(ctx) {
      const text = largeSpec('users.csv');
      checkOnce(text); // warm-up: chevrotain's first parse builds its lookahead caches
      ctx.state.set('spec', text);
    },
    ours(ctx) {
      checkOnce(ctx.state.get('spec') as string);
    },
  },
  {
    name: 'edit to diagnostics (core re-analysis), 2,000-line spec, loaded table',
    runs: 7,
    async setup(ctx: BenchContext) {
      const dir = mkdtempSync(join(tmpdir(), 'segspec-bench-'));
      const specPath = join(dir, 'spec.segspec');
      placeUsersCsv(ctx.csvPath, dir);
      const text = largeSpec('users.csv');
      writeFileSync(specPath, text);
      const workspace = new Workspace(new NodeHost(), dir);
      workspace.setOverlay(specPath, text, 1);
      const first = await workspace.analyze(); // loads the table and evaluates every segment once
      if (!first.data.get('users')?.table) throw new Error(`bench data not loaded: ${first.findings.map((f) => f.message).join('; ')}`);
      ctx.state.set('editWorkspace', { workspace, specPath, text, version: 1 });
    },
    async ours(ctx: BenchContext) {
      const state = ctx.state.get('editWorkspace') as { workspace: Workspace; specPath: string; text: string; version: number };
      // A one-character edit: a digit in one segment's title changes on every run.
      state.version++;
      const edited = state.text.replace('segment g7 "', `segment g7 "${state.version % 10}`);
      state.workspace.setOverlay(state.specPath, edited, state.version);
      await state.workspace.analyze();
    },
  },
];
