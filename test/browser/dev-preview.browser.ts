// The writer's preview as a writer uses it: a story open in Chromium under DEV=1 reloads
// by itself when its file is saved, with the page's CSP allowing the reload script (and
// the console free of violations). Production pages run no script at all.
import { chromium, type Browser } from 'playwright-core';
import t from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';
import { CHROMIUM, CHROMIUM_FLAGS, missingBrowser } from './sample-site.js';

const skip = missingBrowser();
const STORY = { title: 'Harbour works begin', date: '2025-09-01T10:00:00Z', categories: ['World'], tags: ['harbour'] };

t.test('DEV=1: an open story reloads when its file is saved', { skip: skip ?? false }, async (t) => {
  const site = makeSite(t, { 'story.md': postText(STORY, 'The first version of the story.') });
  const { app } = await build(t, site, { DEV: '1', WATCH: 'true' });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(error.message));

  // The script's stream is open before the save, as it is for a writer with the page open.
  const stream = page.waitForResponse((response) => response.url().includes('/__dev/events'));
  await page.goto(`${address}/2025/09/01/harbour-works-begin/`);
  t.match(await page.locator('article').innerText(), /The first version of the story\./);
  t.equal((await stream).headers()['content-type'], 'text/event-stream; charset=utf-8');
  const reloaded = page.waitForEvent('load', { timeout: 15_000 });
  site.write('story.md', postText(STORY, 'The second version, saved while the page was open.'));
  await reloaded;
  t.match(await page.locator('article').innerText(), /The second version, saved while the page was open\./, 'the page shows the saved text');
  t.same(problems, [], 'no console errors (a CSP violation would be one)');
});

t.test('production: the same story runs no script', { skip: skip ?? false }, async (t) => {
  const site = makeSite(t, { 'story.md': postText(STORY, 'The story.') });
  const { app } = await build(t, site, { WATCH: 'false' });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const requested: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.goto(`${address}/2025/09/01/harbour-works-begin/`);
  // Only data: the JSON-LD blocks search engines read.
  t.equal(await page.locator('script:not([type="application/ld+json"])').count(), 0);
  t.same(requested.filter((path) => path.startsWith('/__dev/')), [], 'no preview stream');
});
