import t from 'tap';
import { bodyOf, hashBody } from '../../../src/content/parse-post.js';
import { SAMPLE_BODY, warmUp } from '../../../src/render/markdown/jit-warm-up.js';
import { createMarkdownRenderer } from '../../../src/render/markdown/markdown.js';
import { renderInWorker, warmRenderWorker } from '../../../src/render/markdown/render-pool.js';

t.test('the sample body uses what posts commonly hold', async (t) => {
  const html = createMarkdownRenderer({ siteUrl: 'https://news.example.com', embedHosts: [] }).render(SAMPLE_BODY);
  for (const tag of ['<h2', '<strong>', '<em>', '<a href="/2024/03/12/harbour-plan/"', 'rel="noopener noreferrer"', '<ul>', '<ol>', '<blockquote>', '<img', '<table>', '<pre><code>']) {
    t.ok(html.includes(tag), tag);
  }
});

t.test('warming up renders once per turn of the event loop, so other work gets in between', async (t) => {
  const order: string[] = [];
  const texts = new Set<string>();
  const done = warmUp((markdown) => {
    order.push('render');
    texts.add(markdown);
  }, 3);
  setImmediate(() => order.push('a job'));
  await done;
  t.same(order, ['render', 'a job', 'render', 'render']);
  t.equal(texts.size, 3, 'a different text each time');
});

t.test('a worker started ahead of the first page renders bodies while it warms up', async (t) => {
  const body = 'The *ferry* runs.\n';
  const dir = t.testdir({ 'story.md': `---\ntitle: A story\n---\n${body}` });
  warmRenderWorker();
  const from = { postsDir: dir, maxPostBytes: 1_000_000 };
  const source = { file: 'story.md', titleFromHeading: false, bodyHash: hashBody(bodyOf(body, false)) };
  const html = await renderInWorker({ source, from }, { siteUrl: 'https://news.example.com', embedHosts: [] }, 10_000);
  t.equal(html, '<p>The <em>ferry</em> runs.</p>\n');
});
