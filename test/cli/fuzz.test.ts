/**
 * The fuzzer (test/fuzz, `npm run fuzz`) at a CI-sized count: random spec
 * mutations at the CLI (in-process and the spawned bin) and the language
 * server, damaged bytes at every loader. One fixed seed, so a regression
 * shows up the same way every run, and one random seed, printed, for breadth.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot } from './helpers.js';

interface Summary {
  seed: number;
  cases: number;
  spec: number;
  data: number;
  cli: number;
  spawned: number;
  server: number;
  problems: Array<{ caseIndex: number; where: string; problem: string }>;
  slowest: Array<{ what: string; ms: number }>;
}

function fuzz(seed: number, count: number): Summary {
  const out = spawnSync(process.execPath, [join(repoRoot, 'dist/fuzz.cjs'), '--seed', String(seed), '--count', String(count), '--spawn-every', '20', '--json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 170_000,
  });
  process.stdout.write(out.stdout.split('\n').filter((l) => !l.startsWith('{')).join('\n'));
  const last = out.stdout.trim().split('\n').at(-1) ?? '';
  expect(last.startsWith('{'), `fuzz printed no summary:\n${out.stdout}\n${out.stderr}`).toBe(true);
  return JSON.parse(last) as Summary;
}

describe('fuzzing the CLI, the language server and the loaders', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it.each([
    ['a fixed seed', 20261205],
    ['a random seed', Math.floor(Math.random() * 2 ** 31)],
  ])('%s: no crash, no hang, every finding located', (_name, seed) => {
    const summary = fuzz(seed, 60);
    expect(summary.seed).toBe(seed);
    expect(summary.spec + summary.data).toBe(summary.cases);
    expect(summary.spec).toBeGreaterThan(50);
    expect(summary.data).toBeGreaterThan(5);
    expect(summary.cli).toBe(summary.cases);
    expect(summary.spawned).toBeGreaterThan(0);
    expect(summary.server).toBe(summary.spec);
    expect(summary.problems, `replay with: npm run fuzz -- --seed ${seed} --only CASE`).toEqual([]);
  }, 180_000);
});
