import t from 'tap';
import { MAX_SLUG_LENGTH, parseJekyllName, slugify } from '../../src/content/slug.js';

t.test('slugify: lower-case ASCII words joined by -', async (t) => {
  const cases: [string, string][] = [
    ['Council approves $412 million budget', 'council-approves-412-million-budget'],
    ['Café déjà vu à Zürich', 'cafe-deja-vu-a-zurich'],
    ['Straße, Æsir & Øresund', 'strasse-aesir-and-oresund'],
    ['Here’s why it’s news', 'heres-why-its-news'],
    ['  --Multiple   spaces--  ', 'multiple-spaces'],
    ['AI', 'ai'],
    ['Rock & Roll', 'rock-and-roll'],
    ['北京', ''],
    ['🚀🚀', ''],
  ];
  for (const [input, expected] of cases) t.equal(slugify(input), expected, input);
});

t.test('slugify: at most 80 characters, cut at a word boundary', async (t) => {
  const title = 'word '.repeat(40);
  const slug = slugify(title);
  t.ok(slug.length <= MAX_SLUG_LENGTH);
  t.notOk(slug.endsWith('-'));
  t.match(slug, /^(word-)*word$/);
  t.equal(slugify('x'.repeat(120)), 'x'.repeat(80), 'one long word is cut, not dropped');
});

t.test('parseJekyllName reads the date and slug part', async (t) => {
  t.same(parseJekyllName('2025-09-25-some-title'), { year: 2025, month: 9, day: 25, slug: 'some-title' });
  t.same(parseJekyllName('2025-09-25-Some_Title'), { year: 2025, month: 9, day: 25, slug: 'some-title' });
  t.equal(parseJekyllName('000_76a0201d3f52631f'), null, 'hash names carry no slug');
  t.equal(parseJekyllName('2025-09-25'), null);
});
