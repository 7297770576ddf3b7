// Issue 9: with REDIS_URL, the rate limit on expensive requests is counted across every
// replica (a real redis-server on loopback); Redis away, requests are let through and
// that is logged once.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import t, { type Test } from 'tap';
import { build, makeSite, postText } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

const REDIS = '/usr/bin/redis-server';
const available = spawnSync(REDIS, ['--version']).status === 0;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(t: Test, port?: number): Promise<{ url: string; port: number; stop: () => void }> {
  port ??= await freePort();
  const child = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  t.teardown(stop);
  await waitFor('redis to listen', () => new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  }));
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

const files = () => ({ 'a.md': postText({ title: 'Rivers', date: '2025-09-01' }, 'About rivers and lakes.') });

t.test('two replicas share one limit through Redis', { skip: available ? false : `${REDIS} is not installed (apt-get install redis-server)` }, async (t) => {
  const redis = await startRedis(t);
  const env = { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '4' };
  const one = await build(t, makeSite(t, files()), env);
  const two = await build(t, makeSite(t, files()), env);
  // Every search is a different query: none is answered from the cache.
  const search = (app: typeof one.app, n: number) => app.inject({ url: `/search/?q=river${n}`, remoteAddress: '203.0.113.9' });
  // Until a replica is connected its searches are let through uncounted: wait for both.
  const observer = new Redis(redis.url);
  t.teardown(() => observer.disconnect());
  await waitFor('both replicas connected', async () => String(await observer.client('LIST')).trim().split('\n').length >= 3, 15_000);
  t.equal((await search(one.app, 0)).statusCode, 200);
  t.equal((await search(two.app, 1)).statusCode, 200);
  t.equal((await search(one.app, 2)).statusCode, 200);
  t.equal((await search(two.app, 3)).statusCode, 200, 'four searches in all, across two replicas');
  const over = await search(one.app, 4);
  t.equal(over.statusCode, 429, 'the fifth is over the shared limit');
  t.ok(Number(over.headers['retry-after']) > 0);
  t.equal((await search(two.app, 5)).statusCode, 429, 'on the other replica too');
  t.equal((await one.app.inject({ url: '/search/?q=river6', remoteAddress: '198.51.100.1' })).statusCode, 200, 'another client has its own count');
});

t.test('Redis unreachable: expensive requests are served, and that is logged once', { skip: available ? false : `${REDIS} is not installed` }, async (t) => {
  const redis = await startRedis(t);
  const { app, logs } = await build(t, makeSite(t, files()), { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '100' });
  await waitFor('connected', async () => (await app.inject('/search/?q=first')).statusCode === 200);
  redis.stop();
  await waitFor('the outage noticed', () => logs.some((l) => l.msg.startsWith('rate-limit store (Redis) unreachable')));
  for (let i = 0; i < 5; i++) t.equal((await app.inject(`/search/?q=outage${i}`)).statusCode, 200);
  // Reconnection attempts fail every few hundred milliseconds meanwhile.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  t.equal(logs.filter((l) => l.msg.startsWith('rate-limit store (Redis) unreachable')).length, 1, 'one line per outage, not one per retry');
  await startRedis(t, redis.port);
  await waitFor('Redis back', () => logs.some((l) => l.msg === 'rate-limit store (Redis) reachable again'), 10_000);
  t.equal((await app.inject('/search/?q=after')).statusCode, 200);
});

t.test('a bad REDIS_URL is a configuration error', async (t) => {
  const { loadConfig } = await import('../../src/config.js');
  t.throws(() => loadConfig({ SITE_URL: 'https://x.example', REDIS_URL: 'localhost:6379' }), /REDIS_URL/);
});
