// Under load: identical first requests share one job, a full queue answers 503 with
// Retry-After, one client's misses are rate limited, a slow job is given up on.
import t, { type Test } from 'tap';
import { buildImages, makeImageSite, makePhoto, srcsetUrl } from '../helpers/images.js';
import { waitFor } from '../helpers/wait.js';

async function photoSite(t: Test, images?: Parameters<typeof buildImages>[3]) {
  const built = await buildImages(t, makeImageSite(t, { 'harbour.jpg': await makePhoto(2000, 1500) }), {}, images);
  const picture = (await built.app.images.pictureOf('assets/images/harbour.jpg'))!;
  // Every variant of the photo: 7 widths x 3 formats.
  const urls = [picture.srcset!, ...picture.sources.map((s) => s.srcset)].flatMap((set) => set.split(', ').map((e) => e.split(' ')[0]!));
  return { ...built, picture, urls };
}

t.test('concurrent identical first requests share one job', async (t) => {
  const { app, picture } = await photoSite(t);
  const url = srcsetUrl(picture.sources[0]!.srcset, 960);
  const responses = await Promise.all(Array.from({ length: 6 }, () => app.inject(url)));
  t.same(responses.map((r) => r.statusCode), [200, 200, 200, 200, 200, 200]);
  t.equal(new Set(responses.map((r) => r.headers.etag)).size, 1, 'the same bytes for all');
  t.equal(app.images.stats.jobs, 1, 'one job');
  t.equal((await app.inject(url)).statusCode, 200);
  t.equal(app.images.stats.jobs, 1, 'later requests are served from the cache');
  t.match(app.images.stats, { cachedFiles: 1, running: 0, queued: 0 });
});

t.test('past the queue: 503 with Retry-After; a retry later is served', async (t) => {
  const { app, urls, logs } = await photoSite(t, { maxJobs: 1, maxQueued: 1 });
  const burst = urls.slice(0, 6);
  const responses = await Promise.all(burst.map((url) => app.inject(url)));
  const statuses = responses.map((r) => r.statusCode).sort();
  t.same(statuses, [200, 200, 503, 503, 503, 503], 'one running, one waiting, the rest turned away');
  const busy = responses.find((r) => r.statusCode === 503)!;
  t.equal(busy.headers['retry-after'], '2');
  t.equal(busy.headers['cache-control'], 'no-store', 'a CDN must not keep the refusal');
  t.equal(logs.filter((l) => l.msg === 'image queue full').length, 4);
  for (const url of burst) t.equal((await app.inject(url)).statusCode, 200, `retried: ${url}`);
});

t.test('one client making too many variants: 429, while cached ones still come', async (t) => {
  const { app, urls } = await photoSite(t, { missesPerMinute: 2 });
  t.equal((await app.inject(urls[0]!)).statusCode, 200);
  t.equal((await app.inject(urls[1]!)).statusCode, 200);
  const limited = await app.inject(urls[2]!);
  t.equal(limited.statusCode, 429);
  t.ok(Number(limited.headers['retry-after']) > 0, 'with Retry-After');
  t.equal((await app.inject(urls[0]!)).statusCode, 200, 'a cached variant is not a miss');
  const other = await app.inject({ url: urls[2]!, remoteAddress: '10.0.0.2' });
  t.equal(other.statusCode, 200, 'per client');
});

t.test('searches do not use up a client\'s variants, nor variants its searches', async (t) => {
  const { app } = await buildImages(t, makeImageSite(t, { 'harbour.jpg': await makePhoto(1000, 750) }), { RATE_LIMIT_PER_MINUTE: '2' }, { missesPerMinute: 2 });
  const picture = (await app.images.pictureOf('assets/images/harbour.jpg'))!;
  t.same([(await app.inject('/search/?q=a1')).statusCode, (await app.inject('/search/?q=a2')).statusCode], [200, 200]);
  t.equal((await app.inject(srcsetUrl(picture.srcset!, 320))).statusCode, 200, 'the searches did not count');
  t.equal((await app.inject(srcsetUrl(picture.srcset!, 480))).statusCode, 200);
  t.equal((await app.inject('/search/?q=a3')).statusCode, 429, 'searches have their own count');
});

t.test('a job past its time: 503 for its callers, logged, its slot kept until it ends', async (t) => {
  const { app, picture, logs } = await photoSite(t, { jobTimeoutMs: 1 });
  const res = await app.inject(srcsetUrl(picture.sources[0]!.srcset, 1600));
  t.equal(res.statusCode, 503);
  t.equal(res.headers['retry-after'], '2');
  t.match(logs.find((l) => l.msg === 'image job timed out'), { file: '/assets/images/harbour.jpg', width: 1600, format: 'avif', timeoutMs: 1 });
  await waitFor('the encode to end', () => app.images.stats.running === 0, 20_000);
});
