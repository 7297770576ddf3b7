// Security headers, the CSP, HSTS only on https sites, 414 for overlong URLs, and rate
// limits on expensive responses that must be rendered.
import t from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';

const posts = {
  'a.md': postText({ title: 'Alpha', date: '2025-09-01', categories: ['World'], tags: ['x'] }, 'Harbour news.'),
  'b.md': postText({ title: 'Beta', date: '2025-09-02', categories: ['Business'] }, 'Market news.'),
};

t.test('security headers on every response', async (t) => {
  const { app } = await build(t, makeSite(t, posts));
  for (const url of ['/', '/2025/09/01/alpha/', '/feed.xml', '/nope/', '/favicon.svg', '/healthz']) {
    const res = await app.inject(url);
    t.equal(
      res.headers['content-security-policy'],
      "default-src 'none';style-src 'self';img-src 'self' https:;connect-src 'self';frame-src https://www.youtube.com https://www.youtube-nocookie.com https://player.vimeo.com;form-action 'self';base-uri 'none';frame-ancestors 'self';upgrade-insecure-requests",
      `${url}: CSP allows only what pages use (and connect-src 'self' for tools like Lighthouse), no script`,
    );
    t.equal(res.headers['x-content-type-options'], 'nosniff');
    t.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin');
    t.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    t.equal(res.headers['cross-origin-resource-policy'], 'cross-origin', 'feed readers may show our images');
    t.equal(res.headers['strict-transport-security'], 'max-age=31536000', 'HSTS: SITE_URL is https');
  }
});

t.test('no HSTS and no upgrade-insecure-requests when the site is http; EMBED_HOSTS=none', async (t) => {
  const { app } = await build(t, makeSite(t, posts), { SITE_URL: 'http://localhost:3000', EMBED_HOSTS: 'none' });
  const res = await app.inject('/');
  t.equal(res.headers['strict-transport-security'], undefined);
  t.notMatch(String(res.headers['content-security-policy']), /upgrade-insecure-requests/);
  t.match(String(res.headers['content-security-policy']), /frame-src 'none'/);
});

t.test('overlong URLs answer 414', async (t) => {
  const { app } = await build(t, makeSite(t, posts));
  const long = await app.inject(`/search/?q=${'a'.repeat(3000)}`);
  t.equal(long.statusCode, 414);
  t.equal(long.headers['cache-control'], 'no-store');
  t.equal((await app.inject(`/${'x'.repeat(2100)}/`)).statusCode, 414);
  t.equal((await app.inject(`/search/?q=${'a'.repeat(1500)}`)).statusCode, 200, 'long but acceptable');
});

t.test('expensive responses are rate limited only when they must be rendered', async (t) => {
  const { app } = await build(t, makeSite(t, posts), { RATE_LIMIT_PER_MINUTE: '3' });
  // Three renders are allowed: the site Atom feed and two section feeds.
  t.equal((await app.inject('/feed.xml')).statusCode, 200);
  t.equal((await app.inject('/category/world/feed.xml')).statusCode, 200);
  t.equal((await app.inject('/category/business/feed.xml')).statusCode, 200);
  const limited = await app.inject('/rss.xml');
  t.equal(limited.statusCode, 429, 'a fourth uncached render is refused');
  t.match(limited.headers['retry-after'], /^\d+$/);
  t.equal(limited.headers['cache-control'], 'no-store');
  t.equal((await app.inject('/feed.xml')).statusCode, 200, 'cached responses are always served');
  t.equal((await app.inject('/')).statusCode, 200, 'pages are never limited');
  t.equal((await app.inject('/search/?q=harbour')).statusCode, 429, 'searches count too');
  t.equal((await app.inject('/search/')).statusCode, 200, 'the empty search form is free');
  const other = await app.inject({ url: '/rss.xml', remoteAddress: '10.9.8.7' });
  t.equal(other.statusCode, 200, 'limits are per client');
});

t.test('slow clients cannot hold connections', async (t) => {
  const { app } = await build(t, makeSite(t, posts));
  const server = app.server;
  t.equal(server.requestTimeout, 30_000, 'a whole request within 30 s');
  t.equal(server.headersTimeout, 10_000, 'headers within 10 s');
  t.equal(server.keepAliveTimeout, 5_000, 'idle keep-alive connections close after 5 s');
  t.equal(server.timeout, 30_000, 'an idle socket closes after 30 s');

  // A kept-alive connection that stays idle is closed by the server.
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = new URL(address);
  const net = await import('node:net');
  const closedAfter = await new Promise<number>((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
    let answered = 0;
    socket.on('data', () => (answered ||= Date.now()));
    socket.on('close', () => resolve(Date.now() - answered));
    socket.on('error', reject);
  });
  t.ok(closedAfter >= 4_000 && closedAfter < 9_000, `closed ${closedAfter} ms after the response`);
});
