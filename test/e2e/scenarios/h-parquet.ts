/**
 * (h) The sample's data as a Parquet file (its CSV removed): the installed
 * extension reads it with the DuckDB it carries, so there is no
 * "cannot read" problem, and the code lenses state the sizes DuckDB counted,
 * equal to those counted by plain code from the CSV the file was made from.
 */
import { check, type Scenario } from '../support/scenario.js';
import { formatCount, statesSizeAndShare } from '../support/sample-facts.js';
import { convertSampleToParquet } from '../support/parquet.js';
import { until, untilObserved } from '../support/wait.js';

export const parquetOnDuckDb: Scenario = {
  id: 'h-parquet',
  title: 'a dataset whose source is a Parquet file is checked on DuckDB: no SEG102, sizes in the code lenses',
  async prepare(workspace) {
    await convertSampleToParquet(workspace);
  },
  async run({ workbench, facts, note, shot }) {
    const rows = `${formatCount(facts.rows.length)} rows`;
    await workbench.openFile('data.segspec');
    // Not the status bar (common.ts waitForAnalysis): it counts only what the
    // embedded engine loaded, and says "not loaded" for a Parquet source.
    const started = Date.now();
    const datasetLenses = await untilObserved(
      `a code lens stating '${rows}' above the dataset`,
      () => workbench.codeLensTexts(),
      (texts) => texts.some((t) => t.includes(rows)),
      { timeoutMs: 60_000 },
    );
    note(`dataset code lens after ${((Date.now() - started) / 1000).toFixed(1)} s: ${datasetLenses.find((t) => t.includes(rows))}`);
    note(`status bar: ${(await workbench.statusBarText()).replace(/\s+/g, ' ').trim()}`);
    const sourceLine = (await workbench.visibleLines()).find((l) => l.includes('source '));
    check(sourceLine?.includes('"data/users.parquet"'), `data.segspec does not show the Parquet source: ${sourceLine}`);
    await shot('dataset');

    await workbench.openFile('segments.segspec');
    const lenses = await untilObserved(
      `a code lens stating ${formatCount(facts.students.size)} users and ${(facts.students.share * 100).toFixed(1)}%`,
      () => workbench.codeLensTexts(),
      (texts) => texts.some((t) => statesSizeAndShare(t, facts.students)),
      { timeoutMs: 30_000 },
    );
    note(`students code lens: ${lenses.find((t) => statesSizeAndShare(t, facts.students))}`);

    const problems = await workbench.waitForProblems('an empty Problems panel (no SEG102 for the Parquet source)', (text) =>
      /no problems have been detected/i.test(text),
    );
    check(!/SEG102|cannot read/i.test(problems), `the Problems panel reports the Parquet file: ${problems}`);
    note(`problems panel: ${problems.trim().split('\n')[0]}`);
    const counts = await until('status bar problem counts', async () => workbench.problemCounts());
    check(counts.errors === 0 && counts.warnings === 0, `status bar counts ${JSON.stringify(counts)}`);

    await workbench.expandExplorerFolder('data');
    const names = await until('users.parquet in the Explorer', async () => {
      const shown = await workbench.explorerNames();
      return shown.includes('users.parquet') ? shown : undefined;
    });
    check(!names.includes('users.csv'), `the workspace still has users.csv: ${names.join(', ')}`);
    await workbench.focusEditor();
    await shot('duckdb');
  },
};
