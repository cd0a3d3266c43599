/**
 * (b) Typing a misspelled field gives a problem with a did-you-mean in the
 * Problems panel within a few seconds; the quick fix restores the text.
 */
import { check, path, type Scenario } from '../support/scenario.js';
import { positionOf, read } from '../support/workspace.js';
import { until, untilObserved } from '../support/wait.js';
import { waitForAnalysis } from './common.js';

const LATENCY_LIMIT_MS = 5_000;

export const misspelledField: Scenario = {
  id: 'b-misspelled-field',
  title: 'a misspelled field is a problem with did-you-mean, and the quick fix corrects it',
  async run({ workbench, workspace, facts, note, shot }) {
    const file = path(workspace, 'segments.segspec');
    const original = read(file);
    // In `freelancers`: `and plan != "enterprise"`; overwrite `plan` with `plna`.
    const at = positionOf(file, 'and plan != "enterprise"', { offset: 'and '.length });
    await workbench.openFile('segments.segspec');
    await waitForAnalysis(workbench, facts, note);
    await workbench.problemsText();
    await workbench.focusEditor();
    await workbench.goTo(at.line, at.column);
    await workbench.press('Shift+ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowRight', 'Shift+ArrowRight');
    await workbench.type('plna');
    const typedAt = Date.now();

    const problems = await workbench.waitForProblems(
      "a problem about 'plna' suggesting 'plan'",
      (text) => /plna/.test(text) && /did you mean/i.test(text) && /\bplan\b/.test(text),
      LATENCY_LIMIT_MS + 15_000,
    );
    const latency = Date.now() - typedAt;
    const line = problems.split('\n').find((l) => /plna/.test(l)) ?? '';
    note(`problem after ${latency} ms: ${line.trim()}`);
    await workbench.dismissWidgets();
    await shot('problem');
    check(latency <= LATENCY_LIMIT_MS, `the problem took ${latency} ms to appear (limit ${LATENCY_LIMIT_MS} ms)`);

    await workbench.focusEditor();
    await workbench.goTo(at.line, at.column + 2);
    const action = await workbench.applyCodeAction(/\bplan\b/);
    note(`quick fix: ${action}`);
    await untilObserved(
      `line ${at.line} to read 'and plan' again`,
      () => workbench.visibleLines(),
      (lines) => lines.some((l) => l.includes('and plan != "enterprise"')) && !lines.some((l) => l.includes('plna')),
    );
    await workbench.press('Control+S');
    await until('the corrected file on disk', async () => read(file) === original);
    await workbench.waitForProblems('the problem about plna to go away', (text) => !/plna/.test(text));
    await shot('final');
  },
};
