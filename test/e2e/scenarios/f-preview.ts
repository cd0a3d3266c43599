/**
 * (f) "Segspec: Show Segment Preview" opens the panel and its chart renders
 * (an svg or canvas of real size inside the webview's nested iframes).
 */
import { path, type Scenario } from '../support/scenario.js';
import { positionOf } from '../support/workspace.js';
import { untilObserved } from '../support/wait.js';
import { waitForAnalysis } from './common.js';

export const previewPanel: Scenario = {
  id: 'f-preview',
  title: 'Show Segment Preview opens a panel whose chart renders',
  async run({ workbench, workspace, facts, note, shot }) {
    const at = positionOf(path(workspace, 'segments.segspec'), 'segment students', { offset: 'segment '.length });
    await workbench.openFile('segments.segspec');
    await waitForAnalysis(workbench, facts, note);
    await workbench.goTo(at.line, at.column);
    await workbench.runCommand('Segspec: Show Segment Preview');

    const chart = await untilObserved(
      'a rendered chart (svg or canvas) in the preview webview',
      async () => {
        for (const frame of await workbench.framesWith('svg, canvas')) {
          const sizes = await frame.locator('svg, canvas').evaluateAll((nodes) =>
            nodes.map((n) => {
              const r = n.getBoundingClientRect();
              return { tag: n.tagName.toLowerCase(), width: Math.round(r.width), height: Math.round(r.height) };
            }),
          );
          const drawn = sizes.filter((s) => s.width >= 100 && s.height >= 60);
          const text = (await frame.locator('body').innerText()).replace(/\s+/g, ' ');
          if (drawn.length > 0) return { drawn, text, frame };
        }
        return undefined;
      },
      (seen) => seen !== undefined && /students/i.test(seen.text),
      { timeoutMs: 30_000 },
    );
    note(`charts: ${chart?.drawn.map((d) => `${d.tag} ${d.width}x${d.height}`).join(', ')}`);
    note(`panel text: ${chart?.text.slice(0, 200)}`);
    await shot('final');
    // A second picture with the first chart scrolled into view, as a person would look at it.
    await chart?.frame.locator('svg, canvas').first().scrollIntoViewIfNeeded();
    await shot('chart');
  },
};
