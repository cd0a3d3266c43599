import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, fixtures, segspec } from './helpers.js';

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
async function open(file: string) {
  const page = await browser.newPage();
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
      segments: Array<{ name: string; size: number }>;
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
      expect(await row.locator('td').nth(4).textContent()).toBe(s.size.toLocaleString('en-US'));
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
