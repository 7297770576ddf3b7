// Hostile request targets, second pass, over a real socket: a Location never carries
// dot segments; a trailing-slash redirect only ever leads to a page that exists;
// absolute-form targets (RFC 9112 section 3.2.2) are served by their path and their
// host never reaches a Location; a repeated query parameter counts once (the first).
import t, { type Test } from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';
import { rawGet, rawRequest, type RawResponse } from '../helpers/raw-http.js';

async function site(t: Test): Promise<number> {
  const s = makeSite(t, {
    'a.md': postText({ title: 'Alpha harbour', date: '2025-09-01T10:00:00Z', categories: ['World'], tags: ['Education'], author: 'Ana' }),
    'b.md': postText({ title: 'Beta harbour', date: '2025-09-02T10:00:00Z', categories: ['World'], tags: ['Education'], author: 'Ana' }),
    'c.md': postText({ title: 'Gamma harbour', date: '2025-09-03T10:00:00Z', categories: ['World'], author: 'Ana' }),
  });
  const { app } = await build(t, s, { PAGE_SIZE: '1' });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return Number(new URL(address).port);
}

/** `.` and `..` segments, also spelled `%2e`, that a browser would resolve. */
function hasDotSegment(location: string): boolean {
  const path = location.split(/[?#]/, 1)[0]!;
  return path.split(/[/\\]/).some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
}

/** Follows redirects from `target`; every Location on the way is checked. */
async function follow(t: Test, port: number, target: string): Promise<RawResponse> {
  let res = await rawGet(port, target);
  for (let hops = 0; res.status === 301 && hops < 5; hops++) {
    const location = res.headers.location ?? '';
    t.match(location, /^\/(?![/\\])/, `${target}: Location ${location} is a path on this site`);
    t.notOk(hasDotSegment(location), `${target}: Location ${location} has no dot segment`);
    t.notMatch(location, /\\/, `${target}: Location ${location} has no backslash`);
    res = await rawGet(port, location);
  }
  return res;
}

t.test('a Location never carries dot segments', async (t) => {
  const port = await site(t);
  const targets = [
    '/assets/css/..\\..\\package.json',
    '/assets/css/..%5c..%5cpackage.json',
    '/assets/css/..%5C..%5Cpackage.json',
    '/assets\\..\\..\\secret.txt',
    '/x\\.\\y',
    '/x/.%5cy',
    '/%2e%2e%5c%2e%2e%5cetc/passwd',
    '/x\\%2e%2e\\y/',
    '/x\\%2E%2e\\y',
    '/a/%2E%2e//b',
    '/a//%2e/b',
    '//..//..//x',
    '/category/world\\..\\..\\',
    '/tag/..%5cnope',
    '/tag/Education/page/%2e%2e/',
    '/tag/EDUCATION/page/.%2e/',
    '/tag/Education/page/%2e/',
    '/tag/Education/page/..',
    '/category/World/page/%2e%2e',
  ];
  for (const target of targets) {
    const first = await rawGet(port, target);
    t.ok([301, 400, 404].includes(first.status), `${target}: ${first.status}`);
    const last = await follow(t, port, target);
    t.ok([200, 400, 404].includes(last.status), `${target}: ends in ${last.status}`);
  }
});

t.test('a trailing slash is added only where a page exists', async (t) => {
  const port = await site(t);
  const missing = [
    '/tag/nope', '/tag/Nope', '/tag/%2e%2e', '/tag/%2E%2E', '/tag/.', '/tag/..', '/category/nope', '/author/nope',
    '/category/world/page/9', '/category/world/page/0', '/category/world/page/x', '/category/world/page/01',
    '/tag/nope/page/2', '/tag/Nope/page/2', '/2031', '/2025/13', '/2025/09/30', '/2025/page/9', '/2025/09/page/4',
    '/page/99', '/page/x', '/page/0', '/1999/01/01/nope', '/search/x',
  ];
  for (const target of missing) {
    const res = await rawGet(port, target);
    t.equal(res.status, 404, `${target}: 404 at once`);
    t.notOk(res.headers.location, `${target}: no Location`);
  }
  const existing = [
    '/tag/education', '/tag/Education', '/category/world', '/category/World/page/2', '/category/world/page/1',
    '/author/ana/page/3', '/2025', '/2025/09', '/2025/09/01', '/2025/page/2', '/page/2', '/page/1',
    '/categories', '/tags', '/authors', '/search', '/search?q=harbour&page=2', '/2025/09/01/alpha-harbour',
  ];
  for (const target of existing) {
    const res = await rawGet(port, target);
    t.equal(res.status, 301, `${target}: 301`);
    t.equal((await follow(t, port, target)).status, 200, `${target}: leads to a page`);
  }
  const res = await rawGet(port, '/search?q=harbour&page=2');
  t.equal(res.headers.location, '/search/?q=harbour&page=2', 'the query goes along');
});

t.test('absolute-form targets: the path is served, the host ignored', async (t) => {
  const port = await site(t);
  const absolute = (target: string) => rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n`);
  const cases: [string, number, string?][] = [
    ['http://other.example/', 200],
    ['http://other.example', 200],
    ['http://other.example?x=1', 200],
    ['HTTP://OTHER.EXAMPLE:8080/feed.xml', 200],
    ['http://user@other.example/category/world/', 200],
    ['http://other.example/category/world', 301, '/category/world/'],
    ['https://other.example/tag/education?x=1', 301, '/tag/education/?x=1'],
    ['http://other.example//evil.example/', 301, '/evil.example/'],
    ['http://other.example/\\evil.example/', 301, '/evil.example/'],
    ['http://other.example/nope', 404],
    ['http://other.example/tag/%2e%2e', 404],
  ];
  for (const [target, status, location] of cases) {
    const res = await absolute(target);
    t.equal(res.status, status, `${target}: ${status}`);
    if (location) t.equal(res.headers.location, location, `${target}: Location ${location}`);
    t.notMatch(res.text, /other\.example/i, `${target}: the other host appears nowhere in the answer`);
  }
  // Other forms are for CONNECT and OPTIONS only (RFC 9112 section 3.2.3 and 3.2.4).
  for (const target of ['*', 'other.example:80', 'ftp://other.example/', 'other.example/x']) {
    const res = await absolute(target);
    t.equal(res.status, 400, `${target}: 400`);
    t.notMatch(res.text, /other\.example/i, `${target}: the other host appears nowhere`);
  }
});

t.test('a repeated query parameter counts once: the first', async (t) => {
  const port = await site(t);
  const etag = async (target: string) => {
    const res = await rawGet(port, target);
    t.equal(res.status, 200, `${target}: 200`);
    return res.headers.etag;
  };
  const alpha = await etag('/search/?q=alpha');
  t.equal(await etag('/search/?q=alpha&q=zzz'), alpha, 'q: the first value');
  t.equal(await etag('/search/?q=alpha&q='), alpha);
  t.equal(await etag('/search/?q=alpha&page=1&page=2'), alpha, 'page: the first value');
  t.equal(await etag('/search/?page=1&q=alpha&page=x&q=beta'), alpha);
  const harbour2 = await etag('/search/?q=harbour&page=2');
  t.equal(await etag('/search/?q=harbour&q=x&page=2&page=1'), harbour2);
  t.match((await rawGet(port, '/search/?q=alpha&q=zzz')).body, /Alpha harbour/, 'the results of the first value');
  for (const target of ['/?page=2&page=3', '/feed.xml?q=a&q=b', '/category/world/?q=a&q=b']) await etag(target);
});
