import t from 'tap';
import type { Post } from '../../src/content/post.js';
import { createPostBodies } from '../../src/render/post-bodies.js';
import { MAX_QUEUED, RenderBusyError, RenderFailedError, RenderTimeoutError } from '../../src/render/render-pool.js';

const markdown = { siteUrl: 'https://news.example.com', embedHosts: ['www.youtube.com'] };
const base = { markdown, timeoutMs: 20_000, maxChars: 1_000_000 };

t.test('bodies render in the worker, once per post', async (t) => {
  const failures: string[] = [];
  const body = createPostBodies({ ...base, onFailure: (p) => failures.push(p.file) });
  const post = { file: 'a.md', body: 'Hello *world* <script>alert(1)</script>' } as Post;
  const [first, second] = await Promise.all([body(post), body(post)]);
  t.equal(first, '<p>Hello <em>world</em> </p>\n', 'sanitised in the worker too');
  t.equal(second, first);
  t.equal(body(post), body(post), 'the same promise: rendered once');
  t.same(failures, []);
});

t.test('bodies are kept within their memory budget', async (t) => {
  const body = createPostBodies({ ...base, maxChars: 30, onFailure: () => t.fail('no failure expected') });
  const a = { file: 'a.md', body: 'A body of some twenty chars.' } as Post;
  const b = { file: 'b.md', body: 'Another body, also long enough.' } as Post;
  const first = body(a);
  await first;
  await body(b);
  t.not(body(a), first, 'the older body was evicted and is rendered again');
  t.equal(await body(a), await first);
});

t.test('a body over the time limit is stopped and reported; the next one renders', async (t) => {
  const failures: { file: string; err: Error }[] = [];
  const body = createPostBodies({ ...base, timeoutMs: 150, onFailure: (p, err) => failures.push({ file: p.file, err }) });
  // 1.2 MB of paragraphs: over a second of rendering.
  const slow = { file: 'slow.md', body: 'para\n\n'.repeat(200_000) } as Post;
  await t.rejects(body(slow), RenderTimeoutError);
  t.equal(failures.length, 1);
  t.equal(failures[0]?.file, 'slow.md');
  t.match(failures[0]?.err.message, /longer than 150 ms \(RENDER_TIMEOUT_MS\)/);
  const patient = createPostBodies({ ...base, onFailure: () => t.fail('no failure expected') });
  t.equal(await patient({ file: 'ok.md', body: 'fine' } as Post), '<p>fine</p>\n', 'a fresh worker took over');
});

t.test('a busy main thread does not make a finished render time out', async (t) => {
  const body = createPostBodies({ ...base, timeoutMs: 200, onFailure: () => t.fail('no failure expected') });
  await body({ file: 'warm.md', body: 'warm the worker up' } as Post);
  // Leave the worker's message handler, so that after the stall the event loop runs
  // the expired time limit before it delivers the waiting reply: the race at issue.
  await new Promise((resolve) => setImmediate(resolve));
  const pending = body({ file: 'quick.md', body: 'a *quick* one' } as Post);
  for (let i = 0; i < 5; i++) await null; // the time limit is armed in a microtask
  const until = Date.now() + 600;
  while (Date.now() < until); // the main thread is stuck past the limit
  t.equal(await pending, '<p>a <em>quick</em> one</p>\n', 'the reply that waited is taken');
});

t.test('a render that throws is reported as failed', async (t) => {
  const failures: string[] = [];
  const body = createPostBodies({ ...base, onFailure: (p) => failures.push(p.file) });
  // Not a string: markdown-it throws inside the worker.
  await t.rejects(body({ file: 'bad.md', body: 42 as unknown as string } as Post), RenderFailedError);
  t.same(failures, ['bad.md']);
});

t.test('a full queue is busy, not a failure of the post', async (t) => {
  const failures: string[] = [];
  const body = createPostBodies({ ...base, onFailure: (p) => failures.push(p.file) });
  const posts = Array.from({ length: MAX_QUEUED + 5 }, (_, i) => ({ file: `q${i}.md`, body: `body ${i}` }) as Post);
  const results = await Promise.allSettled(posts.map((p) => body(p)));
  const busy = results.filter((r) => r.status === 'rejected' && r.reason instanceof RenderBusyError);
  t.ok(busy.length >= 4, `${busy.length} refused as busy`);
  t.same(failures, [], 'no post was taken off the site');
  t.equal(await body(posts.at(-1)!), '<p>body 504</p>\n', 'a refused body renders on the next request');
});
