import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { bodyOf, hashBody } from '../../../src/content/parse-post.js';
import type { Post } from '../../../src/content/post.js';
import { createPostBodies, type PostBodiesOptions } from '../../../src/render/markdown/post-bodies.js';
import { BodyUnavailableError, MAX_QUEUED, RenderBusyError, RenderFailedError, RenderTimeoutError } from '../../../src/render/markdown/render-pool.js';

const markdown = { siteUrl: 'https://news.example.com', embedHosts: ['www.youtube.com'] };

/** A posts folder with these bodies, and a Post for each file (only what bodies need). */
function folder(t: Test, bodies: Record<string, string>) {
  const postsDir = t.testdir();
  for (const [file, body] of Object.entries(bodies)) fs.writeFileSync(path.join(postsDir, file), `---\ntitle: x\n---\n${body}`);
  // The post as the index knows it: the hash of the body it was parsed with.
  const post = (file: string, titleFromHeading = false) =>
    ({ file, titleFromHeading, bodyHash: hashBody(bodyOf(bodies[file] ?? '', titleFromHeading)) }) as Post;
  const options = (extra: Partial<PostBodiesOptions> = {}): PostBodiesOptions => ({
    markdown: () => markdown,
    from: { postsDir, maxPostBytes: 5_000_000 },
    timeoutMs: 20_000,
    maxChars: 1_000_000,
    onFailure: () => t.fail('no failure expected'),
    onUnavailable: () => t.fail('the file is there'),
    ...extra,
  });
  return { postsDir, post, options };
}

t.test('bodies are read and rendered in the worker, once per post', async (t) => {
  const { post, options } = folder(t, { 'a.md': 'Hello *world* <script>alert(1)</script>', 'h.md': '# Heading as title\n\nText.' });
  const body = createPostBodies(options());
  const a = post('a.md');
  const [first, second] = await Promise.all([body(a), body(a)]);
  t.equal(first, '<p>Hello <em>world</em> </p>\n', 'sanitised in the worker too');
  t.equal(second, first);
  t.equal(body(a), body(a), 'the same promise: rendered once');
  t.equal(await body(post('h.md', true)), '<p>Text.</p>\n', 'a heading that became the title is left out');
});

t.test('bodies are kept within their memory budget', async (t) => {
  const { post, options } = folder(t, { 'a.md': 'A body of some twenty chars.', 'b.md': 'Another body, also long enough.' });
  const body = createPostBodies(options({ maxChars: 30 }));
  const first = body(post('a.md'));
  const a = post('a.md');
  await body(a);
  await body(post('b.md'));
  t.not(body(a), first, 'the older body was evicted and is rendered again');
  t.equal(await body(a), await first);
});

t.test('a body over the time limit is stopped and reported; the next one renders', async (t) => {
  // 1.2 MB of paragraphs: over a second of rendering.
  const { post, options } = folder(t, { 'slow.md': 'para\n\n'.repeat(200_000), 'ok.md': 'fine' });
  const failures: { file: string; err: Error }[] = [];
  const body = createPostBodies(options({ timeoutMs: 150, onFailure: (p, err) => failures.push({ file: p.file, err }) }));
  await t.rejects(body(post('slow.md')), RenderTimeoutError);
  t.equal(failures.length, 1);
  t.equal(failures[0]?.file, 'slow.md');
  t.match(failures[0]?.err.message, /longer than 150 ms \(RENDER_TIMEOUT_MS\)/);
  const patient = createPostBodies(options());
  t.equal(await patient(post('ok.md')), '<p>fine</p>\n', 'a fresh worker took over');
});

t.test('a busy main thread does not make a finished render time out', async (t) => {
  const { post, options } = folder(t, { 'warm.md': 'warm the worker up', 'quick.md': 'a *quick* one' });
  const body = createPostBodies(options({ timeoutMs: 200 }));
  await body(post('warm.md'));
  // Leave the worker's message handler, so that after the stall the event loop runs
  // the expired time limit before it delivers the waiting reply: the race at issue.
  await new Promise((resolve) => setImmediate(resolve));
  const pending = body(post('quick.md'));
  for (let i = 0; i < 5; i++) await null; // the time limit is armed in a microtask
  const until = Date.now() + 600;
  while (Date.now() < until); // the main thread is stuck past the limit
  t.equal(await pending, '<p>a <em>quick</em> one</p>\n', 'the reply that waited is taken');
});

t.test('a renderer that fails is reported as failed', async (t) => {
  const { post, options } = folder(t, { 'bad.md': 'text' });
  const failures: string[] = [];
  // A site URL the sanitizer cannot read: the renderer throws inside the worker.
  const body = createPostBodies(options({ markdown: () => ({ ...markdown, siteUrl: 'not a url' }), onFailure: (p) => failures.push(p.file) }));
  await t.rejects(body(post('bad.md')), RenderFailedError);
  t.same(failures, ['bad.md']);
});

t.test('a file that cannot be read just now is unavailable, not a failure of the post', async (t) => {
  const { post, options } = folder(t, {});
  const unavailable: string[] = [];
  const body = createPostBodies(options({ onUnavailable: (p) => unavailable.push(p.file) }));
  await t.rejects(body(post('gone.md')), BodyUnavailableError);
  t.same(unavailable, ['gone.md'], 'the store is asked to read it again');
});

t.test('a file rewritten since it was indexed is not rendered under the old metadata', async (t) => {
  const { postsDir, post, options } = folder(t, { 'a.md': 'The body the index read.' });
  const indexed = post('a.md');
  fs.writeFileSync(path.join(postsDir, 'a.md'), '---\ntitle: x\n---\nThe body, half writ');
  const unavailable: string[] = [];
  const body = createPostBodies(options({ onUnavailable: (p) => unavailable.push(p.file) }));
  await t.rejects(body(indexed), { name: 'BodyUnavailableError', message: /changed since it was read/ });
  t.same(unavailable, ['a.md']);
});

t.test('a full queue is busy, not a failure of the post', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < MAX_QUEUED + 5; i++) files[`q${i}.md`] = `body ${i}`;
  const { post, options } = folder(t, files);
  const body = createPostBodies(options());
  const posts = Object.keys(files).map((file) => post(file));
  const results = await Promise.allSettled(posts.map((p) => body(p)));
  const busy = results.filter((r) => r.status === 'rejected' && r.reason instanceof RenderBusyError);
  t.ok(busy.length >= 4, `${busy.length} refused as busy`);
  t.equal(await body(posts.at(-1)!), '<p>body 504</p>\n', 'a refused body renders on the next request');
});
