/** Steps several scenarios share. */
import { formatCount, type SampleFacts } from '../support/sample-facts.js';
import { until } from '../support/wait.js';
import type { Workbench } from '../support/workbench.js';

/**
 * The extension's status bar item shows the dataset's row count (in its unit word) once
 * the server has loaded and analysed the workspace.
 */
export async function waitForAnalysis(
  workbench: Workbench,
  facts: SampleFacts,
  note: (text: string) => void = () => undefined,
): Promise<number> {
  // `8,000 users`: the count in the dataset's unit word.
  const rows = `${formatCount(facts.rows.length)} `;
  const started = Date.now();
  await until(`the status bar to show '${rows}'`, async () => (await workbench.statusBarText()).includes(rows), {
    timeoutMs: 60_000,
  });
  note(`analysis shown in the status bar after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return Date.now() - started;
}
