import MarkdownIt from 'markdown-it';
import t from 'tap';
import type { Post } from '../../src/content/post.js';
import { createExcerpter, truncateAtWord } from '../../src/render/excerpt.js';

const excerptOf = createExcerpter(new MarkdownIt({ html: true }));
const post = (body: string, excerpt: string | null = null) => ({ body, excerpt }) as Post;

t.test('the first paragraph as plain text when there is no excerpt', async (t) => {
  t.equal(excerptOf(post('## Heading\n\n![img](x.jpg)\n\n- a list\n\n> a quote\n\nThe *first* [real](http://x) `paragraph`\nwith a line break.\n\nSecond.')), 'The first real paragraph with a line break.');
  t.equal(excerptOf(post('<div>html block</div>\n\nText &amp; more.')), 'Text & more.');
  t.equal(excerptOf(post('')), '');
});

t.test('front matter excerpts are made plain text', async (t) => {
  t.equal(excerptOf(post('Body.', 'An **important** <b>story</b>')), 'An important story');
});

t.test('long excerpts are cut at a word boundary', async (t) => {
  const long = 'word '.repeat(100);
  const cut = excerptOf(post(long));
  t.ok(cut.length <= 201);
  t.match(cut, /word…$/);
  t.equal(truncateAtWord('short', 10), 'short');
  t.equal(truncateAtWord('abcdefghijklmnop', 10), 'abcdefghij…', 'no space: hard cut');
  t.equal(truncateAtWord('one two, three four', 9), 'one two…', 'trailing punctuation dropped');
});

t.test('memoised per post', async (t) => {
  const p = post('Once.');
  t.equal(excerptOf(p), excerptOf(p));
});
