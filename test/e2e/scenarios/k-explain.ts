/**
 * (k) Explanations as a product manager meets them: "Explain Why a Row Is In
 * or Out of a Segment…" offers the segment at the cursor first (title, size
 * in the dataset's unit word, share), shows each clause with the row's value
 * and what it needs, drilling into referenced segments, in ONE read-only
 * document that each explanation (and "Explain a Diagnostic Code") reuses: no
 * Untitled documents, and closing it asks nothing. The command palette lists
 * every Segspec command. Screenshots in the dark and the light theme.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { check, path, type Scenario } from '../support/scenario.js';
import { formatCount } from '../support/sample-facts.js';
import { positionOf } from '../support/workspace.js';
import { until, untilObserved } from '../support/wait.js';
import type { Workbench } from '../support/workbench.js';
import { waitForAnalysis } from './common.js';

const EXPLAIN_ROW = 'Segspec: Explain Why a Row Is In or Out of a Segment…';
const EXPLAIN_CODE = 'Segspec: Explain a Diagnostic Code (SEG…)…';
export const PALETTE_TITLES = [
  'Segspec: Show Segment Preview',
  EXPLAIN_ROW,
  EXPLAIN_CODE,
  'Segspec: Copy Segment as SQL (Condition or SELECT)…',
  'Segspec: Discover Segments…',
  'Segspec: Restart Language Server',
];
/** The unit word the scenario gives the sample's dataset. */
export const UNIT = 'members';

/** Adds `unit "members"` to the sample's dataset, so that every count must come from it. */
export function addUnit(workspace: string): void {
  const file = path(workspace, 'data.segspec');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/(dataset users "[^"]*" \{\n)/, `$1  unit "${UNIT}"\n`));
}

export async function tabLabels(workbench: Workbench): Promise<string[]> {
  return workbench.page.locator('.tabs-container .tab .label-name').allInnerTexts();
}

/** Switches the color theme through the workspace settings and waits for the workbench to show it. */
export async function useTheme(workbench: Workbench, workspace: string, theme: 'Default Light Modern' | 'Default Dark Modern'): Promise<void> {
  mkdirSync(path(workspace, '.vscode'), { recursive: true });
  writeFileSync(path(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.colorTheme': theme }));
  const light = theme.includes('Light');
  await until(`the ${light ? 'light' : 'dark'} theme`, async () => {
    const classes = (await workbench.page.locator('.monaco-workbench').first().getAttribute('class')) ?? '';
    return light ? / vs( |$)/.test(` ${classes} `) && !classes.includes('vs-dark') : classes.includes('vs-dark');
  }, { timeoutMs: 30_000 });
}

/**
 * Runs a palette command that asks something next (a quick pick, an input
 * box): the same widget stays open, so this does not wait for it to close.
 */
async function startCommand(workbench: Workbench, title: string, nextPrompt: RegExp): Promise<void> {
  await workbench.page.keyboard.press('F1');
  const input = workbench.page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = workbench.page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: workbench.page.locator('.label-name', { hasText: title }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  await row.click();
  await until(`the command's question ${nextPrompt}`, async () => nextPrompt.test((await input.getAttribute('placeholder')) ?? '') || nextPrompt.test(await workbench.page.locator('.quick-input-widget .quick-input-message').innerText().catch(() => '')));
}

async function explainRow(workbench: Workbench, key: string, expectFirst: string): Promise<string> {
  await startCommand(workbench, EXPLAIN_ROW, /which segment/);
  const rows = workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  const first = await until('the segment quick pick', async () => {
    const texts = await rows.allInnerTexts();
    return texts.length > 1 ? texts[0].replace(/\s+/g, ' ') : undefined;
  });
  check(first.includes(expectFirst), `the quick pick does not offer ${expectFirst} first: ${first}`);
  await workbench.page.keyboard.press('Enter');
  const input = workbench.page.locator('.quick-input-widget .quick-input-box input');
  const prompt = workbench.page.locator('.quick-input-widget .quick-input-message');
  await until('the key input box', async () => (await prompt.innerText().catch(() => '')).includes('Key of the row'));
  await input.fill(key);
  await workbench.page.keyboard.press('Enter');
  return first;
}

/** Back to segments.segspec (its tab), where the cursor still is. */
export async function backToSpec(workbench: Workbench): Promise<void> {
  await workbench.page.locator('.tabs-container .tab').filter({ hasText: 'segments.segspec' }).first().click();
  await workbench.focusEditor();
}

async function explanationText(workbench: Workbench, accept: (text: string) => boolean): Promise<string> {
  return untilObserved(
    'the explanation document',
    async () => {
      const active = await workbench.page.locator('.editor-group-container.active .tabs-container .tab.active .label-name').first().innerText().catch(() => '');
      if (active !== 'Segspec Explanation.md') return `active tab: ${active}`;
      return (await workbench.visibleLines()).join('\n');
    },
    accept,
    { timeoutMs: 30_000 },
  );
}

export const explainScenario: Scenario = {
  id: 'k-explain',
  title: 'explain a row / a code: values and thresholds, one read-only document, quick pick with sizes, palette titles',
  prepare: addUnit,
  async run({ workbench, workspace, facts, note, shot }) {
    await workbench.openFile('segments.segspec');
    await waitForAnalysis(workbench, facts, note);
    const status = await workbench.statusBarText();
    check(status.includes(`${formatCount(facts.rows.length)} ${UNIT}`), `the status bar does not count in '${UNIT}': ${status}`);

    const at = positionOf(path(workspace, 'segments.segspec'), 'segment core_power_users', { offset: 'segment '.length });
    await workbench.goTo(at.line, at.column);
    const keys = [...facts.students.memberKeys];
    const first = await explainRow(workbench, keys[0], 'core_power_users');
    check(new RegExp(`[\\d,]+ ${UNIT} · \\d+(\\.\\d)?%`).test(first), `the quick pick item has no size in '${UNIT}' and share: ${first}`);
    note(`quick pick, first item: ${first}`);

    // A student is not a core power user: the explanation follows `not students` into the students rule.
    const text = await explanationText(workbench, (t) => t.includes(`${keys[0]} is not a member of core_power_users`) && /needs/.test(t));
    note(`explanation: ${text.split('\n').slice(0, 12).join(' ⏎ ')}`);
    check(/students.*a member of \*\*students\*\*/.test(text), 'the explanation does not drill into students');
    check(/is_student = true, needs true/.test(text), 'the explanation does not show the row value against what the clause needs');
    check(/power_users/.test(text), 'the explanation does not show power_users');
    await shot('explanation-dark');

    // A second explanation and a diagnostic code reuse the same document: still one tab, no Untitled.
    await backToSpec(workbench);
    await explainRow(workbench, keys[1], 'core_power_users');
    await explanationText(workbench, (t) => t.includes(`${keys[1]} is not a member of core_power_users`));
    await startCommand(workbench, EXPLAIN_CODE, /SEG001|Diagnostic code/);
    const input = workbench.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill('SEG003');
    await workbench.page.keyboard.press('Enter');
    const code = await explanationText(workbench, (t) => /# SEG003/.test(t));
    note(`code explanation: ${code.split('\n').slice(0, 3).join(' ⏎ ')}`);
    const tabs = await tabLabels(workbench);
    note(`tabs: ${tabs.join(', ')}`);
    check(tabs.filter((t) => t === 'Segspec Explanation.md').length === 1, `not exactly one explanation tab: ${tabs.join(', ')}`);
    check(!tabs.some((t) => /untitled/i.test(t)), `an Untitled document was opened: ${tabs.join(', ')}`);

    // Closing it asks nothing: it is read-only and never dirty.
    await workbench.page.locator('.tabs-container .tab').filter({ hasText: 'Segspec Explanation.md' }).first().click();
    await workbench.page.keyboard.press('Control+W');
    await until('the explanation tab to close', async () => !(await tabLabels(workbench)).includes('Segspec Explanation.md'));
    check((await workbench.page.locator('.monaco-dialog-box').count()) === 0, 'closing the explanation asked something');

    // The command palette lists every Segspec command with a clear title.
    await workbench.page.keyboard.press('F1');
    const palette = workbench.page.locator('.quick-input-widget .quick-input-box input');
    await palette.fill('>Segspec:');
    const labels = await untilObserved(
      'the Segspec commands in the palette',
      async () => (await workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name').allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' ')),
      (seen) => PALETTE_TITLES.every((t) => seen.includes(t)),
    );
    note(`palette: ${labels.join(' | ')}`);
    await shot('palette');
    await workbench.page.keyboard.press('Escape');

    await useTheme(workbench, workspace, 'Default Light Modern');
    await backToSpec(workbench);
    await explainRow(workbench, keys[0], 'core_power_users');
    await explanationText(workbench, (t) => t.includes(`${keys[0]} is not a member of core_power_users`));
    await shot('explanation-light');
  },
};
