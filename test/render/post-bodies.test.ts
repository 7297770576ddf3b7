import t from 'tap';
import type { Post } from '../../src/content/post.js';
import { createPostBodies } from '../../src/render/post-bodies.js';
import { RenderFailedError, RenderTimeoutError } from '../../src/render/render-pool.js';

const markdown = { siteUrl: 'https://news.example.com', embedHosts: ['www.youtube.com'] };

t.test('bodies render in the worker, once per post', async (t) => {
  const failures: string[] = [];
  const body = createPostBodies({ markdown, timeoutMs: 20_000, onFailure: (p) => failures.push(p.file) });
  const post = { file: 'a.md', body: 'Hello *world* <script>alert(1)</script>' } as Post;
  const [first, second] = await Promise.all([body(post), body(post)]);
  t.equal(first, '<p>Hello <em>world</em> </p>\n', 'sanitised in the worker too');
  t.equal(second, first);
  t.equal(body(post), body(post), 'the same promise: rendered once');
  t.same(failures, []);
});

t.test('a body over the time limit is stopped and reported; the next one renders', async (t) => {
  const failures: { file: string; err: Error }[] = [];
  const body = createPostBodies({ markdown, timeoutMs: 150, onFailure: (p, err) => failures.push({ file: p.file, err }) });
  // 1.2 MB of paragraphs: over a second of rendering.
  const slow = { file: 'slow.md', body: 'para\n\n'.repeat(200_000) } as Post;
  await t.rejects(body(slow), RenderTimeoutError);
  t.equal(failures.length, 1);
  t.equal(failures[0]?.file, 'slow.md');
  t.match(failures[0]?.err.message, /longer than 150 ms \(RENDER_TIMEOUT_MS\)/);
  const patient = createPostBodies({ markdown, timeoutMs: 20_000, onFailure: () => t.fail('no failure expected') });
  t.equal(await patient({ file: 'ok.md', body: 'fine' } as Post), '<p>fine</p>\n', 'a fresh worker took over');
});

t.test('a render that throws is reported as failed', async (t) => {
  const failures: string[] = [];
  const body = createPostBodies({ markdown, timeoutMs: 20_000, onFailure: (p) => failures.push(p.file) });
  // Not a string: markdown-it throws inside the worker.
  await t.rejects(body({ file: 'bad.md', body: 42 as unknown as string } as Post), RenderFailedError);
  t.same(failures, ['bad.md']);
});
