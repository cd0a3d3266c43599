/**
 * A check of the harness itself against VS Code's built-in Markdown support
 * (no Segspec involved): when this passes and a Segspec scenario fails, the
 * extension is at fault, not the page object. Run with `--self-test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { check, path, type Scenario } from '../support/scenario.js';
import { read } from '../support/workspace.js';
import { until, untilObserved } from '../support/wait.js';

const NOTES = `# Notes

## Target group

See [the target group](#target-group) and [nowhere](#no-such-heading).

Link to: 
`;

export const harnessSelfTest: Scenario = {
  id: 'selftest-markdown',
  title: "harness self-test on VS Code's built-in Markdown features",
  prepare(workspace) {
    writeFileSync(path(workspace, 'notes.md'), NOTES);
    mkdirSync(path(workspace, '.vscode'), { recursive: true });
    writeFileSync(path(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'markdown.validate.enabled': true }));
  },
  async run({ workbench, workspace, note, shot }) {
    await workbench.openFile('notes.md');
    const problems = await workbench.waitForProblems('a broken-link problem', (t) => /no-such-heading/.test(t), 30_000);
    note(`problem: ${(problems.split('\n').find((l) => /no-such-heading/.test(l)) ?? '').trim()}`);

    await workbench.focusEditor();
    await workbench.goTo(7, 10);
    await workbench.type('[x](#');
    await workbench.dismissWidgets();
    const items = await workbench.allSuggestions();
    note(`suggestions after '(#': ${items.join(', ')}`);
    check(items.some((i) => /target-group/.test(i)), 'no heading completion');
    await workbench.dismissWidgets();

    await workbench.goTo(3, 5);
    await workbench.rename('Audience');
    await workbench.press('Control+S');
    const saved = await until('the renamed heading and link on disk', async () => {
      const text = read(path(workspace, 'notes.md'));
      return text.includes('## Audience') && text.includes('(#audience)') ? text : undefined;
    });
    check(!saved.includes('(#target-group)'), 'the link was not renamed');

    await workbench.runCommand('Markdown: Open Preview to the Side');
    const heading = await untilObserved(
      'the preview to render the heading',
      async () => (await Promise.all((await workbench.framesWith('h2')).map((f) => f.locator('h2').allInnerTexts()))).flat(),
      (texts) => texts.includes('Audience'),
    );
    note(`preview headings: ${heading.join(', ')}`);
    await shot('final');
  },
};
