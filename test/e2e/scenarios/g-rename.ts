/**
 * (g) Renaming a segment with F2 updates its uses in the other .segspec files
 * and in the Markdown (inline references and the front matter list).
 */
import { readdirSync } from 'node:fs';
import { check, path, type Scenario } from '../support/scenario.js';
import { positionOf, read } from '../support/workspace.js';
import { untilObserved } from '../support/wait.js';
import { waitForAnalysis } from './common.js';

const OLD = 'students';
const NEW = 'learners';

/** The .segspec text with every use of the name renamed: identifiers outside strings and comments. */
export function renameInSegspec(text: string, from: string, to: string): string {
  const token = /"(?:[^"\\\n]|\\.)*"|\/\/[^\n]*|\/\*[\s\S]*?\*\/|[A-Za-z_][A-Za-z0-9_]*/g;
  return text.replace(token, (t) => (t === from ? to : t));
}

/** The Markdown text with `@segment(name)` and the front matter's `segments:` list renamed. */
export function renameInMarkdown(text: string, from: string, to: string): string {
  const inline = text.replace(new RegExp(`@segment\\(\\s*${from}\\s*\\)`, 'g'), `@segment(${to})`);
  return inline.replace(/^(---\n[\s\S]*?\n---\n)/, (front) =>
    front.replace(/^(segments:.*)$/m, (line) => line.replace(new RegExp(`\\b${from}\\b`, 'g'), to)),
  );
}

export const rename: Scenario = {
  id: 'g-rename',
  title: 'F2 on a segment renames its uses in other .segspec files and in Markdown',
  async run({ workbench, workspace, facts, note, shot }) {
    const files = readdirSync(workspace).filter((f) => f.endsWith('.segspec') || f.endsWith('.md'));
    const expected = new Map(
      files.map((f) => {
        const text = read(path(workspace, f));
        return [f, f.endsWith('.md') ? renameInMarkdown(text, OLD, NEW) : renameInSegspec(text, OLD, NEW)];
      }),
    );
    const touched = files.filter((f) => expected.get(f) !== read(path(workspace, f)));
    check(touched.length >= 3, `the sample should use '${OLD}' in 3 files at least, found ${touched.join(', ')}`);

    const at = positionOf(path(workspace, 'segments.segspec'), `segment ${OLD}`, { offset: 'segment s'.length });
    await workbench.openFile('segments.segspec');
    await waitForAnalysis(workbench, facts);
    await workbench.goTo(at.line, at.column);
    await workbench.rename(NEW);
    await untilObserved(
      `'segment ${NEW}' in the editor`,
      () => workbench.visibleLines(),
      (lines) => lines.some((l) => l.startsWith(`segment ${NEW}`)),
    );
    await workbench.runCommand('File: Save All');

    const wrong = await untilObserved(
      `every file on disk to use '${NEW}'`,
      async () => touched.filter((f) => read(path(workspace, f)) !== expected.get(f)),
      (mismatched) => mismatched.length === 0,
    );
    check(wrong.length === 0, `files not renamed as expected: ${wrong.join(', ')}`);
    note(`renamed across ${touched.join(', ')}`);

    await workbench.openFile('roadmap.md');
    await shot('final');
  },
};
