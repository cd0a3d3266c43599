/**
 * (m) Discovery in the editor (SPEC §13): "Segspec: Discover Segments…" with
 * a target lists candidates in the preview with their sizes — the sizes
 * `segspec discover --format json` reports for the same workspace; "Add to
 * file" appends one to data.segspec, where its code lens appears with that
 * size; the code action "Draft a persona for students" inserts a persona
 * whose lens says its profile is a member. Screenshots dark and light.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Frame } from 'playwright-core';
import { check, path, type Scenario } from '../support/scenario.js';
import { formatCount } from '../support/sample-facts.js';
import { positionOf } from '../support/workspace.js';
import { until, untilObserved } from '../support/wait.js';
import type { Workbench } from '../support/workbench.js';
import { waitForAnalysis } from './common.js';
import { useTheme } from './k-explain.js';

const TARGET = 'high_value';
const COMMAND = 'Segspec: Discover Segments…';

interface CliCandidate {
  name: string;
  where: string;
  size: number;
  declaration: string;
}

/** What the CLI reports for the same workspace and target (the bundle sits in out/e2e/, the command in bin/). */
function cliCandidates(workspace: string): CliCandidate[] {
  const bin = fileURLToPath(new URL('../../bin/segspec.cjs', import.meta.url));
  const out = execFileSync(process.execPath, [bin, 'discover', '--target', TARGET, '--format', 'json', workspace], { encoding: 'utf8' });
  return (JSON.parse(out) as { candidates: CliCandidate[] }).candidates;
}

async function runDiscover(workbench: Workbench, target: string): Promise<void> {
  const page = workbench.page;
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${COMMAND}`);
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: COMMAND }) }).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.click();
  await until('the target input box', async () => /Target/.test(await page.locator('.quick-input-widget .quick-input-message').innerText().catch(() => '')));
  await input.fill(target);
  await page.keyboard.press('Enter');
}

async function candidatesFrame(workbench: Workbench): Promise<Frame> {
  return until('the candidates in the preview', async () => (await workbench.framesWith('#discovery tr.candidate'))[0], { timeoutMs: 60_000 });
}

export const discoverScenario: Scenario = {
  id: 'm-discover',
  title: 'Discover Segments lists candidates with sizes in the preview; Add to file inserts one with its lens; the persona code action',
  async run({ workbench, workspace, facts, note, shot }) {
    await workbench.openFile('segments.segspec');
    await waitForAnalysis(workbench, facts, note);
    const expected = cliCandidates(workspace);
    check(expected.length > 0, 'the CLI found no candidates for the target');

    // 1. The command with a target: candidates with sizes in the preview.
    await runDiscover(workbench, TARGET);
    const frame = await candidatesFrame(workbench);
    const shown = await frame.locator('#discovery tr.candidate').evaluateAll((rows) =>
      rows.map((r) => ({ name: r.getAttribute('data-name') ?? '', rule: r.querySelector('code.rule')?.textContent ?? '', size: r.querySelector('td.size')?.textContent ?? '' })),
    );
    note(`candidates: ${shown.map((c) => `${c.rule} (${c.size})`).join(' | ')}`);
    check(shown.length === expected.length, `${shown.length} candidates shown, the CLI reports ${expected.length}`);
    shown.forEach((c, i) => {
      check(c.rule === expected[i].where, `candidate ${i + 1} reads '${c.rule}', the CLI's '${expected[i].where}'`);
      check(c.size === formatCount(expected[i].size), `candidate ${i + 1} shows size ${c.size}, the CLI counts ${expected[i].size}`);
    });
    const summary = await frame.locator('#discovery section.discovery > p').first().innerText();
    check(summary.includes(`Target ${TARGET} on users`), `the candidates' summary: ${summary}`);
    await shot('candidates-dark');

    // 2. "Add to file": the declaration lands in data.segspec and its lens shows the size.
    const chosen = expected[0];
    await frame.locator(`#discovery button.add[data-name="${chosen.name}"]`).click();
    await until('data.segspec in the editor', async () =>
      (await workbench.page.locator('.editor-group-container.active .tabs-container .tab.active .label-name').first().innerText().catch(() => '')) === 'data.segspec',
    );
    const lines = await untilObserved('the added segment in data.segspec', () => workbench.visibleLines(), (l) => l.some((t) => t.startsWith(`segment ${chosen.name} `)));
    note(`added: ${lines.find((t) => t.startsWith('segment '))}`);
    const size = formatCount(chosen.size);
    const lenses = await untilObserved('the new segment\'s lens', () => workbench.codeLensTexts(), (l) => l.some((t) => t.includes(size)), { timeoutMs: 30_000 });
    note(`lens: ${lenses.find((t) => t.includes(size))}`);
    await until('the button to say Added', async () => (await frame.locator(`#discovery button.add[data-name="${chosen.name}"]`).innerText()) === 'Added');
    await shot('added-dark');

    // 3. The persona code action on a segment.
    await workbench.page.locator('.tabs-container .tab').filter({ hasText: 'segments.segspec' }).first().click();
    const students = positionOf(path(workspace, 'segments.segspec'), 'segment students', { offset: 'segment stu'.length });
    await workbench.goTo(students.line, students.column);
    const applied = await workbench.applyCodeAction(/Draft a persona for students/);
    note(`code action: ${applied}`);
    await untilObserved('the persona below students', () => workbench.visibleLines(), (l) => l.some((t) => t.startsWith('persona students_persona')));
    const personaLens = await untilObserved(
      'the persona\'s lens',
      () => workbench.codeLensTexts(),
      (l) => l.some((t) => t.includes('persona of students') && t.includes('profile is a member ✓')),
      { timeoutMs: 30_000 },
    );
    note(`persona lens: ${personaLens.find((t) => t.includes('persona of students'))}`);
    const problems = await workbench.problemCounts();
    check(problems.errors === 0, `${problems.errors} errors after the persona draft`);
    await shot('persona-dark');

    await useTheme(workbench, workspace, 'Default Light Modern');
    await shot('persona-light');
    await frame.locator('#discovery').scrollIntoViewIfNeeded();
    await shot('candidates-light');
  },
};
