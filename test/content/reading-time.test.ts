// Reading time: the words a reader reads (code and markup left out), CJK by character,
// seconds for images, at least a minute.
import t from 'tap';
import { countReading, readingMinutes, DEFAULT_READING_RATES } from '../../src/content/reading-time.js';

const words = (markdown: string) => countReading(markdown).words;

t.test('words of the text a reader reads', async (t) => {
  t.equal(words('One two three.\n\nFour, five — six.'), 6, 'punctuation alone is no word');
  t.equal(words('## A heading\n\n- item one\n- item two\n\n> quoted words'), 8, 'markup characters are not words');
  t.equal(words('Some **bold** and _italic_ text with `code`.'), 7);
  t.equal(words('A [link to the report](https://example.org/a-b-c "title") and [a ref][r].\n\n[r]: https://example.org/r'), 8, 'link targets and definitions are not read');
  t.equal(words('| Party | Votes |\n|---|---:|\n| Greens | 1,204 |'), 4, 'tables: cells only');
  t.equal(words('Mehr Grün für Zürich, café crème.'), 6, 'any script');
  t.equal(words('Trailing\r\nCRLF\r\nlines'), 3);
  t.equal(words('Seen at <https://example.org/x> today.'), 4, 'an autolink reads as one word');
  t.equal(words('{{ site.baseurl }}/x and {% include y %} text'), 3, 'Liquid tags are dropped');
  t.equal(words('a < b and <3 and <b unclosed'), 7, 'a < that opens no tag is text');
  t.equal(words('10\u00a0km <i>10\u00a0km</i>'), 2, 'a no-break space joins, as on the page');
});

t.test('code is not read', async (t) => {
  t.equal(words('Before.\n\n```js\nconst a = 1;\nconst b = 2;\n```\n\nAfter.'), 2, 'fenced');
  t.equal(words('Before.\n\n~~~~\nnot read\n~~~\nstill code\n~~~~\nAfter.'), 2, 'a fence closes only with one at least as long');
  t.equal(words('Before.\n\n    indented code\n    more code\n\n    and more\nAfter.'), 2, 'indented');
  t.equal(words('- item\n\n    continued paragraph\n'), 3, 'an indented paragraph inside a list is text');
  t.equal(words('text\n    lazy continuation'), 3, 'an indented line right after text continues it');
  t.equal(words('A\n\n<pre>\nnot read\n</pre>\n\nB <pre>x</pre> C'), 3, 'raw <pre> blocks');
  t.equal(words('A <script>alert(1)</script> B <style>p{}</style>'), 2, 'what the sanitiser drops');
  t.equal(words('A <pre>never closed'), 1);
  t.equal(words('A <!-- a comment\nover lines --> B <!-- one --> C <!-- open'), 3, 'comments');
  t.equal(words('1. first\n2) second\n10. tenth\n\n    after a list'), 6, 'numbered lists');
  t.equal(words('x. not a list\n\n    code'), 4);
  t.equal(words('Hey! [a] b {c} <i>d</i>'), 5, 'a line with a tag is read character by character');
  t.equal(words('[link](unclosed target <b>x</b>'), 1, 'an unclosed link target runs to the line\'s end');
  t.equal(words('<b>x</b> {% unclosed and {{ also'), 4);
  t.equal(words('Été, Ωmega — and ¿qué?'), 4, 'words that start past ASCII; a dash alone is none');
  t.equal(words('<i>été</i> — naïve'), 2);
  t.equal(words('-x\n1.5 and 2)x'), 4, 'no list marker without a space after it');
  t.equal(words('see![x](y) and x{{ y }}z'), 4, 'markup right after a word ends it');
  t.equal(words('one ![x](y)\ntwo [a](b)\nthree {c}\nfour five\nsix'), 8, 'plain lines after lines with markup');
  t.equal(words('-\n-\titem\n*\tstar'), 2, 'a list marker alone, or before a tab');
  t.equal(words('text\n\n\tcode after a blank line'), 1, 'a tab indents code too');
});

t.test('images and CJK', async (t) => {
  t.same(countReading('Look: ![the harbour at dawn](/a.jpg) and <img src="/b.jpg" alt="x"> here.'), { words: 3, cjk: 0, images: 2 });
  t.same(countReading('![alt][ref] ![unclosed'), { words: 0, cjk: 0, images: 2 });
  t.same(countReading('人工智能模型 AI模型 한국어 텍스트'), { words: 1, cjk: 14, images: 0 }, 'CJK characters one by one');
  t.same(countReading('豈 ｱｲｳ ᄀ'), { words: 0, cjk: 5, images: 0 }, 'compatibility ideographs, half-width katakana, jamo');
  t.same(countReading('中文 <b>粗体</b> [链接](https://x.cn) `代码` — **强调** 𠀀'), { words: 0, cjk: 11, images: 0 }, 'markup read character by character too');
});

t.test('minutes: rate, images, at least one', async (t) => {
  const rates = DEFAULT_READING_RATES;
  t.equal(readingMinutes({ words: 0, cjk: 0, images: 0 }, rates, false), 1, 'at least a minute');
  t.equal(readingMinutes({ words: 265 * 4, cjk: 0, images: 0 }, rates, false), 4);
  t.equal(readingMinutes({ words: 265 * 4, cjk: 0, images: 0 }, { words: 530, cjk: 500 }, false), 2, 'the rate is configurable');
  t.equal(readingMinutes({ words: 0, cjk: 1500, images: 0 }, rates, false), 3, 'CJK at 500 characters a minute');
  // 12 + 11 + … + 3 (ten images) = 75 s, then 3 s each: 15 images = 90 s.
  t.equal(readingMinutes({ words: 265, cjk: 0, images: 14 }, rates, true), 3, 'images, the lead image too');
  t.equal(readingMinutes({ words: 265, cjk: 0, images: 1 }, rates, false), 1);
});
