// Image bytes of a page as a reader's browser receives them, at 360 and 1280 px (DPR 1),
// with Debian's Chromium: what arrives with the page, and in all once scrolled to the end
// (lazy pictures included). Any server: this branch's, or an older build on the same
// posts/ and public/ for a before-and-after.
//
//   node bench/image-bytes.mjs http://127.0.0.1:3000 [/path/] [--runs 3]
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const origin = args.find((a) => a.startsWith('http')) ?? 'http://127.0.0.1:3000';
const pagePath = args.find((a) => a.startsWith('/')) ?? '/';
const runsAt = args.indexOf('--runs');
const runs = runsAt === -1 ? 2 : Number(args[runsAt + 1]);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });

async function measure(width, height) {
  // A new context each time: an empty browser cache, as a first visit.
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const sizes = [];
  page.on('requestfinished', (request) => {
    if (request.resourceType() === 'image') sizes.push(request.sizes().then((s) => ({ url: request.url(), bytes: s.responseBodySize })));
  });
  await page.goto(origin + pagePath, { waitUntil: 'load' });
  const atLoad = (await Promise.all(sizes)).reduce((a, s) => a + s.bytes, 0);
  const scrollHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y <= scrollHeight; y += height) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForFunction(() => [...document.images].every((img) => { const b = img.getBoundingClientRect(); return b.top >= innerHeight || b.bottom <= 0 || img.complete; }));
  }
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  await page.waitForLoadState('networkidle');
  const all = await Promise.all(sizes);
  await context.close();
  return { atLoad, total: all.reduce((a, s) => a + s.bytes, 0), files: all.length };
}

const kb = (n) => `${Math.round(n / 1024).toLocaleString('en')} KB`;
console.log(`${origin}${pagePath}`);
console.log('| viewport | with the page | scrolled to the end | image files |');
console.log('| --- | --- | --- | --- |');
for (const [width, height] of [[360, 780], [1280, 900]]) {
  // The first run makes any variant not made yet; the figure is the last.
  let result;
  for (let i = 0; i < runs; i++) result = await measure(width, height);
  console.log(`| ${width} px | ${kb(result.atLoad)} | ${kb(result.total)} | ${result.files} |`);
}
await browser.close();
