import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sparkCases } from './spark-cases.js';

// Runs compiled Spark SQL on a local Spark (python3 with pyspark, Java 17). It takes minutes
// (a local Spark answers each query in about a second here), so it runs only with SEGSPEC_SPARK=1,
// and then fails when pyspark is missing.
const script = fileURLToPath(new URL('../../sql/check_spark.py', import.meta.url));
const required = process.env.SEGSPEC_SPARK === '1';
const available = spawnSync('python3', ['-c', 'import pyspark'], { encoding: 'utf8' }).status === 0;
const RANDOM_RUNS = Number(process.env.SEGSPEC_SPARK_RUNS ?? 60);

describe.skipIf(!required)('compiled Spark SQL on a local pyspark session selects the same members', () => {
  it(`membership cases and ${RANDOM_RUNS} random cases agree with the reference interpreter`, () => {
    if (!available) throw new Error('SEGSPEC_SPARK=1 but pyspark is missing: pip install pyspark (and Java 17)');
    const dir = mkdtempSync(join(tmpdir(), 'segspec-spark-'));
    try {
      const input = join(dir, 'cases.json');
      writeFileSync(input, JSON.stringify(sparkCases(RANDOM_RUNS)));
      const result = spawnSync('python3', [script, input], { encoding: 'utf8', timeout: 600_000 });
      const report = `${result.stdout}\n${result.stderr.split('\n').slice(-20).join('\n')}`;
      expect(report).toMatch(/cases checked, 0 problems/);
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 660_000);
});
