// What a reader sees at the end of a story and on every card: related stories (never the
// story itself or what the page already shows, following the live folder) and reading
// times.
import t from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

const story = (title: string, date: string, extra: Record<string, unknown> = {}, body = 'A short story.\n') => postText({ title, date, ...extra }, body);

function files(): Record<string, string> {
  return {
    'bridge.md': story('Harbour bridge approved', '2025-09-10T10:00:00Z', { categories: ['Politics'], tags: ['harbour-bridge'] }),
    'before.md': story('Council meets on Tuesday', '2025-09-09T10:00:00Z', { categories: ['Politics'] }),
    'after.md': story('Market opens late', '2025-09-11T10:00:00Z', { categories: ['Business'] }),
    'cost.md': story('What the bridge will cost', '2025-09-01T10:00:00Z', { categories: ['Business'], tags: ['harbour-bridge'] }),
    'vote.md': story('The vote, explained', '2025-08-20T10:00:00Z', { categories: ['Politics'], tags: ['harbour-bridge'] }),
    'hidden.md': story('Bridge memo (hidden)', '2025-09-05T10:00:00Z', { categories: ['Politics'], tags: ['harbour-bridge'], hidden: true }),
    'old.md': story('Old politics', '2024-01-01T10:00:00Z', { categories: ['Politics'] }),
    'sport.md': story('Rowing club wins', '2025-07-01T10:00:00Z', { categories: ['Sport'] }),
  };
}

/** Headlines in the related stories section, in order. */
function related(html: string): string[] {
  const section = /<section class="related"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  return [...section.matchAll(/<h3 class="related__title"><a href="[^"]+">([^<]+)</g)].map((m) => m[1]!);
}

t.test('a story ends with related stories: never itself, its neighbours or a hidden story', async (t) => {
  const { app } = await build(t, makeSite(t, files()));
  const res = await app.inject('/2025/09/10/harbour-bridge-approved/');
  t.equal(res.statusCode, 200);
  t.same(related(res.body), ['The vote, explained', 'What the bridge will cost', 'Old politics', 'Rowing club wins'],
    'the same section and tag first, then the section, then the newest elsewhere');
  t.match(res.body, /<span>Previous story<\/span> Council meets on Tuesday/, 'the neighbours are on the page already…');
  t.notOk(related(res.body).some((title) => /Council meets|Market opens|Harbour bridge approved|hidden/.test(title)), '…so not among the related stories');
  t.match(res.body, /<h2 id="related-heading" class="related__heading">Related stories<\/h2>/);
  const keys = String(res.headers.xkey).split(' ');
  for (const id of ['vote.md', 'cost.md', 'old.md', 'sport.md'].map((f) => app.content.snapshot.byFile.get(f)!.id)) t.ok(keys.includes(`p-${id}`), 'related cards are in the page\'s keys');
  t.ok(keys.includes('home'), 'the fill from the front page too');
});

t.test('reading time on cards and on the story', async (t) => {
  const long = story('A long read', '2025-09-12T10:00:00Z', { categories: ['Politics'] }, `${'word '.repeat(800)}\n\n\`\`\`\n${'code '.repeat(2000)}\n\`\`\`\n`);
  const { app } = await build(t, makeSite(t, { ...files(), 'long.md': long }));
  const post = await app.inject('/2025/09/12/a-long-read/');
  t.match(post.body, /<p class="reading-time">3 min read<\/p>/, '800 words at 265 a minute; code not read');
  for (const url of ['/', '/category/politics/', '/2025/09/']) {
    t.match((await app.inject(url)).body, /a-long-read\/">A long read<\/a><\/h2>[\s\S]*?<p class="reading-time">3 min read<\/p>/, `on its card at ${url}`);
  }
  t.match((await app.inject('/2025/09/10/harbour-bridge-approved/')).body, /<p class="reading-time">1 min read<\/p>/, 'at least a minute');
  const slow = await build(t, makeSite(t, { 'long.md': long }), { READING_RATE: '100' });
  t.match((await slow.app.inject('/2025/09/12/a-long-read/')).body, /8 min read/, 'READING_RATE');
});

t.test('RELATED_POSTS sets how many; 0 for none', async (t) => {
  const two = await build(t, makeSite(t, files()), { RELATED_POSTS: '2' });
  t.same(related((await two.app.inject('/2025/09/10/harbour-bridge-approved/')).body), ['The vote, explained', 'What the bridge will cost']);
  const none = await build(t, makeSite(t, files()), { RELATED_POSTS: '0' });
  t.notMatch((await none.app.inject('/2025/09/10/harbour-bridge-approved/')).body, /class="related"/);
});

t.test('related stories follow the live folder', async (t) => {
  const site = makeSite(t, files());
  const { app } = await build(t, site, { WATCH: 'true' });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const page = async () => {
    const res = await fetch(`${address}/2025/08/20/the-vote-explained/`);
    return { etag: res.headers.get('etag'), titles: related(await res.text()) };
  };
  const before = await page();
  t.same(before.titles, ['Harbour bridge approved', 'Council meets on Tuesday', 'Old politics', 'Market opens late']);

  site.write('new.md', story('Bridge opening date set', '2025-06-01T10:00:00Z', { categories: ['Politics'], tags: ['harbour-bridge'] }));
  const added = await waitFor('the new story among the related ones', async () => {
    const now = await page();
    return now.titles[1] === 'Bridge opening date set' && now;
  });
  t.not(added.etag, before.etag, 'the page was rendered again');
  t.notOk(added.titles.includes('The vote, explained'), 'never the story itself');

  // A related story's new headline shows (its card key is on the page).
  site.write('bridge.md', story('Harbour bridge approved at last', '2025-09-10T10:00:00Z', { categories: ['Politics'], tags: ['harbour-bridge'], slug: 'harbour-bridge-approved' }));
  await waitFor('the retitled story', async () => (await page()).titles[0] === 'Harbour bridge approved at last');

  const fs = await import('node:fs');
  fs.rmSync(`${site.postsDir}/new.md`);
  await waitFor('the removed story gone', async () => !(await page()).titles.includes('Bridge opening date set'));
  t.equal((await page()).titles.length, 4, 'the slot is filled again');
});
