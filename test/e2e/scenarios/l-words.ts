/**
 * (l) Words and chips: lenses and the preview count in the dataset's unit
 * word; a rule with an error shows the short lens "rule has an error"; the
 * preview's "Why?" renders the explanation tree (values, thresholds, folded
 * referenced segments), not raw Markdown; in roadmap.md the hover over
 * `@segment(students)` is the segment's hover (status, expectations) and the
 * Markdown preview shows persona chips as the persona and its segment, with a
 * drawn icon. Screenshots in the dark and the light theme.
 */
import { check, path, type Scenario } from '../support/scenario.js';
import { formatCount } from '../support/sample-facts.js';
import { positionOf } from '../support/workspace.js';
import { until, untilObserved } from '../support/wait.js';
import { waitForAnalysis } from './common.js';
import { UNIT, addUnit, backToSpec, useTheme } from './k-explain.js';

export const wordsScenario: Scenario = {
  id: 'l-words',
  title: 'unit words in lenses and preview, rule-error lens, rendered Why?, Markdown hover and persona chips',
  prepare: addUnit,
  async run({ workbench, workspace, facts, note, shot }) {
    const segments = path(workspace, 'segments.segspec');
    await workbench.openFile('segments.segspec');
    await waitForAnalysis(workbench, facts, note);
    const students = positionOf(segments, 'segment students', { offset: 'segment '.length });
    await workbench.goTo(students.line, students.column);
    const size = `${formatCount(facts.students.size)} ${UNIT}`;
    const lenses = await untilObserved('a lens in the unit word', () => workbench.codeLensTexts(), (l) => l.some((t) => t.includes(size)));
    note(`lens: ${lenses.find((t) => t.includes(size))}`);

    // An error in the rule while typing: the lens says so briefly, the problem has the message.
    const where = positionOf(segments, 'where is_student', { offset: 'where '.length });
    await workbench.goTo(where.line, where.column);
    await workbench.type('x');
    await workbench.dismissWidgets();
    const broken = await untilObserved('the lens "rule has an error"', () => workbench.codeLensTexts(), (l) => l.includes('rule has an error'));
    note(`lenses while broken: ${broken.slice(0, 3).join(' | ')}`);
    await workbench.waitForProblems('a problem about xis_student', (t) => /xis_student/.test(t));
    await shot('rule-error-dark');
    await workbench.focusEditor();
    await workbench.press('Control+Z');
    await untilObserved('the lens back', () => workbench.codeLensTexts(), (l) => l.some((t) => t.includes(size)));

    // The preview's Why?: a rendered tree with values and thresholds.
    await workbench.goTo(students.line, students.column);
    await workbench.runCommand('Segspec: Show Segment Preview');
    const frame = await until('the preview with sample members', async () => (await workbench.framesWith('button.explain'))[0]);
    const summary = await frame.locator('p.summary').first().innerText();
    check(summary.includes(UNIT), `the preview does not count in '${UNIT}': ${summary}`);
    await frame.locator('button.explain').first().click();
    const tree = await untilObserved(
      'the rendered explanation in the preview',
      async () => ((await frame.locator('ul.explanation-tree').count()) > 0 ? await frame.locator('#explanation').innerText() : ''),
      (t) => /needs/.test(t),
    );
    note(`Why?: ${tree.replace(/\s+/g, ' ').slice(0, 200)}`);
    check(!/```|^#/m.test(tree), 'the Why? shows raw Markdown');
    await frame.locator('#explanation').scrollIntoViewIfNeeded();
    await shot('preview-why-dark');

    // roadmap.md: the hover over @segment(students) is the segment's hover.
    await workbench.openFile('roadmap.md');
    const ref = positionOf(path(workspace, 'roadmap.md'), '@segment(students)', { offset: '@segment(stu'.length });
    await workbench.goTo(ref.line, ref.column);
    const hover = await workbench.hoverAtCursor((t) => t.includes(size) && /expectations/.test(t));
    check(/all checks pass|has warnings|has errors/.test(hover), `the Markdown hover has no status: ${hover}`);
    note(`Markdown hover: ${hover.replace(/\s+/g, ' ').slice(0, 200)}`);
    await shot('markdown-hover-dark');
    await workbench.dismissWidgets();

    await workbench.runCommand('Markdown: Open Preview to the Side');
    const chips = await untilObserved(
      'persona chips in the Markdown preview',
      async () => {
        for (const f of await workbench.framesWith('.segspec-chip-persona')) {
          const persona = await f.locator('.segspec-chip-persona').allInnerTexts();
          const segment = await f.locator('.segspec-chip-segment').allInnerTexts();
          const icon = await f.locator('.segspec-chip-person').first().boundingBox();
          const href = await f.locator('a.segspec-chip-segment').first().getAttribute('href');
          return { persona, segment, icon, href };
        }
        return undefined;
      },
      (seen) => seen !== undefined && seen.persona.length > 0,
      { timeoutMs: 30_000 },
    );
    note(`persona chips: ${chips?.persona.join(' | ')}; segment chip: ${chips?.segment[0]}; link: ${chips?.href}`);
    check(chips?.persona.every((t) => !/\d/.test(t) && t.includes('·')), `a persona chip shows a size or no segment: ${chips?.persona.join(' | ')}`);
    check((chips?.icon?.width ?? 0) >= 4 && (chips?.icon?.height ?? 0) >= 4, 'the persona icon is not drawn');
    check(chips?.segment.some((t) => t.includes(UNIT)), `no segment chip counts in '${UNIT}'`);
    check(/segments\.segspec#L\d+$/.test(chips?.href ?? ''), `a segment chip does not link to its definition: ${chips?.href}`);
    await shot('markdown-chips-dark');

    await useTheme(workbench, workspace, 'Default Light Modern');
    await shot('markdown-chips-light');
    await backToSpec(workbench);
    await shot('lens-light');
  },
};
