/**
 * A minimal test runner for code that runs inside VS Code's extension host
 * (no mocha in this project): tests run in order, each result is printed,
 * and the summary ends with the plain `N passed, N failed` line.
 */
import { writeFileSync } from 'node:fs';

type TestBody = () => Promise<void>;

const tests: Array<{ name: string; body: TestBody }> = [];

export function test(name: string, body: TestBody): void {
  tests.push({ name, body });
}

export class Failure extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Failure(message);
}

export interface Summary {
  passed: number;
  failed: number;
  lines: string[];
}

export async function runAll(resultsFile: string | undefined): Promise<Summary> {
  const summary: Summary = { passed: 0, failed: 0, lines: [] };
  const print = (line: string): void => {
    summary.lines.push(line);
    console.log(line);
  };
  for (const { name, body } of tests) {
    const started = Date.now();
    try {
      await body();
      summary.passed += 1;
      print(`  ok   ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      summary.failed += 1;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      print(`  FAIL ${name} (${Date.now() - started} ms)\n${message.replace(/^/gm, '       ')}`);
    }
  }
  print(`${summary.passed} passed, ${summary.failed} failed`);
  if (resultsFile) writeFileSync(resultsFile, JSON.stringify(summary, null, 2));
  return summary;
}
