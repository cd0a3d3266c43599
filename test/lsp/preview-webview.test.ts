/**
 * The preview page in headless Chromium, under the same content security
 * policy the extension serves: charts render from the bundled echarts, every
 * data value appears as text (hostile titles and sample values stay inert),
 * nothing is fetched from the network, and the page talks back to the
 * extension through postMessage.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { previewHtml } from '../../client/src/preview-html.js';
import type { PreviewData } from '../../server/src/lsp/protocol.js';
import { repoRoot } from './harness.js';
import { explain } from '../../server/src/core/engine/explain.js';
import { explanationHtml } from '../../server/src/core/engine/explain-render.js';
import { recordFromLiteral } from '../../server/src/core/engine/records.js';
import type { EvalEnv } from '../../server/src/core/engine/reference.js';
import { expr, record } from '../unit/engine/helpers.js';

const HOSTILE = '<img src=x onerror="window.__xss=1">';

function hostileData(): PreviewData {
  const segments = ['alpha', 'beta', 'gamma'].map((name, i) => ({
    name,
    title: i === 0 ? HOSTILE : `Title ${name}`,
    kind: 'behavioral',
    dataset: 'users',
    draft: false,
    size: 100 * (i + 1),
    share: (i + 1) / 10,
    status: 'ok' as const,
    expectations: { passed: 1, total: 1 },
  }));
  return {
    datasets: [{ name: 'users', rows: 1000, loaded: true }],
    segments,
    overlaps: { names: ['alpha', 'beta', 'gamma'], counts: [[100, 20, 5], [20, 200, 30], [5, 30, 300]] },
    coverage: [{ dataset: 'users', covered: 450, rows: 1000 }],
    partitions: [{ name: 'p', title: '<b>part</b>', segments: ['alpha', 'beta'], exclusive: true, exhaustive: false, overlapping: 20 }],
    flags: [
      {
        name: 'smart',
        title: 'Smart <img src=x onerror="window.__xss=5">',
        headline: 'GrowthBook smart · 90 users · 90.0% of alpha · 3 outside',
        for: ['alpha'],
        segments: [{ name: 'alpha', members: 100, on: 90 }, { name: 'beta', members: 200, on: 3 }],
        personas: [{ name: 'fiona', on: true, rule: 'rule <b>1</b>' }],
      },
    ],
    personas: [{ name: 'fiona', title: 'Fiona <script>window.__xss=3</script>', segment: 'alpha', quote: '</blockquote><i>hi</i>', goals: ['<u>goal</u>'], pains: [], jobs: [], channels: ['<i>chan</i>'], profile: [['seats', '1,200'], ['job', '<b>x</b>']] }],
    selected: {
      name: 'alpha',
      title: HOSTILE,
      description: '<svg onload="window.__xss=4">',
      where: 'job == "<b>bold</b>"',
      columns: ['job', 'user_id'],
      numericColumns: [],
      sample: [{ user_id: 'u1', job: '<script>window.__xss=2</script>' }],
      keyField: 'user_id',
      expectations: [{ text: 'expect size >= 5%', passed: true, message: 'size is 10.0%' }],
    },
  };
}

interface Label { text: string; x: number; y: number }

/** The texts of a chart's svg with their centres. */
function chartTexts(page: Page, chart: string): Promise<Label[]> {
  return page.locator(`${chart} svg text`).evaluateAll((nodes) =>
    nodes.map((n) => {
      const r = n.getBoundingClientRect();
      return { text: (n.textContent ?? '').trim(), x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }),
  );
}

describe('preview webview page', () => {
  let browser: Browser;
  let page: Page;
  const posted: unknown[] = [];
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segspec-preview-'));
    const media = (file: string): string => pathToFileURL(join(repoRoot, 'client', 'media', file)).toString();
    const html = previewHtml({
      cspSource: 'file:',
      nonce: 'dGVzdG5vbmNl',
      echartsUri: pathToFileURL(join(repoRoot, 'node_modules', 'echarts', 'dist', 'echarts.min.js')).toString(),
      scriptUri: media('preview.js'),
      styleUri: media('preview.css'),
    });
    writeFileSync(join(dir, 'preview.html'), html);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--allow-file-access-from-files'],
    });
    page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.exposeFunction('__posted', (m: unknown) => posted.push(m));
    // The webview API VS Code injects; here through the test driver (the page's CSP forbids inline scripts).
    await page.addInitScript(() => {
      (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
        postMessage: (m: unknown) => (window as unknown as { __posted: (m: unknown) => void }).__posted(m),
        getState: () => undefined,
        setState: () => undefined,
      });
    });
    await page.goto(pathToFileURL(join(dir, 'preview.html')).toString());
    await page.waitForFunction(() => typeof (window as unknown as { echarts?: unknown }).echarts === 'object');
    await page.evaluate((data) => window.postMessage({ type: 'data', data }, '*'), hostileData());
    await page.waitForSelector('#sizes-chart svg');
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('asks the extension for data when it is ready', () => {
    expect(posted).toContainEqual({ type: 'ready' });
  });

  it('draws the size and overlap charts with the bundled echarts', async () => {
    expect(await page.locator('#sizes-chart svg').count()).toBeGreaterThan(0);
    expect(await page.locator('#overlap-chart svg').count()).toBeGreaterThan(0);
  });

  it('shows hostile values as text and runs none of them', async () => {
    const body = await page.locator('body').innerText();
    expect(body).toContain(HOSTILE);
    expect(body).toContain('<script>window.__xss=2</script>');
    expect(body).toContain('Fiona <script>window.__xss=3</script>');
    expect(body).toContain('Smart <img src=x onerror="window.__xss=5">');
    expect(body).toContain('gets it (rule <b>1</b>)');
    expect(body).toContain('90 of 100');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('main img, main svg[onload], main script').count()).toBe(0);
    expect(problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  });

  it('loads nothing from the network', () => {
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
  });

  it('draws the overlap heatmap with rows in column order, a legend, the diagonal outside the scale and shares', async () => {
    const names = ['alpha', 'beta', 'gamma'];
    const labels = await chartTexts(page, '#overlap-chart');
    const rows: Label[] = [];
    const columns: Label[] = [];
    for (const name of names) {
      const two = labels.filter((l) => l.text === name).sort((a, b) => a.y - b.y);
      expect(two).toHaveLength(2);
      rows.push(two[0]);
      columns.push(two[1]);
    }
    expect(rows.slice().sort((a, b) => a.y - b.y).map((l) => l.text)).toEqual(names);
    expect(columns.slice().sort((a, b) => a.x - b.x).map((l) => l.text)).toEqual(names);
    expect(labels.map((l) => l.text)).toContain('30 shared'); // the legend's top: the largest pair, not a size
    // beta ∩ gamma: 30 shared, 15.0% of beta (the smaller, 200), right below the count, twice (both halves).
    const counts = labels.filter((l) => l.text === '30');
    expect(counts.filter((c) => labels.some((l) => l.text === '15.0%' && Math.abs(l.x - c.x) < 1 && l.y > c.y && l.y - c.y < 20))).toHaveLength(2);
    // The diagonal shows the sizes in one neutral colour: three cells of the same fill that no pair has.
    const fills = await page.locator('#overlap-chart svg path').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('fill') ?? ''));
    const diagonal = ['100', '200', '300'].map((size) => labels.find((l) => l.text === size));
    expect(diagonal.every(Boolean)).toBe(true);
    const neutral = fills.filter((f) => f !== 'none' && fills.filter((g) => g === f).length === 3);
    expect(new Set(neutral).size).toBe(1);
  });

  it('lists sample members with numbers right-aligned, and persona cards with profile and channels', async () => {
    expect(await page.locator('table.sample th').allTextContents()).toEqual(['job', 'user_id', '']);
    const persona = page.locator('article.persona');
    expect(await persona.locator('table.profile tr').allTextContents()).toEqual(['seats1,200', 'job<b>x</b>']);
    expect(await persona.innerText()).toContain('Channels: <i>chan</i>');
  });

  it('redraws the charts in the new colours when the theme changes', async () => {
    const before = await page.evaluate(() => Number(document.body.dataset.themeRenders ?? 0));
    for (const [theme, fg, bg] of [['vscode-dark', 'rgb(240, 240, 240)', 'rgb(30, 30, 30)'], ['vscode-light', 'rgb(20, 20, 20)', 'rgb(255, 255, 255)']]) {
      await page.evaluate(([cls, foreground, background]) => {
        document.documentElement.style.setProperty('--vscode-foreground', foreground);
        document.documentElement.style.setProperty('--vscode-editor-background', background);
        document.body.style.background = background;
        document.body.className = cls;
      }, [theme, fg, bg]);
      await page.waitForFunction((cls) => document.body.dataset.theme === cls, theme);
      const axisFill = await page.locator('#sizes-chart svg text', { hasText: 'alpha' }).first().getAttribute('fill');
      expect(axisFill?.replace(/\s/g, '')).toBe(fg.replace(/\s/g, ''));
      mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
      await page.screenshot({ path: join(repoRoot, 'test-results', `preview-webview-${theme}.png`), fullPage: true });
    }
    expect(await page.evaluate(() => Number(document.body.dataset.themeRenders ?? 0))).toBeGreaterThanOrEqual(before + 2);
  });

  it('scrolls to the selected segment\'s top when asked to focus it', async () => {
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.evaluate((data) => window.postMessage({ type: 'data', data, focus: true }, '*'), hostileData());
    // The section starts at the top of the view (below the one-line dataset header when the page cannot scroll further up).
    await expect.poll(() => page.evaluate(() => Math.round(document.querySelector('section.selected')!.getBoundingClientRect().top))).toBeLessThanOrEqual(60);
    expect(await page.evaluate(() => document.querySelector('section.selected')!.getBoundingClientRect().top)).toBeGreaterThanOrEqual(0);
  });

  it('asks the extension to explain a sample row', async () => {
    await page.locator('button.explain').first().click();
    await expect.poll(() => posted).toContainEqual({ type: 'explain', segment: 'alpha', key: 'u1' });
    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-results', 'preview-webview.png'), fullPage: true });
  });

  it('renders the "Why?" explanation as a tree with values, referenced segments folded, hostile values inert', async () => {
    const rec = recordFromLiteral(record('{ job: "<img src=x onerror=\\"window.__xss=5\\">", age: 31 }'), new Map([['job', { type: 'string' as const }], ['age', { type: 'integer' as const }]]), 0);
    const env: EvalEnv = {
      today: 0,
      resolve: (n) => (n.name === 'young' ? { kind: 'segment', name: 'young' } : { kind: 'field', dataset: 'users', name: n.name }),
      field: (name) => rec.get(name) ?? null,
      segment: () => false,
      aggregate: () => null,
    };
    const tree = explain(expr('job == "designer" or young'), env, undefined, { rules: () => ({ where: expr('age < 25'), title: 'Young' }) });
    const result = { member: false, text: '# raw markdown', html: explanationHtml(tree) };
    await page.evaluate((r) => window.postMessage({ type: 'explanation', key: 'u1', result: r }, '*'), result);
    const box = page.locator('#explanation');
    await expect.poll(() => box.locator('ul.explanation-tree').count()).toBe(1);
    const text = await box.innerText();
    expect(text).toContain('needs "designer"');
    expect(text).toContain('age = 31, needs < 25');
    expect(text).toContain('job = "<img src=x onerror=\\"window.__xss=5\\">"');
    expect(text).not.toContain('# raw markdown');
    expect(await box.locator('details[open] > summary').count()).toBe(1);
    expect(await box.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await box.screenshot({ path: join(repoRoot, 'test-results', 'preview-why.png') });
  });

  it('lists discovered candidates above the preview, values as text, with "Add to file" and a way to run it again', async () => {
    const report = {
      dataset: 'users',
      target: 'churned <b>x</b>',
      quality: 'wracc',
      rows: 1000,
      targetCount: 200,
      targetRate: 0.2,
      sampledRows: null,
      candidateClauses: 12,
      candidates: [
        { name: 'plan_free', where: 'plan == "<img src=x onerror=\\"window.__xss=6\\">"', declaration: 'segment plan_free {}', size: 1234, share: 0.25, targetCount: 100, targetRate: 0.4, lift: 2, quality: 0.05, overlaps: [{ segment: 'beta', count: 70, jaccard: 0.125 }] },
        { name: 'young', where: 'age < 25', declaration: 'segment young {}', size: 90, share: 0.09, targetCount: 30, targetRate: 0.333, lift: 1.67, quality: 0.01, overlaps: [] },
      ],
    };
    await page.evaluate((discovery) => window.postMessage({ type: 'discovery', discovery }, '*'), { report, file: 'file:///w/data.segspec', added: [] });
    const box = page.locator('#discovery');
    await expect.poll(() => box.locator('tr.candidate').count()).toBe(2);
    const first = await box.locator('tr.candidate').first().innerText();
    expect(first).toContain('plan == "<img src=x onerror=\\"window.__xss=6\\">"');
    expect(first).toContain('1,234');
    expect(first).toContain('25.0%');
    expect(first).toContain('40.0%');
    expect(first).toContain('2.00');
    expect(first).toContain('beta: 70 (Jaccard 0.13)');
    expect(await box.locator('tr.candidate').nth(1).innerText()).toContain('—');
    expect(await box.innerText()).toContain('Target churned <b>x</b> on users: 1,000 rows, 200 in the target (20.0%)');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // Above the preview, and it stays when the preview data is drawn again.
    await page.evaluate((data) => window.postMessage({ type: 'data', data }, '*'), hostileData());
    expect(await page.evaluate(() => document.getElementById('discovery')!.nextElementSibling?.id)).toBe('app');
    expect(await box.locator('tr.candidate').count()).toBe(2);

    await box.locator('button.add[data-name="young"]').click();
    await expect.poll(() => posted).toContainEqual({ type: 'addCandidate', name: 'young' });
    await page.evaluate((discovery) => window.postMessage({ type: 'discovery', discovery }, '*'), { report, file: 'file:///w/data.segspec', added: ['young'] });
    await expect.poll(() => box.locator('button.add[data-name="young"]').textContent()).toBe('Added');
    expect(await box.locator('button.add[data-name="young"]').isDisabled()).toBe(true);
    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-results', 'preview-discovery.png') });

    await page.locator('button.discover').click();
    await expect.poll(() => posted).toContainEqual({ type: 'discover' });
    await box.locator('button.close').click();
    await expect.poll(() => posted).toContainEqual({ type: 'closeDiscovery' });
    await page.evaluate(() => window.postMessage({ type: 'discovery', discovery: null }, '*'));
    await expect.poll(() => box.locator('tr.candidate').count()).toBe(0);
  });

  it('lists candidates without a target with their cluster and fidelity', async () => {
    const report = {
      dataset: 'users', target: null, rows: 1000, sampledRows: null, clusteredRows: 1000, candidateClauses: 9, fields: ['age'], k: 2,
      kChoice: { method: 'fixed' }, fidelity: 'F1 of the rule against its cluster', coverage: 0.9, meanJaccard: 0.1, maxJaccard: 0.2,
      clusters: [],
      candidates: [{ name: 'older', where: 'age >= 40', declaration: 'segment older {}', description: '', size: 480, share: 0.48, cluster: 1, clusterSize: 500, inCluster: 450, precision: 0.94, recall: 0.9, f1: 0.92, overlaps: [] }],
    };
    await page.evaluate((discovery) => window.postMessage({ type: 'discovery', discovery }, '*'), { report, file: 'file:///w/data.segspec', added: [] });
    const box = page.locator('#discovery');
    await expect.poll(() => box.locator('tr.candidate').count()).toBe(1);
    expect(await box.locator('thead').innerText()).toContain('Fidelity (F1)');
    const row = await box.locator('tr.candidate').innerText();
    expect(row).toContain('age >= 40');
    expect(row).toContain('500 rows');
    expect(row).toContain('0.92');
    expect(await box.innerText()).toContain('No target, users: 1,000 rows in 2 clusters; the rules cover 90.0% of rows, pairwise Jaccard mean 0.10, max 0.20.');
  });
});
