// A replica that closes mid-purge sends nothing more and counts nothing as failed, at
// whichever step the close finds the purge: a request under way, or an answer in hand
// before the wait for a retry. The network is a stand-in fetch that closes the purger
// at exactly that step. And a purger made without an observer works as well.
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import t, { type Test } from 'tap';
import { CachePurger } from '../../src/http/cache-purger.js';

const log = pino({ level: 'silent' }) as FastifyBaseLogger;

function withFetch(t: Test, fake: typeof fetch): void {
  const real = globalThis.fetch;
  globalThis.fetch = fake;
  t.teardown(() => {
    globalThis.fetch = real;
  });
}

t.test('closed while a request is under way: no retry, no failure', async (t) => {
  const purger = new CachePurger(['http://cache.invalid/'], log, () => t.fail('nothing observed'), { retryDelaysMs: [10], timeoutMs: 1000 });
  let calls = 0;
  withFetch(t, async () => {
    calls++;
    purger.close();
    throw new Error('aborted with the purger');
  });
  purger.purge(['p-1']);
  await purger.settled();
  t.equal(calls, 1);
  t.same(purger.stats, { sent: 0, failed: 0 });
});

t.test('closed as a 503 comes back: the retry is not waited for', async (t) => {
  const purger = new CachePurger(['http://cache.invalid/'], log, () => t.fail('nothing observed'), { retryDelaysMs: [60_000], timeoutMs: 1000 });
  let calls = 0;
  withFetch(t, async () => {
    calls++;
    purger.close();
    return new Response(null, { status: 503 });
  });
  const started = Date.now();
  purger.purge(['p-1']);
  await purger.settled();
  t.ok(Date.now() - started < 30_000, 'not the minute the retry would wait');
  t.equal(calls, 1);
  t.same(purger.stats, { sent: 0, failed: 0 });
});

t.test('a purger nobody observes purges all the same', async (t) => {
  const purger = new CachePurger(['http://cache.invalid/'], log);
  const sent: (string | null)[] = [];
  withFetch(t, async (_url, init) => {
    sent.push(new Headers(init?.headers).get('xkey-purge'));
    return new Response('Purged\n');
  });
  purger.purge(['pp-1']);
  await purger.settled();
  t.same(sent, ['pp-1']);
  t.same(purger.stats, { sent: 1, failed: 0 });
});
