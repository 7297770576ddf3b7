// The cache of rendered responses: purges by key, renders that overlap a purge, the
// whole-site key, the size bound.
import t from 'tap';
import { SITE_KEY } from '../../src/content/cache-keys.js';
import { createRepresentation } from '../../src/http/representation.js';
import { ResponseCache, type CachedResponse } from '../../src/http/response-cache.js';

function response(key: string, keys: string[], bytes = 100): CachedResponse {
  const rep = createRepresentation(Buffer.alloc(bytes, key), { contentType: 'text/html', lastModified: new Date(0) });
  return { key, status: 200, rep, keys: [SITE_KEY, ...keys], wires: {}, route: '/', timely: false };
}

function stored(cache: ResponseCache, r: CachedResponse): void {
  cache.store(cache.begin(), r);
}

t.test('a purge marks stale exactly the responses with its keys', async (t) => {
  const cache = new ResponseCache({ maxBytes: 1e6 });
  stored(cache, response('/a/', ['p-1', 'home']));
  stored(cache, response('/b/', ['p-2']));
  t.ok(cache.fresh('/a/') && cache.fresh('/b/'));
  t.equal(cache.purge(['p-1', 'unknown']), 1);
  t.notOk(cache.fresh('/a/'), 'purged');
  t.ok(cache.last('/a/'), 'but kept, to compare the next render with');
  t.ok(cache.fresh('/b/'), 'others stay fresh');
  t.equal(cache.purge(['home']), 0, 'a key already purged with its response');
  stored(cache, response('/a/', ['p-3']));
  t.ok(cache.fresh('/a/'), 'rendered again: fresh');
  t.equal(cache.purge(['p-1']), 0, 'its old keys no longer reach it');
  t.equal(cache.purge([SITE_KEY]), 2, 'the site key: everything');
  t.notOk(cache.fresh('/a/') ?? cache.fresh('/b/'));
});

t.test('a render that a purge overlapped is kept stale', async (t) => {
  const cache = new ResponseCache({ maxBytes: 1e6 });
  const early = cache.begin();
  const unaffected = cache.begin();
  cache.purge(['p-1']);
  cache.store(early, response('/a/', ['p-1']));
  t.notOk(cache.fresh('/a/'), 'it showed what the purge changed');
  cache.store(unaffected, response('/b/', ['p-2']));
  t.ok(cache.fresh('/b/'), 'a render of something else is fine');
  const beforeSite = cache.begin();
  cache.purge([SITE_KEY]);
  cache.store(beforeSite, response('/c/', ['p-9']));
  t.notOk(cache.fresh('/c/'), 'a whole-site purge overlaps every render');
  const failed = cache.begin();
  cache.abandon();
  t.equal(failed, cache.generation, 'an abandoned render keeps nothing');
  cache.store(cache.begin(), response('/d/', ['p-1']), false);
  t.notOk(cache.fresh('/d/'), 'an incomplete render is kept stale');
});

t.test('too many purges during one render: renders that began before are not trusted', async (t) => {
  const cache = new ResponseCache({ maxBytes: 1e6 });
  const ticket = cache.begin();
  cache.purge(Array.from({ length: 50_001 }, (_, i) => `p-${i}`));
  cache.store(ticket, response('/a/', ['unrelated']));
  t.notOk(cache.fresh('/a/'));
  stored(cache, response('/b/', ['unrelated']));
  t.ok(cache.fresh('/b/'), 'later renders are');
});

t.test('evicted responses leave the key index', async (t) => {
  const cache = new ResponseCache({ maxBytes: 2000 });
  for (let i = 0; i < 20; i++) stored(cache, response(`/${i}/`, ['shared', `p-${i}`], 1000));
  t.notOk(cache.last('/0/'), 'the oldest were evicted');
  t.ok(cache.fresh('/19/'));
  t.equal(cache.purge(['shared']), 1, 'only what is still cached is counted');
});
