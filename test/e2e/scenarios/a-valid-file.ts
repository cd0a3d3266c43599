/**
 * (a) Opening the valid sample shows no problems, and the code lens above a
 * segment states its size and share as counted from the CSV.
 */
import { check, type Scenario } from '../support/scenario.js';
import { formatCount, statesSizeAndShare } from '../support/sample-facts.js';
import { until, untilObserved } from '../support/wait.js';
import { waitForAnalysis } from './common.js';

export const validFile: Scenario = {
  id: 'a-valid-file',
  title: 'a valid .segspec file has no problems and a code lens with size and share',
  async run({ workbench, facts, note, shot }) {
    await workbench.openFile('segments.segspec');
    await waitForAnalysis(workbench, facts, note);

    const lenses = await untilObserved(
      `a code lens stating ${formatCount(facts.students.size)} users and ${(facts.students.share * 100).toFixed(1)}%`,
      () => workbench.codeLensTexts(),
      (texts) => texts.some((t) => statesSizeAndShare(t, facts.students)),
      { timeoutMs: 30_000 },
    );
    const lens = lenses.find((t) => statesSizeAndShare(t, facts.students)) ?? '';
    note(`code lens: ${lens}`);

    // The lens must sit above the students segment: the first segment of the file.
    const lines = await workbench.visibleLines();
    check(lines.some((l) => l.startsWith('segment students')), `'segment students' is not on screen: ${lines.join(' | ')}`);

    const problems = await workbench.waitForProblems('an empty Problems panel', (text) =>
      /no problems have been detected/i.test(text),
    );
    note(`problems panel: ${problems.trim().split('\n')[0]}`);
    const counts = await until('status bar problem counts', async () => workbench.problemCounts());
    check(counts.errors === 0 && counts.warnings === 0, `status bar counts ${JSON.stringify(counts)}`);
    await shot('final');
  },
};
