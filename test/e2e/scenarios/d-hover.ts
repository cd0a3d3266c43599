/** (d) Hovering a segment's name shows its size, share and sample members. */
import { check, path, type Scenario } from '../support/scenario.js';
import { mentionedMembers, statesSizeAndShare } from '../support/sample-facts.js';
import { positionOf } from '../support/workspace.js';
import { waitForAnalysis } from './common.js';

export const hover: Scenario = {
  id: 'd-hover',
  title: 'hovering a segment name shows size, share and sample members',
  async run({ workbench, workspace, facts, note, shot }) {
    const at = positionOf(path(workspace, 'segments.segspec'), 'segment students', { offset: 'segment st'.length });
    await workbench.openFile('segments.segspec');
    await waitForAnalysis(workbench, facts, note);
    await workbench.goTo(at.line, at.column);
    const text = await workbench.hoverAtCursor(
      (t) => statesSizeAndShare(t, facts.students) && mentionedMembers(t, facts.students).length > 0,
    );
    const members = mentionedMembers(text, facts.students);
    note(`hover: ${text.replace(/\s+/g, ' ').slice(0, 240)}`);
    note(`sample members named in the hover: ${members.slice(0, 5).join(', ')}`);
    check(members.length > 0, 'the hover names no member of students');
    await shot('final');
    // The sample members sit below the fold of the hover: scroll to them as a person would.
    await workbench.page
      .locator('.monaco-hover-content')
      .getByText(members[0], { exact: false })
      .first()
      .scrollIntoViewIfNeeded()
      .catch(() => undefined);
    await shot('members');
  },
};
