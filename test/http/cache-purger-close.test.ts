// A replica that closes mid-purge sends nothing more and counts nothing as failed, at
// whichever step the close finds the purge: a request under way, or an answer in hand
// before the wait for a retry. The network is a stand-in fetch that closes the purger
// at exactly that step.
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
