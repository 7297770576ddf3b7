// The hot path answers a fresh cached page in the server's request listener: over a
// real socket it sends the same bytes and headers as the route path, answers 304 and
// HEAD, writes an access log line when info logs are on, and leaves everything else
// (other methods, codings not made yet, uncached URLs) to Fastify.
import zlib from 'node:zlib';
import t, { type Test } from 'tap';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { build, makeSite, postText } from '../helpers/build.js';

async function listening(t: Test, env: Record<string, string> = {}) {
  const site = makeSite(t, { 'a.md': postText({ title: 'Alpha story', date: '2025-09-01T10:00:00Z', categories: ['World'] }, 'Alpha body. '.repeat(300)) });
  const built = await build(t, site, env);
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = built.app.server.address() as { port: number };
  return { ...built, base: `http://127.0.0.1:${port}` };
}

t.test('a cached page comes from the hot path with the route path\'s bytes and headers', async (t) => {
  const { app, base } = await listening(t);
  const viaRoute = await fetch(`${base}/`);
  const rendered = app.pageCache.renders;
  const viaHotPath = await fetch(`${base}/`);
  t.equal(app.pageCache.renders, rendered, 'not rendered again');
  t.equal(await viaHotPath.text(), await viaRoute.text(), 'the same bytes');
  for (const name of ['etag', 'last-modified', 'cache-control', 'content-type', 'vary', 'xkey', 'content-security-policy', 'content-length']) {
    t.equal(viaHotPath.headers.get(name), viaRoute.headers.get(name), name);
  }
  const notModified = await fetch(`${base}/`, { headers: { 'if-none-match': viaRoute.headers.get('etag')! } });
  t.equal(notModified.status, 304);
  t.equal(notModified.headers.get('etag'), viaRoute.headers.get('etag'));
  const head = await fetch(`${base}/`, { method: 'HEAD' });
  t.equal(head.status, 200);
  t.equal(head.headers.get('content-length'), viaRoute.headers.get('content-length'));
  t.equal((await head.arrayBuffer()).byteLength, 0, 'HEAD has no body');
});

t.test('what the hot path leaves to the routes', async (t) => {
  const { app, base } = await listening(t);
  await fetch(`${base}/`);
  const post = await fetch(`${base}/`, { method: 'POST' });
  t.equal(post.status, 405, 'other methods');
  t.equal(post.headers.get('allow'), 'GET, HEAD');
  // The br form is made by the route path on its first request, then the hot path sends it.
  const first = await fetch(`${base}/`, { headers: { 'accept-encoding': 'br' } });
  const second = await fetch(`${base}/`, { headers: { 'accept-encoding': 'br' } });
  t.equal(first.headers.get('content-encoding'), 'br');
  t.equal(second.headers.get('content-encoding'), 'br');
  t.equal(await second.text(), await first.text(), 'the same page (fetch decodes br)');
  const raw = await new Promise<Buffer>((resolve) => {
    import('node:http').then(({ get }) => get(`${base}/`, { headers: { 'accept-encoding': 'br' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
    }));
  });
  t.equal(zlib.brotliDecompressSync(raw).toString(), await (await fetch(`${base}/`)).text(), 'br bytes from the hot path decode to the page');
  t.equal((await fetch(`${base}/nope/`)).status, 404, 'an unknown URL');
  // Too small to compress: one form for every client.
  const robots = await (await fetch(`${base}/robots.txt`)).text();
  const again = await fetch(`${base}/robots.txt`, { headers: { 'accept-encoding': 'br' } });
  t.equal(again.headers.get('content-encoding'), null);
  t.equal(await again.text(), robots);
  t.ok(app.pageCache.renders > 0);
});

t.test('an access log line for a cached page when info logs are on, none at warn', async (t) => {
  const { base, logs } = await listening(t);
  await fetch(`${base}/`);
  await fetch(`${base}/`);
  t.ok(logs.some((l) => l.msg === 'request completed' && l.cached === true && (l.res as { statusCode: number }).statusCode === 200));
  const site = makeSite(t, { 'b.md': postText({ title: 'Beta', date: '2025-09-01T10:00:00Z' }) });
  const quiet = await buildApp(loadConfig({ POSTS_DIR: site.postsDir, PUBLIC_DIR: site.publicDir, LOG_LEVEL: 'warn', POST_CACHE_DIR: 'off' }));
  t.teardown(() => quiet.close());
  await quiet.listen({ port: 0, host: '127.0.0.1' });
  await quiet.content.whenReady();
  const url = `http://127.0.0.1:${(quiet.server.address() as { port: number }).port}/`;
  await fetch(url);
  t.equal((await fetch(url)).status, 200, 'served from the hot path, no log line asked for');
});
