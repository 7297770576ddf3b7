// Shutdown with real sockets: an idle keep-alive connection is closed at once, a request
// in flight finishes, and clients that send their headers or body slowly (or nothing at
// all) are cut when the grace ends. Then the real entry point in a child process: on
// SIGTERM it exits 0 within the 10 seconds an orchestrator waits, every time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import t from 'tap';
import { closeGracefully } from '../src/shutdown.js';
import { build, makeSite, postText, ROOT, SITE_URL } from './helpers/build.js';
import { waitFor } from './helpers/wait.js';

// A child process that loads TypeScript needs a few seconds, more on a busy machine.
t.setTimeout(120_000);

interface Client {
  readonly socket: net.Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves with the time the connection closed. */
  readonly closed: Promise<number>;
}

/** A connection that writes `head` and then, if `trickle` is given, one more piece of it now and then. */
async function connect(port: number, head: string, trickle?: string): Promise<Client> {
  const socket = net.connect(port, '127.0.0.1');
  let data = '';
  socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
  // The server ends these connections; a reset is what a cut looks like.
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())));
  await once(socket, 'connect');
  if (head) socket.write(head);
  if (trickle !== undefined) {
    const timer = setInterval(() => socket.writable && socket.write(trickle), 200);
    void closed.then(() => clearInterval(timer));
  }
  return { socket, received: () => data, closed };
}

/** The three kinds of client that used to hold the process open past SIGTERM. */
async function clients(port: number) {
  const idle = await connect(port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
  await waitFor('the keep-alive response', () => idle.received().includes('"status":"ok"'));
  return {
    idle,
    slowHeaders: await connect(port, 'GET / HTTP/1.1\r\nHost: localhost\r\n', 'X-Slow: 1\r\n'),
    endlessBody: await connect(port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n', 'x'),
    silent: await connect(port, ''),
  };
}

t.test('closeGracefully: idle connections at once, requests in flight finish, slow clients are cut', async (t) => {
  let entered = false;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const { app } = await build(t, makeSite(t), {}, {
    beforeReady: (a) => {
      a.get('/in-flight', async () => {
        entered = true;
        await finished;
        return 'finished';
      });
    },
  });
  const port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port);
  const { idle, slowHeaders, endlessBody, silent } = await clients(port);
  const inFlight = await connect(port, 'GET /in-flight HTTP/1.1\r\nHost: localhost\r\n\r\n');
  await waitFor('the request to be in flight', () => entered);

  const grace = 2000;
  const started = Date.now();
  const closing = closeGracefully(app, grace);
  await idle.closed;
  t.pass('the idle keep-alive connection is closed at once, not at the end of the grace');
  finish();
  await inFlight.closed;
  t.match(inFlight.received(), /^HTTP\/1\.1 200 OK[\s\S]*\r\n\r\nfinished$/, 'the request in flight got its whole answer');
  t.notOk(slowHeaders.socket.closed || endlessBody.socket.closed || silent.socket.closed, 'and its connection was closed as it finished, before the grace ended');
  await Promise.all([slowHeaders.closed, endlessBody.closed, silent.closed]);
  t.pass('the slow clients were cut when the grace ended');
  await closing;
  t.ok(Date.now() - started < grace + 5000, `closed within the grace (${Date.now() - started} ms)`);
  t.equal(slowHeaders.received(), '', 'a client still sending its headers gets no answer');
  t.notOk(app.server.listening, 'no longer listening');
});

t.test('SIGTERM with slow clients: the process exits 0 within 10 s', async (t) => {
  const s = makeSite(t, { 'a.md': postText({ title: 'Alpha', date: '2025-09-01' }) });
  // The child loads TypeScript as this test does. Its coverage is not recorded: the
  // entry point's fatal startup paths are not exercised here, and it stays out of the
  // report as before (tap's process-info recorder reads this variable).
  const child = spawn(process.execPath, [...process.execArgv, path.join(ROOT, 'src/server.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      _TAPJS_PROCESSINFO_COVERAGE_: '0',
      POSTS_DIR: s.postsDir,
      PUBLIC_DIR: s.publicDir,
      SITE_URL,
      PORT: '0',
      HOST: '127.0.0.1',
      WATCH: 'false',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const port = Number(await waitFor('the server to listen', () => /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1], 90_000));
  const { idle, slowHeaders, endlessBody, silent } = await clients(port);

  const sent = Date.now();
  child.kill('SIGTERM');
  const [code, signal] = await exited;
  const took = Date.now() - sent;
  t.equal(signal, null, 'not killed');
  t.equal(code, 0, 'exit code 0', { output: output.slice(-2000) });
  t.ok(took < 10_000, `exited ${took} ms after SIGTERM, within 10 s`);
  const [idleClosed, ...slowClosed] = await Promise.all([idle.closed, slowHeaders.closed, endlessBody.closed, silent.closed]);
  t.ok(slowClosed.every((at) => at >= idleClosed), 'the idle connection went first');
  t.match(output, /"msg":"shutting down"/);
  t.match(output, /"msg":"shutdown grace over: closing the connections still open"/);
});

t.test('draining: /readyz fails while pages are still served, then the server closes', async (t) => {
  const { app } = await build(t, makeSite(t, { 'a.md': postText({ title: 'Alpha', date: '2025-09-01' }) }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  t.equal((await fetch(`${address}/readyz`)).status, 200);
  const closing = closeGracefully(app, 1000, 600);
  const ready = await fetch(`${address}/readyz`);
  t.equal(ready.status, 503);
  t.same(await ready.json(), { status: 'draining' });
  t.equal(ready.headers.get('cache-control'), 'no-store');
  t.equal((await fetch(`${address}/2025/09/01/alpha/`)).status, 200, 'pages are served while draining');
  t.equal((await fetch(`${address}/2025/09/01/alpha/`)).status, 200, 'twice (the cached path)');
  t.ok(app.server.listening, 'still listening');
  await closing;
  t.notOk(app.server.listening, 'closed once the drain is over');
});

t.test('SIGTERM with SHUTDOWN_DRAIN_MS: /readyz fails first, the process exits 0 after the drain', async (t) => {
  const s = makeSite(t, { 'a.md': postText({ title: 'Alpha', date: '2025-09-01' }) });
  const child = spawn(process.execPath, [...process.execArgv, path.join(ROOT, 'src/server.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      _TAPJS_PROCESSINFO_COVERAGE_: '0',
      POSTS_DIR: s.postsDir,
      PUBLIC_DIR: s.publicDir,
      SITE_URL,
      PORT: '0',
      HOST: '127.0.0.1',
      WATCH: 'false',
      LOG_LEVEL: 'info',
      // Long enough that a loaded machine still fetches a page within the drain.
      SHUTDOWN_DRAIN_MS: '4000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const port = Number(await waitFor('the server to listen', () => /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1], 90_000));
  const base = `http://127.0.0.1:${port}`;
  await waitFor('ready', async () => (await fetch(`${base}/readyz`)).status === 200, 30_000);
  // Rendered once before: on a loaded machine a first render (a cold Markdown worker)
  // can outlast the drain, and this is about serving, not rendering.
  t.equal((await fetch(`${base}/2025/09/01/alpha/`)).status, 200);
  const sent = Date.now();
  child.kill('SIGTERM');
  await waitFor('readyz to fail', async () => (await fetch(`${base}/readyz`)).status === 503);
  t.ok(Date.now() - sent < 4000, 'readiness failed before the drain ended');
  t.equal((await fetch(`${base}/2025/09/01/alpha/`)).status, 200, 'while pages are still served');
  const [code, signal] = await exited;
  const took = Date.now() - sent;
  t.equal(signal, null);
  t.equal(code, 0, 'exit code 0', { output: output.slice(-2000) });
  t.ok(took >= 4000, `exited after the drain (${took} ms)`);
  t.match(output, /"msg":"draining: \/readyz fails, requests are still served"/);
});
