/**
 * (e) In roadmap.md an unknown `@segment(...)` is a problem with a
 * did-you-mean, a known one shows its size on hover, and the Markdown preview
 * renders the references as chips.
 */
import { check, path, type Scenario } from '../support/scenario.js';
import { formatCount } from '../support/sample-facts.js';
import { positionOf } from '../support/workspace.js';
import { untilObserved } from '../support/wait.js';
import { waitForAnalysis } from './common.js';

export const markdown: Scenario = {
  id: 'e-markdown',
  title: 'roadmap.md: unknown @segment is a problem, known one has a size hover, preview renders chips',
  async run({ workbench, workspace, facts, note, shot }) {
    const roadmap = path(workspace, 'roadmap.md');
    const known = positionOf(roadmap, '@segment(students)', { offset: '@segment(stu'.length });
    await workbench.openFile('roadmap.md');
    await waitForAnalysis(workbench, facts, note);
    await workbench.problemsText();
    await workbench.focusEditor();

    await workbench.press('Control+End');
    await workbench.type('\nStudy groups come later, for @segment(studnets');
    await workbench.dismissWidgets();
    await workbench.type(').');
    await workbench.dismissWidgets();
    const problems = await workbench.waitForProblems(
      "a problem about 'studnets' suggesting 'students'",
      (text) => /studnets/.test(text) && /did you mean/i.test(text) && /students/.test(text),
    );
    note(`problem: ${(problems.split('\n').find((l) => /studnets/.test(l)) ?? '').trim()}`);
    await shot('problem');

    await workbench.focusEditor();
    await workbench.goTo(known.line, known.column);
    const size = formatCount(facts.students.size);
    const hover = await workbench.hoverAtCursor((t) => t.includes(size));
    note(`hover: ${hover.replace(/\s+/g, ' ').slice(0, 200)}`);
    await shot('hover');
    await workbench.dismissWidgets();

    await workbench.runCommand('Markdown: Open Preview to the Side');
    const chips = await untilObserved(
      'chips in the Markdown preview',
      async () => {
        const frames = await workbench.framesWith('.segspec-chip');
        const texts = await Promise.all(frames.map((f) => f.locator('.segspec-chip').allInnerTexts()));
        const missing = await Promise.all(frames.map((f) => f.locator('.segspec-chip-missing').allInnerTexts()));
        return { chips: texts.flat(), missing: missing.flat() };
      },
      (seen) => seen.chips.some((t) => t.includes(size)) && seen.missing.some((t) => t.includes('studnets')),
      { timeoutMs: 30_000 },
    );
    note(`${chips.chips.length} chips, e.g. ${chips.chips.slice(0, 3).join(' | ')}; unknown: ${chips.missing.join(' | ')}`);
    check(chips.chips.length >= 2, 'too few chips');
    await shot('preview');
  },
};
