/**
 * (g) Renaming a segment with F2 updates its uses in the other .segspec files
 * and in the Markdown (inline references and the front matter list).
 */
import { readdirSync } from 'node:fs';
import { check, path, type Scenario } from '../support/scenario.js';
import { positionOf, read } from '../support/workspace.js';
import { ConditionTimeout, untilObserved } from '../support/wait.js';
import { firstDifference, renamedText } from '../support/rename-expectations.js';
import { waitForAnalysis } from './common.js';

const OLD = 'students';
const NEW = 'learners';

export const rename: Scenario = {
  id: 'g-rename',
  title: 'F2 on a segment renames its uses in other .segspec files and in Markdown',
  async run({ workbench, workspace, facts, note, shot }) {
    const files = readdirSync(workspace).filter((f) => f.endsWith('.segspec') || f.endsWith('.md'));
    const expected = new Map(
      files.map((f) => {
        const text = read(path(workspace, f));
        return [f, renamedText(f, text, OLD, NEW)];
      }),
    );
    const touched = files.filter((f) => expected.get(f) !== read(path(workspace, f)));
    check(touched.length >= 3, `the sample should use '${OLD}' in 3 files at least, found ${touched.join(', ')}`);

    const at = positionOf(path(workspace, 'segments.segspec'), `segment ${OLD}`, { offset: 'segment s'.length });
    await workbench.openFile('segments.segspec');
    await waitForAnalysis(workbench, facts, note);
    await workbench.goTo(at.line, at.column);
    await workbench.rename(NEW);
    await untilObserved(
      `'segment ${NEW}' in the editor`,
      () => workbench.visibleLines(),
      (lines) => lines.some((l) => l.startsWith(`segment ${NEW}`)),
    );
    await workbench.runCommand('File: Save All Files');

    const mismatched = (): string[] => touched.filter((f) => read(path(workspace, f)) !== expected.get(f));
    try {
      await untilObserved(`every file on disk to use '${NEW}'`, async () => mismatched(), (m) => m.length === 0);
    } catch (error) {
      if (!(error instanceof ConditionTimeout)) throw error;
      const details = mismatched().map((f) => `${f}: ${firstDifference(read(path(workspace, f)), expected.get(f) ?? '')}`);
      check(false, `files not renamed as expected after Save All:\n${details.join('\n')}`);
    }
    note(`renamed across ${touched.join(', ')}`);

    await workbench.openFile('roadmap.md');
    await shot('final');
  },
};
