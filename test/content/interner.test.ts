import t from 'tap';
import { Interner } from '../../src/content/interner.js';

t.test('the first value kept under a key is handed out for it again', async (t) => {
  const days = new Interner<{ day: number }>(10);
  const first = { day: 1 };
  t.equal(days.intern('2026/12/1', first), first);
  t.equal(days.intern('2026/12/1', { day: 1 }), first, 'an equal value is replaced by the kept one');
  const other = { day: 2 };
  t.equal(days.intern('2026/12/2', other), other, 'another key keeps its own');
});

t.test('past its bound it forgets what it kept, and keeps again', async (t) => {
  const tags = new Interner<{ slug: string }>(2);
  const a = tags.intern('a', { slug: 'a' });
  tags.intern('b', { slug: 'b' });
  t.equal(tags.intern('a', { slug: 'a' }), a, 'still kept at the bound');
  const c = { slug: 'c' };
  t.equal(tags.intern('c', c), c, 'a third key is kept');
  const a2 = { slug: 'a' };
  t.equal(tags.intern('a', a2), a2, 'the earlier keys were forgotten to make room');
  t.equal(tags.intern('c', { slug: 'c' }), c, 'the third stays');
});
