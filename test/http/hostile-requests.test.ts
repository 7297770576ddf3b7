// Hostile requests against a real listening server, sent byte for byte over a socket
// (no client normalises the paths): status codes as expected, nothing outside public/
// ever served, no redirect to another host, no stack trace or file path in a body.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import t from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function raw(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(request);
  });
}

const get = (port: number, target: string, headers: Record<string, string> = {}, method = 'GET') =>
  raw(port, `${method} ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);

interface Case {
  readonly name: string;
  readonly send: (port: number) => Promise<RawResponse>;
  readonly status: number | number[];
  readonly check?: (res: RawResponse, t: Tap.Test) => void;
}

declare namespace Tap {
  type Test = import('tap').Test;
}

const SECRET = 'TOP-SECRET-OUTSIDE-PUBLIC';

t.test('hostile requests', async (t) => {
  const s = makeSite(t, {
    'a.md': postText({ title: 'Alpha', date: '2025-09-01', categories: ['World'] }, 'Harbour news.'),
  });
  fs.writeFileSync(path.join(s.dir, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(s.publicDir, '.env'), `API_KEY=${SECRET}`);
  fs.mkdirSync(path.join(s.publicDir, '.git'));
  fs.writeFileSync(path.join(s.publicDir, '.git/config'), SECRET);
  fs.symlinkSync(path.join(s.dir, 'secret.txt'), path.join(s.publicDir, 'leak.txt'));
  fs.symlinkSync(s.dir, path.join(s.publicDir, 'up'));
  fs.writeFileSync(path.join(s.publicDir, 'hello.txt'), 'hello, world');
  const { app, logs } = await build(t, s, { RATE_LIMIT_PER_MINUTE: '5' });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const port = Number(new URL(address).port);

  const noSecret = (res: RawResponse, tt: Tap.Test) => {
    tt.notMatch(res.body, new RegExp(SECRET), 'nothing from outside public/');
    tt.notMatch(res.body, /root:x:0:0|\/etc\/passwd:|at .+\.(ts|js):\d+|node_modules|\/tmp\/|\/work\//, 'no system file, stack trace or path');
  };
  const onSite = (res: RawResponse, tt: Tap.Test) => {
    const location = res.headers.location ?? '';
    tt.match(location, /^\/(?![/\\])/, `Location ${location} stays on the site`);
  };

  const cases: Case[] = [
    { name: 'dot-dot traversal', send: (p) => get(p, '/../../../../etc/passwd'), status: [400, 404] },
    { name: 'encoded dot-dot', send: (p) => get(p, '/%2e%2e/%2e%2e/%2e%2e/etc/passwd'), status: [400, 403, 404] },
    { name: 'double-encoded dot-dot', send: (p) => get(p, '/%252e%252e/%252e%252e/etc/passwd'), status: 404 },
    { name: 'encoded slashes', send: (p) => get(p, '/assets%2f..%2f..%2f..%2fsecret.txt'), status: [400, 404] },
    { name: 'backslashes', send: (p) => get(p, '/..\\..\\secret.txt'), status: 301, check: onSite },
    { name: 'encoded backslashes', send: (p) => get(p, '/..%5c..%5csecret.txt'), status: 301, check: onSite },
    { name: 'traversal inside assets', send: (p) => get(p, '/assets/../../secret.txt'), status: [400, 404] },
    { name: 'dotfile', send: (p) => get(p, '/.env'), status: 404 },
    { name: 'dot folder', send: (p) => get(p, '/.git/config'), status: 404 },
    { name: 'symbolic link out of public/', send: (p) => get(p, '/leak.txt'), status: 404 },
    { name: 'linked folder out of public/', send: (p) => get(p, '/up/secret.txt'), status: 404 },
    { name: 'directory listing', send: (p) => get(p, '/assets/'), status: 404 },
    { name: 'NUL byte', send: (p) => get(p, '/hello.txt%00.md'), status: [400, 404] },
    {
      name: 'broken percent-encoding',
      send: (p) => get(p, '/%E0%A4%A'),
      status: 400,
      check: (res, tt) => {
        tt.match(res.headers['content-type'], /^text\/html/, "the site's own error page");
        tt.match(res.body, /Bad request/);
        tt.equal(res.headers['x-content-type-options'], 'nosniff', 'with the security headers');
        tt.equal(res.headers['cache-control'], 'no-store');
      },
    },
    { name: 'protocol-relative redirect', send: (p) => get(p, '//evil.example/'), status: 301, check: onSite },
    { name: 'backslash redirect', send: (p) => get(p, '/\\evil.example/'), status: 301, check: onSite },
    { name: 'trailing-slash redirect of a hostile path', send: (p) => get(p, '//evil.example'), status: 301, check: onSite },
    {
      name: 'Host header',
      send: (p) => raw(p, 'GET / HTTP/1.1\r\nHost: evil.example\r\nX-Forwarded-Host: evil.example\r\nConnection: close\r\n\r\n'),
      status: 200,
      check: (res, tt) => tt.notMatch(res.body, /evil\.example/, 'the Host header never reaches a URL'),
    },
    {
      name: 'Host header on a redirect',
      send: (p) => raw(p, 'GET /category/world HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n'),
      status: 301,
      check: (res, tt) => tt.equal(res.headers.location, '/category/world/'),
    },
    { name: 'POST', send: (p) => raw(p, 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'), status: 405 },
    { name: 'PUT on a post', send: (p) => get(p, '/2025/09/01/alpha/', {}, 'PUT'), status: 405 },
    { name: 'DELETE', send: (p) => get(p, '/', {}, 'DELETE'), status: 405 },
    { name: 'OPTIONS', send: (p) => get(p, '/', {}, 'OPTIONS'), status: 405 },
    { name: 'TRACE', send: (p) => get(p, '/', {}, 'TRACE'), status: [400, 405] },
    { name: 'overlong URL', send: (p) => get(p, `/${'a'.repeat(5000)}`), status: 414 },
    { name: 'overlong header', send: (p) => get(p, '/', { 'X-Junk': 'x'.repeat(20_000) }), status: 431 },
    {
      name: 'garbage If-None-Match',
      send: (p) => get(p, '/', { 'If-None-Match': '"unterminated, W/, ***' }),
      status: 200,
    },
    { name: 'garbage If-Modified-Since', send: (p) => get(p, '/', { 'If-Modified-Since': 'yesterday at noon' }), status: 200 },
    { name: 'far-future If-Modified-Since on a page', send: (p) => get(p, '/', { 'If-Modified-Since': 'Fri, 31 Dec 9999 23:59:59 GMT' }), status: 304 },
    {
      name: 'Range on a static file',
      send: (p) => get(p, '/hello.txt', { Range: 'bytes=0-4' }),
      status: 206,
      check: (res, tt) => tt.equal(res.body, 'hello'),
    },
    { name: 'unsatisfiable Range', send: (p) => get(p, '/hello.txt', { Range: 'bytes=999-1000' }), status: 416 },
    {
      name: 'Range on a page is ignored',
      send: (p) => get(p, '/', { Range: 'bytes=0-4' }),
      status: 200,
      check: (res, tt) => tt.match(res.body, /<!doctype html>/),
    },
    { name: 'garbage Accept-Encoding', send: (p) => get(p, '/', { 'Accept-Encoding': ';;;q=x, *;q=-1, br;q=abc' }), status: 200 },
    { name: 'query parameter injection', send: (p) => get(p, '/search/?q[]=x&q[$ne]=y'), status: [200, 404] },
    { name: 'search with a script', send: (p) => get(p, '/search/?q=%3Csvg%20onload%3Dalert(1)%3E'), status: 200, check: (res, tt) => tt.notMatch(res.body, /<svg/) },
    { name: 'absolute-form request target', send: (p) => raw(p, 'GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n'), status: [200, 301, 400, 404], check: (res, tt) => {
      tt.notMatch(res.body, /evil\.example/);
      if (res.status === 301) onSite(res, tt);
    } },
  ];
  t.ok(cases.length >= 25, `${cases.length} hostile requests`);
  for (const c of cases) {
    await t.test(c.name, async (tt) => {
      const res = await c.send(port);
      const allowed = Array.isArray(c.status) ? c.status : [c.status];
      tt.ok(allowed.includes(res.status), `${c.name}: ${res.status} in ${allowed.join('/')}`);
      noSecret(res, tt);
      c.check?.(res, tt);
    });
  }

  await t.test('rate limited search answers 429 with Retry-After', async (tt) => {
    const statuses: number[] = [];
    let retryAfter = '';
    for (let i = 0; i < 8; i++) {
      const res = await get(port, `/search/?q=word${i}`);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers['retry-after'] ?? '';
    }
    tt.ok(statuses.includes(429), statuses.join(','));
    tt.match(retryAfter, /^\d+$/);
  });

  t.notOk(logs.some((l) => l.level >= 50), 'no request was an internal error');
});
