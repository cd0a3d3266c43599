// Renders the images the Marketplace and Open VSX show, with headless
// Chromium (playwright-core, /usr/bin/chromium or $CHROMIUM):
//   docs/images/icon.svg → docs/images/icon.png (256×256, the extension's icon)
//   test-results/e2e/*.png (after `npm run test:e2e -- --only=a-valid-file,d-hover,f-preview`)
//     → docs/images/{code-lenses,hover,preview}.jpg (1200×750, for the README)
//
//   node scripts/docs-images.mjs
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const images = join(root, 'docs', 'images');
const SHOTS = [
  ['a-valid-file-final', 'code-lenses'],
  ['d-hover-members', 'hover'],
  ['f-preview-final', 'preview'],
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const icon = await browser.newPage({ viewport: { width: 256, height: 256 } });
  await icon.setContent(`<html><body style="margin:0">${readFileSync(join(images, 'icon.svg'), 'utf8')}</body></html>`);
  await icon.locator('svg').screenshot({ path: join(images, 'icon.png'), omitBackground: true });
  console.log('docs-images: icon.png');

  const page = await browser.newPage({ viewport: { width: 1200, height: 750 } });
  for (const [from, to] of SHOTS) {
    const file = join(root, 'test-results', 'e2e', `${from}.png`);
    if (!existsSync(file)) {
      console.warn(`docs-images: no ${file} (run the e2e scenarios first); ${to}.jpg left as it is`);
      continue;
    }
    const data = readFileSync(file).toString('base64');
    await page.setContent(`<html><body style="margin:0"><img style="width:1200px;height:750px;display:block" src="data:image/png;base64,${data}"></body></html>`);
    await page.locator('img').evaluate((img) => img.decode());
    await page.screenshot({ path: join(images, `${to}.jpg`), type: 'jpeg', quality: 80 });
    console.log(`docs-images: ${to}.jpg`);
  }
} finally {
  await browser.close();
}
