/**
 * (i) The preview as a PM meets it, in the light and the dark theme: a click
 * on a segment's code lens opens the preview at that segment's top; sample
 * members show the fields the rule uses (also through referenced segments) in
 * order, then the key, numbers formatted, spread over the file; the overlap
 * heatmap has rows in the order of its columns, a legend, the diagonal outside
 * the colour scale and shares of the smaller segment; persona cards show
 * profile and channels; switching the theme redraws the charts in its colours.
 * Expected values come from the sample's CSV and spec text.
 */
import { readFileSync } from 'node:fs';
import type { Frame } from 'playwright-core';
import { check, path, type Scenario } from '../support/scenario.js';
import { readCsv, type Row } from '../support/sample-facts.js';
import { until, untilObserved } from '../support/wait.js';
import type { Workbench } from '../support/workbench.js';
import { waitForAnalysis } from './common.js';

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'between', 'is', 'missing', 'within', 'last', 'days', 'day', 'contains', 'true', 'false']);

/** `where` of each segment, from the spec text. */
function rules(specText: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of specText.matchAll(/^segment (\w+)[^{]*\{([\s\S]*?)^\}/gm)) {
    const where = /^\s*where ([\s\S]*?)(?=^\s*(?:expect|example|owner|tags|kind|description)\b|$(?![\s\S]))/m.exec(m[2]);
    if (where) out.set(m[1], where[1].replace(/"[^"]*"/g, ' '));
  }
  return out;
}

/** Fields a rule reads, in order, following referenced segments where they appear. */
function ruleFields(segment: string, all: Map<string, string>, fields: string[], seen = new Set<string>()): string[] {
  const out: string[] = [];
  if (seen.has(segment)) return out;
  seen.add(segment);
  for (const word of (all.get(segment) ?? '').match(/[A-Za-z_]\w*/g) ?? []) {
    if (KEYWORDS.has(word)) continue;
    const found = all.has(word) ? ruleFields(word, all, fields, seen) : fields.includes(word) ? [word] : [];
    for (const f of found) if (!out.includes(f)) out.push(f);
  }
  return out;
}

/** Clicks the code lens right above the line that starts with `lineStart`. */
async function clickLensAbove(workbench: Workbench, lineStart: string, line: number): Promise<string> {
  await workbench.goTo(line, 1);
  const target = workbench.page.locator('.view-line', { hasText: lineStart }).first();
  return until(`the code lens above '${lineStart}'`, async () => {
    const box = await target.boundingBox();
    if (!box) return undefined;
    const lenses = workbench.page.locator('.codelens-decoration a');
    let best: { index: number; y: number; text: string } | undefined;
    for (let i = 0; i < (await lenses.count()); i++) {
      const b = await lenses.nth(i).boundingBox();
      if (b && b.y < box.y && (!best || b.y > best.y)) best = { index: i, y: b.y, text: (await lenses.nth(i).textContent()) ?? '' };
    }
    if (!best || box.y - best.y > 40) return undefined;
    await lenses.nth(best.index).click();
    return best.text;
  });
}

async function previewFrame(workbench: Workbench, segment: string): Promise<Frame> {
  return untilObserved(
    `the preview showing ${segment} with its charts`,
    async () => {
      for (const frame of await workbench.framesWith('section.selected')) {
        const title = await frame.locator('section.selected h1').textContent().catch(() => '');
        if (title?.includes(`(${segment})`) && (await frame.locator('#overlap-chart svg').count()) > 0) return frame;
      }
      return undefined;
    },
    (f) => f !== undefined,
    { timeoutMs: 30_000 },
  ) as Promise<Frame>;
}

/** Light or dark, through the command a person would use ("Toggle between Light/Dark Themes"). */
async function setTheme(workbench: Workbench, kind: 'light' | 'dark'): Promise<void> {
  const isDark = (): Promise<boolean> => workbench.page.evaluate(() => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark') ?? false);
  if ((await isDark()) === (kind === 'dark')) return;
  await workbench.runCommand('Preferences: Toggle between Light/Dark Themes');
  await until(`the ${kind} theme`, async () => (await isDark()) === (kind === 'dark'));
}

interface Label { text: string; x: number; y: number }

async function svgTexts(frame: Frame, chart: string): Promise<Array<Label & { fill: string }>> {
  return frame.locator(`${chart} svg text`).evaluateAll((nodes) =>
    nodes.map((n) => {
      const r = n.getBoundingClientRect();
      return { text: (n.textContent ?? '').trim(), x: r.x + r.width / 2, y: r.y + r.height / 2, fill: n.getAttribute('fill') ?? '' };
    }),
  );
}

/** Members evenly spaced over the file: ranks 0, n/k, 2n/k, … of the members in file order. */
function spread<T>(members: T[], k: number): T[] {
  if (members.length <= k) return members;
  return Array.from({ length: k }, (_, i) => members[Math.floor((i * members.length) / k)]);
}

export const previewDesign: Scenario = {
  id: 'i-preview-design',
  title: 'the preview reads well in light and dark: sample members, heatmap, personas, theme switch, lens focus',
  async run({ workbench, workspace, facts, note, shot }) {
    const specText = readFileSync(path(workspace, 'segments.segspec'), 'utf8');
    const lineOf = (start: string): number => specText.split('\n').findIndex((l) => l.startsWith(start)) + 1;
    const all = rules(specText);
    await setTheme(workbench, 'light');
    await workbench.openFile('segments.segspec');
    await waitForAnalysis(workbench, facts, note);

    // 1. A lens click on a segment that uses two others: the preview opens at its top.
    const lens = await clickLensAbove(workbench, 'segment core_power_users', lineOf('segment core_power_users'));
    note(`clicked lens: ${lens}`);
    let frame = await previewFrame(workbench, 'core_power_users');
    const top = await frame.locator('section.selected').evaluate((n) => n.getBoundingClientRect().top);
    check(top >= 0 && top <= 60, `the selected segment's section starts ${top}px from the panel's top`);
    const columns = (await frame.locator('table.sample thead th').allTextContents()).filter((t) => t !== '');
    const expectedColumns = [...ruleFields('core_power_users', all, facts.fields), 'user_id'];
    note(`sample columns: ${columns.join(', ')}`);
    check(JSON.stringify(columns) === JSON.stringify(expectedColumns), `sample columns ${columns.join(', ')}, expected ${expectedColumns.join(', ')}`);

    // 2. The overlap heatmap: rows in column order, a legend, shares, the diagonal in one neutral colour.
    const labels = await svgTexts(frame, '#overlap-chart');
    const segmentNames = [...all.keys()].filter((n) => labels.filter((l) => l.text === n).length === 2);
    check(segmentNames.length >= 10, `heatmap axis labels for ${segmentNames.length} segments`);
    const rows = segmentNames.map((n) => labels.filter((l) => l.text === n).sort((a, b) => a.y - b.y)[0]);
    const cols = segmentNames.map((n) => labels.filter((l) => l.text === n).sort((a, b) => a.y - b.y)[1]);
    const rowOrder = rows.slice().sort((a, b) => a.y - b.y).map((l) => l.text);
    const colOrder = cols.slice().sort((a, b) => a.x - b.x).map((l) => l.text);
    check(JSON.stringify(rowOrder) === JSON.stringify(colOrder), `heatmap rows ${rowOrder.join(',')} vs columns ${colOrder.join(',')}`);
    check(labels.some((l) => / shared$/.test(l.text)), 'the heatmap has a legend ("N shared")');
    const percents = labels.filter((l) => /^\d+\.\d%$/.test(l.text));
    check(percents.length > 0, 'heatmap cells show the share of the smaller segment');
    const fills = await frame.locator('#overlap-chart svg path').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('fill') ?? ''));
    const counts = new Map<string, number>();
    for (const f of fills) if (f !== 'none') counts.set(f, (counts.get(f) ?? 0) + 1);
    check([...counts.values()].includes(segmentNames.length), `no single neutral colour for the ${segmentNames.length} diagonal cells`);
    await frame.locator('#overlap-chart').scrollIntoViewIfNeeded();
    await shot('light-heatmap');

    // 3. Persona cards: profile and channels.
    const persona = frame.locator('article.persona').first();
    check((await persona.locator('table.profile tr').count()) > 0, 'a persona card shows its profile');
    check((await persona.innerText()).includes('Channels:'), 'a persona card shows its channels');
    const seats = await frame.locator('table.profile tr', { has: frame.locator('th', { hasText: /^seats$/ }) }).locator('td').allTextContents();
    check(seats.includes('1,200'), `a profile's seats read ${seats.join(', ')} (written 1_200)`);

    // 4. Sample members of a segment with decimals: formatted, spread over the file.
    const quietLens = await clickLensAbove(workbench, 'segment quiet_payers', lineOf('segment quiet_payers'));
    note(`clicked lens: ${quietLens}`);
    frame = await previewFrame(workbench, 'quiet_payers');
    const csv: Row[] = readCsv(path(workspace, 'data', 'users.csv'));
    const members = csv.filter((r) => r.seats !== '' && Number(r.sessions_30d) !== 0 && Number(r.ltv_usd) / Number(r.sessions_30d) > 40);
    const sample = spread(members, 20);
    const header = (await frame.locator('table.sample thead th').allTextContents()).filter((t) => t !== '');
    const shownKeys = await frame.locator('table.sample tbody tr').evaluateAll(
      (trs, at) => trs.map((tr) => tr.querySelectorAll('td')[at]?.textContent ?? ''),
      header.indexOf('user_id'),
    );
    check(JSON.stringify(shownKeys) === JSON.stringify(sample.map((r) => r.user_id)), `sample keys ${shownKeys.slice(0, 5).join(',')}… expected ${sample.slice(0, 5).map((r) => r.user_id).join(',')}…`);
    const decimals = Math.max(...sample.map((r) => (r.ltv_usd.split('.')[1] ?? '').replace(/0+$/, '').length));
    const shownLtv = await frame.locator('table.sample tbody tr').evaluateAll(
      (trs, at) => trs.map((tr) => tr.querySelectorAll('td')[at]?.textContent ?? ''),
      header.indexOf('ltv_usd'),
    );
    const expectedLtv = sample.map((r) => Number(r.ltv_usd).toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }));
    check(JSON.stringify(shownLtv) === JSON.stringify(expectedLtv), `ltv_usd shown ${shownLtv.slice(0, 4).join(' | ')}, expected ${expectedLtv.slice(0, 4).join(' | ')}`);
    note(`quiet_payers sample: ${shownKeys.length} members from ${shownKeys[0]} to ${shownKeys.at(-1)}, ltv_usd like ${shownLtv[0]}`);
    await shot('light-members');

    // 5. Switch to the dark theme: the charts are drawn again in its colours.
    const before = await frame.evaluate(() => Number(document.body.dataset.themeRenders ?? 0));
    const lightFill = (await svgTexts(frame, '#sizes-chart')).find((l) => l.text === 'students')?.fill;
    await setTheme(workbench, 'dark');
    await untilObserved(
      'the preview redrawn in the dark theme',
      () => frame.evaluate(() => ({ theme: document.body.dataset.theme ?? '', renders: Number(document.body.dataset.themeRenders ?? 0) })),
      (s) => s.theme === 'vscode-dark' && s.renders > before,
      { timeoutMs: 15_000 },
    );
    const darkFill = (await svgTexts(frame, '#sizes-chart')).find((l) => l.text === 'students')?.fill;
    note(`axis label colour: light ${lightFill}, dark ${darkFill}`);
    check(lightFill !== undefined && darkFill !== undefined && lightFill !== darkFill, `axis labels kept their colour (${lightFill} → ${darkFill})`);
    await shot('dark-members');
    await frame.locator('#overlap-chart').scrollIntoViewIfNeeded();
    await shot('dark-heatmap');
    await frame.locator('section h2', { hasText: 'Personas' }).scrollIntoViewIfNeeded();
    await shot('dark-personas');
  },
};
