import t from 'tap';
import { summarize, truncateAtWord } from '../../src/content/summary.js';

t.test('the first paragraph as plain text when there is no excerpt', async (t) => {
  t.equal(summarize(null, '## Heading\n\n![img](x.jpg)\n\n- a list\n\n> a quote\n\nThe *first* [real](http://x) `paragraph`\nwith a line break.\n\nSecond.'), 'The first real paragraph with a line break.');
  t.equal(summarize(null, '<div>html block</div>\n\nText &amp; more.'), 'Text & more.');
  t.equal(summarize(null, ''), '');
});

t.test('front matter excerpts are made plain text', async (t) => {
  t.equal(summarize('An **important** <b>story</b>', 'Body.'), 'An important story');
});

t.test('long excerpts are cut at a word boundary', async (t) => {
  const cut = summarize(null, 'word '.repeat(100));
  t.ok(cut.length <= 201);
  t.match(cut, /word…$/);
  t.equal(truncateAtWord('short', 10), 'short');
  t.equal(truncateAtWord('abcdefghijklmnop', 10), 'abcdefghij…', 'no space: hard cut');
  t.equal(truncateAtWord('one two, three four', 9), 'one two…', 'trailing punctuation dropped');
});
