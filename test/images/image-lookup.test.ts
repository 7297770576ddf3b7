// Facts read before a view-model is built, looked up by the path as a post writes it.
import t from 'tap';
import { imageKey } from '../../src/content/cache-keys.js';
import { lookupOf, NO_IMAGES, publicSourceOf } from '../../src/images/image-lookup.js';

t.test('paths as posts write them, decoded; remote and escaping ones are not public', async (t) => {
  t.equal(publicSourceOf('assets/a%20b.jpg'), '/assets/a b.jpg');
  t.equal(publicSourceOf('/assets/a b.jpg'), '/assets/a b.jpg');
  t.equal(publicSourceOf('https://cdn.example.org/a.jpg'), null);
  t.equal(publicSourceOf('../etc/passwd'), null);
});

t.test('a lookup answers for every spelling, and keys each picture once', async (t) => {
  const facts = { kind: 'broken' as const, source: '/assets/a b.jpg', reason: 'x', size: 1, mtimeMs: 1 };
  const lookup = lookupOf(new Map([['/assets/a b.jpg', facts], ['/assets/gone.jpg', null]]));
  t.equal(lookup.factsOf('assets/a%20b.jpg'), facts);
  t.equal(lookup.factsOf('/assets/gone.jpg'), null);
  t.equal(lookup.factsOf('/assets/other.jpg'), null, 'not asked for');
  t.equal(lookup.factsOf('https://cdn.example.org/a.jpg'), null);
  t.same(lookup.keys, [imageKey('/assets/a b.jpg'), imageKey('/assets/gone.jpg')]);
  t.match(imageKey('/assets/a b.jpg'), /^i-[0-9a-f]{12}$/, 'a key every CDN accepts');
  t.equal(NO_IMAGES.factsOf('/assets/a b.jpg'), null);
  t.same(NO_IMAGES.keys, []);
});
