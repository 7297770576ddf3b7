// The reader's view in a real browser (Debian's Chromium through playwright-core), on
// the sample site: at 360 and 1280 px each picture is the variant its box needs and no
// wider, none is broken, the lead is loaded at once, nothing shifts, nothing scrolls
// sideways, axe-core finds nothing serious, and every page works with JavaScript off.
// Screenshots go to docs/screenshots/. Run with `npm run test:browser` (not in `npm test`).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import t from 'tap';
import {
  countImageBytes,
  horizontalOverflow,
  layoutShift,
  probeImages,
  rightWidth,
  scrollThrough,
  variantWidth,
  watchLayoutShifts,
} from './page-probes.js';
import { CHROMIUM, CHROMIUM_FLAGS, missingBrowser, PAGES, ROOT, startSampleSite, type PageName } from './sample-site.js';

const WIDTHS = [360, 1280] as const;
const HEIGHT: Record<(typeof WIDTHS)[number], number> = { 360: 780, 1280: 900 };
const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

const skip = missingBrowser();
if (skip) t.comment(`SKIPPED: ${skip}`);

t.test('the reader\'s view in Chromium', { skip: skip ?? false }, async (t) => {
  const origin = await startSampleSite(t);
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  t.teardown(() => browser.close());
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const bytes: string[] = [];

  for (const width of WIDTHS) {
    t.test(`${width} px`, async (t) => {
      const context = await browser.newContext({ viewport: { width, height: HEIGHT[width] }, deviceScaleFactor: 1 });
      t.teardown(() => context.close());
      await watchLayoutShifts(context);

      for (const [name, url] of Object.entries(PAGES) as [PageName, string][]) {
        t.test(name, async (t) => {
          const page = await context.newPage();
          t.teardown(() => page.close());
          const counted = name === 'front' ? countImageBytes(page) : null;
          const res = await page.goto(origin + url, { waitUntil: 'load' });
          t.equal(res?.status(), name === 'missing' ? 404 : 200, 'status');
          const atOnce = await counted?.total();

          const opening = await probeImages(page);
          for (const img of opening.filter((i) => i.lead)) {
            t.not(img.loading, 'lazy', `lead picture not lazy: ${img.src}`);
            t.equal(img.fetchPriority, 'high', 'lead picture fetched first');
            t.ok(img.complete && img.naturalWidth > 0, 'lead picture loaded with the page');
          }
          if (name === 'front' || name === 'post') t.ok(opening.some((i) => i.lead), 'the page opens with a lead picture');

          await scrollThrough(page);
          const images = await probeImages(page);
          for (const img of images) {
            t.ok(img.complete && img.naturalWidth > 0, `not broken: ${img.currentSrc}`);
            const chosen = variantWidth(img.currentSrc);
            if (img.offered.length === 0) continue;
            t.match(img.currentSrc, /\.avif$/, 'AVIF, the first source Chromium can show');
            t.equal(chosen, rightWidth(img.offered, img.boxWidth), `${img.src}: ${Math.round(img.boxWidth)} px box gets the ${chosen} px variant`);
          }
          const shift = await layoutShift(page);
          t.ok(shift < 0.01, `no layout shift (${shift.toFixed(4)})`);
          t.equal(await horizontalOverflow(page), 0, 'no horizontal scroll');

          await page.evaluate(AXE_SOURCE);
          const violations = await page.evaluate(async () => {
            const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
            return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
          });
          const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
          t.same(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), [], 'axe: no serious or critical violations');
          for (const v of violations.filter((v) => !serious.includes(v))) t.comment(`axe (${v.impact}): ${v.id}: ${v.help}`);

          if (counted) {
            const total = await counted.total();
            bytes.push(`front page at ${width} px: ${Math.round(atOnce! / 1024)} KB of images with the page, ${Math.round(total / 1024)} KB scrolled to the end`);
          }
          if (name === 'front' || name === 'post') {
            await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.jpg`), type: 'jpeg', quality: 80 });
          }
        });
      }
    });
  }

  t.test('with JavaScript off', async (t) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 780 }, javaScriptEnabled: false });
    t.teardown(() => context.close());
    const page = await context.newPage();
    for (const [name, url] of Object.entries(PAGES) as [PageName, string][]) {
      const res = await page.goto(origin + url, { waitUntil: 'load' });
      t.equal(res?.status(), name === 'missing' ? 404 : 200, `${name}: status`);
      t.ok(await page.locator('h1').first().isVisible(), `${name}: a heading`);
    }
    await page.goto(origin + '/');
    const lead = page.locator('.card--lead img');
    t.ok(await lead.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0 && img.currentSrc.endsWith('.avif')), 'the lead picture, as a variant');
    await page.fill('#search-q', 'ferry');
    await page.press('#search-q', 'Enter');
    await page.waitForURL(/\/search\/\?q=ferry/);
    t.ok(await page.locator('.card').count() > 0, 'the search form works');
    await page.locator('.card__title a').first().click();
    await page.waitForLoadState('load');
    t.ok(await page.locator('.article__title').isVisible(), 'and its results lead to stories');
  });

  t.test('figures', async (t) => {
    for (const line of bytes) t.comment(line);
    t.end();
  });
});
