import t from 'tap';
import { cleanText, sliceText } from '../../src/content/clean-text.js';
import { decodePostBytes } from '../../src/content/decode-text.js';
import { truncateAtWord } from '../../src/content/summary.js';
import { normalizeQuery } from '../../src/search/search-text.js';

/** The rule, written independently: what no published text may hold. */
function isUnusable(cp: number): boolean {
  const control = (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || (cp >= 0x7f && cp <= 0x9f);
  const noncharacter = (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
  return control || noncharacter;
}

t.test('every code point: controls and noncharacters go, everything else stays', async (t) => {
  const wrong: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const char = String.fromCodePoint(cp);
    const expected = isUnusable(cp) ? 'ab' : `a${char}b`;
    if (cleanText(`a${char}b`) !== expected) wrong.push(cp.toString(16));
  }
  t.same(wrong, [], 'no code point treated against the rule');
});

t.test('an unpaired surrogate becomes U+FFFD; pairs stay', async (t) => {
  t.equal(cleanText('a\uD800b'), 'a\uFFFDb', 'a high half alone');
  t.equal(cleanText('a\uDC00b'), 'a\uFFFDb', 'a low half alone');
  t.equal(cleanText('\uDC00\uD800'), '\uFFFD\uFFFD', 'two halves in the wrong order');
  t.equal(cleanText('end\uD83D'), 'end\uFFFD', 'cut at the end');
  t.equal(cleanText('rocket \u{1F680} \u{10FFFD}'), 'rocket \u{1F680} \u{10FFFD}');
  t.equal(cleanText('\u{1FFFE}\u{10FFFF}'), '', 'noncharacters of the other planes are pairs too');
});

t.test('clean text is returned as it is', async (t) => {
  const text = 'Here’s “news” — café, 北京, \u{1F680}\ttab\r\nline';
  t.equal(cleanText(text), text);
});

t.test('decoded files are clean, whatever the encoding', async (t) => {
  const bad = 'Title\u0001\u000C\uFFFE\u{1FFFE} here\u007F\u0085';
  t.equal(decodePostBytes(Buffer.from(bad, 'utf8')).text, 'Title here');
  t.equal(decodePostBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${bad}\uD800`, 'utf16le')])).text, 'Title here\uFFFD');
  // Windows-1252 keeps its five unassigned bytes as C1 controls.
  t.equal(decodePostBytes(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x01])).text, 'café');
  t.equal(decodePostBytes(Buffer.from('â€œquotedâ€\u009d', 'utf8')).text, '“quoted”', 'mojibake is repaired before the clean-up');
});

t.test('cuts never leave half a character', async (t) => {
  const rocket = '\u{1F680}';
  t.equal(sliceText(`abc${rocket}`, 4), 'abc', 'one fewer rather than half a pair');
  t.equal(sliceText(`abc${rocket}`, 5), `abc${rocket}`);
  t.equal(sliceText(`ab${rocket}`, 3), 'ab');
  t.equal(sliceText('abcdef', 3), 'abc');
  t.equal(sliceText('ab', 3), 'ab');
  t.equal(truncateAtWord(`${'x'.repeat(9)}${rocket}yyyy`, 10), `${'x'.repeat(9)}…`, 'an excerpt');
  t.equal(normalizeQuery(`${'q'.repeat(199)}${rocket}`), 'q'.repeat(199), 'a search query');
  t.equal(normalizeQuery('a\u0001b\uFFFE c'), 'ab c', 'a search query is cleaned');
});
