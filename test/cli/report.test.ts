import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixtures, repoRoot, segspec } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HOSTILE = '<img src=x onerror=alert(1)>';

let browser: Browser;
let out: string;

beforeAll(async () => {
  ensureBuilt();
  out = mkdtempSync(join(tmpdir(), 'segspec-report-'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

/** Opens a report and records dialogs, requests and console errors while it renders. */
async function open(file: string, colorScheme: 'light' | 'dark' = 'light') {
  const page = await browser.newPage({ colorScheme, viewport: { width: 1200, height: 900 } });
  const dialogs: string[] = [];
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForSelector('#chart-sizes svg', { timeout: 15_000 });
  return { page, dialogs, requests, errors };
}

describe('segspec report', { timeout: 120_000 }, () => {
  it('writes one self-contained file whose data values show as text and never run', async () => {
    const file = join(out, 'hostile.html');
    const r = await segspec(['report', join(fixtures, 'hostile'), '--out', file]);
    expect(r.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    // The JSON block escapes `<` so that no value can close the script element.
    const json = /<script type="application\/json" id="segspec-data">([^<]*)<\/script>/.exec(html);
    expect(json).not.toBeNull();
    expect(JSON.parse(json![1]).segments.map((s: { title: string }) => s.title)).toContain('Pro </script><img src=x onerror=alert(4)>');
    expect(html).not.toMatch(/\son[a-z]+=["']/i); // no inline event handler attributes

    const { page, dialogs, requests, errors } = await open(file);
    // Let any injected handler fire if one had slipped through.
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('td', { hasText: HOSTILE }).count()).toBeGreaterThan(0);
    expect(await page.locator('#personas blockquote').textContent()).toBe('</script><svg onload=alert(7)>');
    expect(await page.locator('#sizes td', { hasText: 'Pro </script>' }).count()).toBe(1);
    // Hovering the chart renders a tooltip built from escaped names.
    const bar = page.locator('#chart-sizes svg path').first();
    await bar.hover({ force: true });
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('shows sizes, overlaps, coverage, partitions, personas, expectations and findings', async () => {
    const dir = join(fixtures, 'failing');
    const file = join(out, 'failing.html');
    const r = await segspec(['report', dir, '--out', file]);
    expect(r.code).toBe(0);
    const stats = JSON.parse((await segspec(['stats', dir, '--format', 'json'])).stdout) as {
      segments: Array<{ name: string; size: number | null }>;
    };
    const findings = JSON.parse((await segspec(['check', dir, '--format', 'json'])).stdout) as {
      findings: Array<{ code: string; message: string }>;
    };
    const { page, errors } = await open(file);
    expect(errors).toEqual([]);
    expect(await page.locator('#chart-overlaps svg').count()).toBe(1);
    expect(await page.locator('#chart-coverage svg').count()).toBe(1);
    const rows = page.locator('#sizes table.segments tbody tr');
    expect(await rows.count()).toBe(stats.segments.length);
    for (const s of stats.segments) {
      const row = page.locator('#sizes table.segments tbody tr', { has: page.locator(`code:text-is("${s.name}")`) });
      // A segment that could not be measured shows no number.
      expect(await row.locator('td').nth(4).textContent()).toBe(s.size === null ? '–' : s.size.toLocaleString('en-US'));
    }
    const shown = await page.locator('#findings tbody tr').allTextContents();
    expect(shown).toHaveLength(findings.findings.length);
    for (const f of findings.findings) expect(shown.some((t) => t.includes(f.code) && t.includes(f.message))).toBe(true);
    expect(await page.locator('#expectations li.fail').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('renders the persona cards and partition of a clean workspace', async () => {
    const file = join(out, 'clean.html');
    expect((await segspec(['report', join(fixtures, 'clean'), '-o', file, '--quiet'])).code).toBe(0);
    const { page, errors } = await open(file);
    expect(errors).toEqual([]);
    expect(await page.locator('#personas article.persona h3').allTextContents()).toEqual(['Student Sam']);
    expect(await page.locator('#personas .status.ok').count()).toBe(1);
    expect(await page.locator('#partitions td', { hasText: 'holds' }).count()).toBe(1);
    expect(await page.locator('#findings .none').textContent()).toBe('No findings.');
    await page.close();
  });

  it('reads as a PM expects: folder name as title, one percent format, readable charts, formatted profiles, roadmaps', async () => {
    const workspace = join(out, 'acme-h2');
    cpSync(join(repoRoot, 'samples', 'productivity'), workspace, { recursive: true });
    mkdirSync(join(workspace, 'notes'));
    writeFileSync(
      join(workspace, 'notes', 'pricing.md'),
      '---\npersonas: [erin]\n---\n# Pricing\n\nFor @segment(high_value) and @segment(studnets), then @segment(high_value) again.\n',
    );
    const file = join(out, 'acme.html');
    expect((await segspec(['report', workspace, '--out', file, '--quiet'])).code).toBe(0);
    const stats = JSON.parse((await segspec(['stats', workspace, '--format', 'json'])).stdout) as {
      segments: Array<{ name: string; size: number; share: number }>;
      overlaps: Array<{ a: string; b: string; count: number }>;
    };
    const { page, errors } = await open(file);
    expect(errors).toEqual([]);

    // The title names the workspace folder, not a path on this machine.
    expect(await page.locator('h1').textContent()).toBe('Segspec report — acme-h2');
    expect(await page.title()).not.toContain(out);

    // Every percentage the report computes has one decimal (written expectations and titles are the user's own words).
    const computed = await page.evaluate(() =>
      Array.from(document.querySelectorAll('td.num, .detail, svg text')).map((n) => n.textContent ?? '').join(' '),
    );
    const percents = computed.match(/[\d.,]+%/g) ?? [];
    expect(percents.length).toBeGreaterThan(20);
    expect(percents.filter((p) => !/^\d[\d,]*\.\d%$|^0\.0\d+%$/.test(p))).toEqual([]);

    // No text of the coverage chart (legend, axis labels) overlaps another.
    const boxes = await page.locator('#chart-coverage svg text').evaluateAll((nodes) =>
      nodes.filter((n) => (n.textContent ?? '').trim() !== '').map((n) => {
        const r = n.getBoundingClientRect();
        return { text: n.textContent, x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
    expect(boxes.map((b) => b.text)).toEqual(expect.arrayContaining(['in a segment', 'in none']));
    for (const a of boxes) {
      for (const b of boxes) {
        if (a === b) continue;
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        expect(apart, `'${a.text}' overlaps '${b.text}'`).toBe(true);
      }
    }

    // Heatmap: rows in the order of the columns, a legend, the diagonal outside the colour scale, formatted counts and shares.
    const names = stats.segments.map((s) => s.name);
    const labels = await page.locator('#chart-overlaps svg text').evaluateAll((nodes) =>
      nodes.map((n) => {
        const r = n.getBoundingClientRect();
        return { text: (n.textContent ?? '').trim(), x: r.x + r.width / 2, y: r.y + r.height / 2 };
      }),
    );
    const rows: Array<{ text: string; x: number; y: number }> = [];
    const columns: Array<{ text: string; x: number; y: number }> = [];
    for (const name of names) {
      const two = labels.filter((l) => l.text === name).sort((a, b) => a.y - b.y);
      expect(two).toHaveLength(2);
      rows.push(two[0]);
      columns.push(two[1]);
    }
    expect(rows.slice().sort((a, b) => a.y - b.y).map((l) => l.text)).toEqual(names);
    expect(columns.slice().sort((a, b) => a.x - b.x).map((l) => l.text)).toEqual(names);
    const top = stats.overlaps.reduce((m, o) => (o.count > m.count ? o : m));
    expect(labels.some((l) => l.text === `${top.count.toLocaleString('en-US')} shared`)).toBe(true); // the legend's top
    const sizeOf = new Map(stats.segments.map((s) => [s.name, s.size]));
    const share = `${((top.count / Math.min(sizeOf.get(top.a)!, sizeOf.get(top.b)!)) * 100).toFixed(1)}%`;
    // Each cell reads "count" with "share of the smaller" right below it.
    const counts = labels.filter((l) => l.text === top.count.toLocaleString('en-US'));
    const withShare = counts.filter((c) => labels.some((l) => l.text === share && Math.abs(l.x - c.x) < 1 && l.y > c.y && l.y - c.y < 20));
    expect(withShare).toHaveLength(2);
    const fills = await page.locator('#chart-overlaps svg path').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('fill')));
    expect(fills.filter((f) => f === '#eaeef2')).toHaveLength(names.length); // the diagonal, in the neutral colour
    expect(fills.filter((f) => f === 'rgb(9,105,218)')).toHaveLength(2); // the scale's top is the largest pair, not a size

    // The partition cell puts the title above the name.
    const title = await page.locator('#partitions td.partition-name strong').boundingBox();
    const name = await page.locator('#partitions td.partition-name code').boundingBox();
    expect(title!.y + title!.height).toBeLessThanOrEqual(name!.y + 1);

    // A profile's numbers read as numbers (`seats: 1_200`).
    const erin = page.locator('#persona-erin table.profile tr', { has: page.locator('th:text-is("seats")') });
    expect(await erin.locator('td').textContent()).toBe('1,200');

    // Roadmaps: each document's references with size, share and status; unknown names say so.
    expect(await page.locator('#roadmaps article h3').allTextContents()).toEqual(['notes/pricing.md', 'roadmap.md']); // paths inside the workspace
    const roadmap = page.locator('#roadmaps article', { has: page.locator('h3', { hasText: 'roadmap.md' }) });
    const students = roadmap.locator('tr', { has: page.locator('code:text-is("@segment(students)")') });
    const cells = await students.locator('td').allTextContents();
    const s = stats.segments.find((x) => x.name === 'students')!;
    expect(cells.slice(3, 6)).toEqual([s.size.toLocaleString('en-US'), `${(s.share * 100).toFixed(1)}%`, 'ok']);
    const pricing = page.locator('#roadmaps article', { has: page.locator('h3', { hasText: 'pricing.md' }) });
    expect(await pricing.locator('tbody tr').count()).toBe(3);
    expect(await pricing.locator('tr', { has: page.locator('code:text-is("@segment(studnets)")') }).locator('.status').textContent()).toBe('not defined');
    expect(await pricing.locator('tr', { has: page.locator('code:text-is("@segment(high_value)")') }).locator('td').last().textContent()).toBe('6');
    expect(await pricing.locator('tr', { has: page.locator('code:text-is("@persona(erin)")') }).locator('td').nth(2).textContent()).toBe('enterprise_users');
    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'test-results', 'report-light.png'), fullPage: true });
    await page.close();

    // In a dark system theme the charts' text is light and the diagonal a dark neutral: labels stay readable.
    const dark = await open(file, 'dark');
    expect(dark.errors).toEqual([]);
    const axis = await dark.page.locator('#chart-overlaps svg text', { hasText: /^students$/ }).first().getAttribute('fill');
    expect(axis).toBe('#e6edf3');
    const darkFills = await dark.page.locator('#chart-overlaps svg path').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('fill')));
    expect(darkFills.filter((f) => f === '#2d333b')).toHaveLength(names.length);
    await dark.page.screenshot({ path: join(repoRoot, 'test-results', 'report-dark.png'), fullPage: true });
    await dark.page.close();
  });

  it('is byte-for-byte reproducible with SOURCE_DATE_EPOCH', async () => {
    const env = { SOURCE_DATE_EPOCH: '1782777600' };
    const a = join(out, 'a.html');
    const b = join(out, 'b.html');
    await segspec(['report', join(fixtures, 'clean'), '--out', a], { env });
    await segspec(['report', join(fixtures, 'clean'), '--out', b], { env });
    const html = readFileSync(a, 'utf8');
    expect(html).toBe(readFileSync(b, 'utf8'));
    expect(html).toContain(`Generated ${new Date(1782777600 * 1000).toISOString().replace('.000Z', 'Z')}`);
  });

  it('exits 2 with the reason when the output cannot be written', async () => {
    const r = await segspec(['report', join(fixtures, 'clean'), '--out', join(out, 'no/such/dir/r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write/);
  });
});
