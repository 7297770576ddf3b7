// The writer's preview (DEV=1, `npm run dev`): drafts and future posts shown and marked,
// and pages that reload when a post they show changes, over server-sent events. And the
// other side: production pages carry no script and no preview route exists.
import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';
import { unsafeParts } from '../helpers/safety.js';
import { waitFor } from '../helpers/wait.js';

function files(): Record<string, string> {
  return {
    'live.md': postText({ title: 'Live story', date: '2025-09-01T10:00:00Z', categories: ['World'], tags: ['harbour'] }, 'The first version.'),
    'other.md': postText({ title: 'Other story', date: '2025-09-02T10:00:00Z', categories: ['Sport'], tags: ['rowing'] }),
    'draft.md': postText({ title: 'Draft story', date: '2025-09-03T10:00:00Z', published: false, categories: ['World'] }),
    'future.md': postText({ title: 'Future story', date: '2999-01-01T10:00:00Z', categories: ['World'] }),
    // Enough related stories for the live story's page that none come from a listing.
    'w1.md': postText({ title: 'Harbour one', date: '2025-08-20T10:00:00Z', categories: ['World'], tags: ['harbour'] }),
    'w2.md': postText({ title: 'Harbour two', date: '2025-08-21T10:00:00Z', categories: ['World'], tags: ['harbour'] }),
    'w3.md': postText({ title: 'Harbour three', date: '2025-08-22T10:00:00Z', categories: ['World'], tags: ['harbour'] }),
    'w4.md': postText({ title: 'Harbour four', date: '2025-08-19T10:00:00Z', categories: ['World'], tags: ['harbour'] }),
  };
}

/** A server-sent events listener: every event's name as it arrives. */
async function listen(t: Test, address: string, page: string) {
  const controller = new AbortController();
  const res = await fetch(`${address}/__dev/events?path=${encodeURIComponent(page)}`, { signal: controller.signal });
  const events: string[] = [];
  let text = '';
  const reader = res.body!.getReader();
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      text += Buffer.from(value!).toString('utf8');
      let end: number;
      while ((end = text.indexOf('\n\n')) !== -1) {
        const event = /^event: (\w+)$/m.exec(text.slice(0, end))?.[1];
        if (event) events.push(event);
        text = text.slice(end + 2);
      }
    }
  })();
  t.teardown(() => {
    controller.abort();
    return reading;
  });
  return { res, events };
}

t.test('DEV=1: drafts and future posts are shown, and marked', async (t) => {
  const { app } = await build(t, makeSite(t, files()), { DEV: '1' });
  const home = await app.inject('/');
  t.match(home.body, /Draft story<\/a><\/h2>[\s\S]*?<strong class="preview-label">Draft<\/strong>/, 'a draft, marked');
  t.match(home.body, /Future story<\/a><\/h2>[\s\S]*?<strong class="preview-label">Scheduled<\/strong>/, 'a future post, marked');
  t.match(home.body, /Live story<\/a><\/h2>[\s\S]*?<p class="reading-time">1 min read<\/p>/, 'a published post is not');
  const draft = await app.inject('/2025/09/03/draft-story/');
  t.equal(draft.statusCode, 200);
  t.match(draft.body, /<p class="reading-time">1 min read <strong class="preview-label">Draft<\/strong><\/p>/);
  t.equal((await app.inject('/2999/01/01/future-story/')).statusCode, 200);
  t.equal(draft.headers['cache-control'], 'no-cache', 'the browser asks again on every visit');

  const production = await build(t, makeSite(t, files()));
  t.equal((await production.app.inject('/2025/09/03/draft-story/')).statusCode, 404, 'in production a draft is not served');
  t.equal((await production.app.inject('/2999/01/01/future-story/')).statusCode, 404);
  t.notMatch((await production.app.inject('/')).body, /preview-label/);
});

t.test('DEV=1: pages load the reload script, which the CSP allows (and nothing else)', async (t) => {
  const { app } = await build(t, makeSite(t, files()), { DEV: '1' });
  const page = await app.inject('/2025/09/01/live-story/');
  t.match(page.body, /<script src="\/__dev\/reload.js" defer><\/script>\n<\/body>/);
  t.match(page.headers['content-security-policy'], /script-src 'self'/);
  t.match(page.headers['content-security-policy'], /connect-src 'self'/);
  const script = await app.inject('/__dev/reload.js');
  t.equal(script.statusCode, 200);
  t.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
  t.match(script.body, /new EventSource\('\/__dev\/events\?path=' \+ encodeURIComponent\(location.pathname \+ location.search\)\)/);
  t.match(script.body, /addEventListener\('reload', \(\) => location.reload\(\)\)/);
  t.equal((await app.inject('/__dev/events')).statusCode, 400, 'a path is needed');
  t.equal((await app.inject('/__dev/events?path=http://x/')).statusCode, 400, 'only a path');
});

t.test('production pages carry no script, and the preview\'s routes do not exist', async (t) => {
  const { app } = await build(t, makeSite(t, files()));
  for (const url of ['/', '/2025/09/01/live-story/', '/category/world/', '/search/?q=story', '/nope/']) {
    const res = await app.inject(url);
    t.notMatch(res.body, /<script src=/, `${url}: no script`);
    t.same(unsafeParts(res.body, { allowSearchForm: true }), [], `${url}: nothing executable`);
    t.notMatch(res.headers['content-security-policy'], /script-src/, `${url}: the CSP allows no script`);
  }
  t.equal((await app.inject('/__dev/reload.js')).statusCode, 404);
  t.equal((await app.inject('/__dev/events?path=/')).statusCode, 404);
});

t.test('a page reloads when a post it shows changes, and only then', async (t) => {
  const site = makeSite(t, files());
  const { app } = await build(t, site, { DEV: '1', WATCH: 'true' });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  // The pages are loaded first, as a browser does before its script connects.
  for (const url of ['/2025/09/01/live-story/', '/tag/rowing/']) t.equal((await fetch(`${address}${url}`)).status, 200);
  const story = await listen(t, address, '/2025/09/01/live-story/');
  const rowing = await listen(t, address, '/tag/rowing/');
  const missing = await listen(t, address, '/2025/09/20/not-yet/');
  t.equal(story.res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  t.equal(story.res.headers.get('cache-control'), 'no-store');

  site.write('live.md', postText({ title: 'Live story', date: '2025-09-01T10:00:00Z', categories: ['World'], tags: ['harbour'] }, 'The second version.'));
  await waitFor('a reload of the edited post\'s page', () => story.events.length === 1);
  await waitFor('a reload of a page the cache does not know (it may be the post being written)', () => missing.events.length === 1);
  t.match(await (await fetch(`${address}/2025/09/01/live-story/`)).text(), /The second version/, 'the reloaded page shows the edit');

  fs.writeFileSync(path.join(site.postsDir, 'rowing-2.md'), postText({ title: 'Rowing, earlier', date: '2025-01-01T10:00:00Z', categories: ['Sport'], tags: ['rowing'] }));
  await waitFor('a reload of the tag page the new post is on', () => rowing.events.length >= 1);
  t.same(rowing.events, ['reload'], 'the tag page did not reload for the edit of a post it does not show');
  t.same(story.events, ['reload'], 'nor the story\'s page for a post it does not show');
  await waitFor('a second reload of the page the cache does not know', () => missing.events.length === 2);
});
