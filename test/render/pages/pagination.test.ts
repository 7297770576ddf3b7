import t from 'tap';
import { paginate, parsePageNumber } from '../../../src/render/pages/pagination.js';

const url = (n: number) => (n === 1 ? '/' : `/page/${n}/`);

t.test('pages of a list', async (t) => {
  const items = Array.from({ length: 25 }, (_, i) => i);
  const p1 = paginate(items, 1, 10, url)!;
  t.same(p1.items, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.same([p1.pagination.prev, p1.pagination.next, p1.pagination.total], [null, '/page/2/', 3]);
  const p3 = paginate(items, 3, 10, url)!;
  t.same(p3.items, [20, 21, 22, 23, 24]);
  t.equal(p3.pagination.next, null);
  t.equal(paginate(items, 4, 10, url), null);
  t.equal(paginate(items, 0, 10, url), null);
  t.same(paginate([], 1, 10, url)?.items, [], 'page 1 exists even when empty');
});

t.test('page links: first, last and a window with gaps', async (t) => {
  const items = Array.from({ length: 400 }, (_, i) => i);
  const pages = paginate(items, 20, 10, url)!.pagination.pages;
  t.same(pages.map((p) => p.number), [1, 18, 19, 20, 21, 22, 40]);
  t.same(pages.map((p) => p.gapBefore), [false, true, false, false, false, false, true]);
  t.ok(pages.find((p) => p.number === 20)?.current);
});

t.test('parsePageNumber', async (t) => {
  t.equal(parsePageNumber(undefined), 1);
  t.equal(parsePageNumber('7'), 7);
  for (const bad of ['0', '01', '-1', '1.5', 'x', '', '9999999999']) t.equal(parsePageNumber(bad), null, bad);
});
