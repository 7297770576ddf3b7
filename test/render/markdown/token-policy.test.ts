// The token policy stands in for sanitize-html on bodies without raw HTML, so a body must
// come out exactly as the sanitizer writes it: compared here, byte for byte, with plain
// markdown-it followed by sanitize-html, on tricky cases, the sample posts and random
// Markdown. And the bodies that skip the sanitizer are the ones that can.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import t from 'tap';
import { cleanText } from '../../../src/content/clean-text.js';
import { renderLiquid } from '../../../src/content/liquid.js';
import { createMarkdownRenderer, sanitizeOptionsFor } from '../../../src/render/markdown/markdown.js';
import { createTokenPolicy } from '../../../src/render/markdown/token-policy.js';

const site = { siteUrl: 'https://news.example.com', embedHosts: ['www.youtube.com'] };
const md = createMarkdownRenderer(site);
const plain = new MarkdownIt({ html: true, linkify: true, typographer: false });
const sanitizeOptions = sanitizeOptionsFor(site);
const liquid = { siteUrl: site.siteUrl, siteTitle: '', siteDescription: '', links: {} };

/** What every body went through before: markdown-it's own HTML, then the sanitizer. */
function sanitized(markdown: string): string {
  return cleanText(sanitizeHtml(plain.render(renderLiquid(markdown, liquid)), sanitizeOptions));
}

const policy = createTokenPolicy(sanitizeOptions, { filteredTags: ['iframe'] });
function skipsSanitizer(markdown: string): boolean {
  return policy(plain.parse(renderLiquid(markdown, liquid), {}));
}

const CASES = [
  'Plain text with "quotes", \'apostrophes\', & ampersands, a < b and c > d.',
  '# Heading "one"\n\n## Two & three\n\n###### Six',
  '[web](https://other.example/a?b=1&c=2#d "A \\"title\\"") [own](https://news.example.com/x) [HTTP](HTTP://other.example)',
  '[rel](/2026/01/01/a/) [frag](#part) [query](?page=2) [bare](page.html) [up](../x) [empty]() [space](<a b>)',
  '[mail](mailto:desk@example.com) [tel](tel:+441234) [ftp](ftp://files.example/x) [odd](foo:bar) [js](javascript:alert(1))',
  '[proto](//evil.example/x) [slashes](/\\evil.example) [data](data:text/html,x) [vb](VBSCRIPT:x)',
  '<https://auto.example/x> <mailto:a@b.example> <desk@example.com> www.linkify.example and https://bare.example/p?q=1.',
  '![Harbour "at" dawn](assets/a.jpg "Its title") ![Up](../../etc/passwd) ![Abs](/images/b.png) ![Q](./c/d.jpg?x=1#y)',
  '![Remote](https://cdn.example.org/c.jpg) ![Proto](//cdn.example.org/c.jpg) ![Data](data:image/png;base64,iVBORw0KGgo=) ![Ftp](ftp://x/y.jpg) ![]()',
  '![*Emphasis* and `code` in alt](a.jpg) [![Linked picture](b.jpg)](https://other.example/)',
  '| Left | Centre | Right | None |\n|:-----|:------:|------:|------|\n| "a" | b & c | <d | e |',
  '```js\nconst a = "b" && c < d;\n```\n\n```a<b "c"\nx\n```\n\n```\nno info\n```\n\n~~~ {.class} extra\ny\n~~~',
  '    indented "code" & <stuff>\n\nInline `code "with" <b> & quotes`.',
  'Entities: &quot; &amp; &copy; &#0; &#x1F600; &nbsp; &lt;b&gt; &notanentity; &#x110000;',
  'Hard  \nbreak and\\\nbackslash break. ~~struck~~ *em* **strong** ***both***',
  '1. one\n2. two\n\n3. three\n\n- a\n  - nested "b"\n\n5) five\n6) six',
  '> Quote "with" **strong**\n>\n> > nested\n\n---\n\n***\n',
  'Escapes: \\<b\\> \\& \\* \\[not a link\\](x)',
  'Controls: \u0001 \u0007 \u000b \u000c \u2028 \u202e \uFEFF \uFFFE and \r\nCRLF\r\nlines and NUL \u0000 here.',
  'Unicode: Ünïcödé, 北京, العربية, 🚀, e\u0301.',
  'Liquid: {{ site.url }}/x and [home]({{ site.url }}/) and {% raw %}{{ kept }}{% endraw %}',
  '[ref link][1] and [other][Two]\n\n[1]: https://other.example/ref "Ref title"\n[two]: /local',
  '<b>raw</b> HTML and <!-- a comment --> and <span class="x">span</span>',
  '<a href="https://other.example" rel="opener">raw link</a>\n\n<iframe src="https://www.youtube.com/embed/x"></iframe>',
  'a <notatag and 1<2 and <3 and <> and </>',
  // An attribute left open in raw HTML: the quotes after it are the sanitizer's to read.
  '<figure class="wide>\n\nHe said "hello" to the crowd.\n\n</figure>\n\nNext paragraph.',
  '[a link](https://other.example/) before <h2 id="intro>\n\nSome "quoted" words, ![a](b.jpg) & more.',
];

t.test('each tricky case comes out exactly as the sanitizer writes it', async (t) => {
  CASES.forEach((markdown, i) => t.equal(md.render(markdown), sanitized(markdown), `case ${i + 1}`));
});

t.test('the sample posts come out exactly as the sanitizer writes them', async (t) => {
  const dir = path.resolve(import.meta.dirname, '../../../posts');
  const files = fs.readdirSync(dir).filter((name) => /\.(md|markdown|txt)$/.test(name));
  t.ok(files.length >= 10);
  let skipped = 0;
  for (const name of files) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const body = text.slice(text.indexOf('\n---', 3) + 4);
    t.equal(md.render(body), sanitized(body), name);
    if (skipsSanitizer(body)) skipped++;
  }
  t.ok(skipped >= files.length / 2, `most sample posts skip the sanitizer (${skipped} of ${files.length})`);
});

t.test('only bodies whose every element the allowlist keeps skip the sanitizer', async (t) => {
  t.ok(skipsSanitizer('# Title\n\nText with [a link](https://other.example/) and ![a picture](a.jpg).\n\n| a |\n|:-:|\n| b |'));
  t.ok(skipsSanitizer('```js\nx\n```\n\n[mail](mailto:a@b.example) [relative](/x) [fragment](#y)'));
  t.notOk(skipsSanitizer('Some <b>raw</b> HTML'), 'raw HTML');
  t.notOk(skipsSanitizer('<div>\nblock\n</div>'), 'raw HTML block');
  t.notOk(skipsSanitizer('[x](ftp://files.example/)'), 'a scheme the sanitizer removes');
  t.notOk(skipsSanitizer('![x](data:image/png;base64,iVBORw0KGgo=)'), 'a picture from data:');
  t.notOk(skipsSanitizer('[x](//evil.example/)'), 'protocol-relative');
  t.notOk(skipsSanitizer('[x]()'), 'an empty URL, which the sanitizer drops');
  // markdown-it percent-encodes these, but the sanitizer strips them before reading a
  // scheme (a tab inside `javascript:`), so a URL that still has them is left to it.
  for (const odd of ['/a b', '/a\u0001b', 'java\tscript:x', '/a<!--x-->b']) {
    const tokens = plain.parse('[x](/y)', {});
    tokens[1]!.children![0]!.attrs = [['href', odd]];
    t.notOk(policy(tokens), JSON.stringify(odd));
  }
  t.ok(skipsSanitizer('![x](../../up.jpg)'), 'a picture path that climbs out loses its src here as there');
});

t.test('tokens that do not follow the policy are left as they were', async (t) => {
  const tokens = plain.parse('[out](https://other.example/) ![p](pic.jpg) <b>raw</b>', {});
  const before = JSON.stringify(tokens);
  t.notOk(policy(tokens));
  t.equal(JSON.stringify(tokens), before, 'no rel, no rooted src, no lazy loading');
});

t.test('a policy it cannot follow is refused when made', async (t) => {
  const unfollowed: [string, sanitizeHtml.IOptions][] = [
    ['textFilter', { textFilter: (text) => text }],
    ['nestingLimit', { nestingLimit: 5 }],
    ['onOpenTag', { onOpenTag: () => {} }],
    ['selfClosing', { selfClosing: ['br'] }],
    ['allowedStyles', { allowedStyles: {} }],
    ["transformTags['*']", { transformTags: { '*': (tagName, attribs) => ({ tagName, attribs }) } }],
    ['parser.decodeEntities: false', { parser: { decodeEntities: false } }],
    ['exclusiveFilter (without filteredTags)', { exclusiveFilter: () => false }],
  ];
  for (const [name, options] of unfollowed) t.throws(() => createTokenPolicy(options), { message: `the token policy cannot follow ${name}` }, name);
  const iframes = createTokenPolicy({ exclusiveFilter: () => false }, { filteredTags: ['p'] });
  t.notOk(iframes(plain.parse('text', {})), 'an element the filter looks at is left to the sanitizer');
  t.ok(createTokenPolicy({}, { filteredTags: ['iframe'] })(plain.parse('text', {})));
  const noLanguages = createTokenPolicy({ allowedTags: ['pre', 'code'], allowedAttributes: { code: ['class'] } });
  t.notOk(noLanguages(plain.parse('```js\nx\n```', {})), 'a language class the sanitizer would not keep');
  t.ok(noLanguages(plain.parse('```\nx\n```', {})), 'a fenced block without one');
  t.ok(createTokenPolicy({ allowedEmptyAttributes: ['href'] } as sanitizeHtml.IOptions)(plain.parse('[x]()', {})), 'empty attributes the sanitizer keeps');
  t.throws(() => createTokenPolicy({ allowedTags: false }), /needs lists of the allowed tags and attributes/);
  t.throws(() => createTokenPolicy({ allowedAttributes: false }), /needs lists/);
  t.throws(() => createTokenPolicy({ allowedAttributes: { a: ['data-*'] } }), /cannot follow the attribute rules of <a>/);
  t.throws(() => createTokenPolicy({ allowedAttributes: { a: [{ name: 'rel', values: ['x'] }] } }), /<a>/);
  t.notOk(createTokenPolicy({ allowedTags: ['p'] })(plain.parse('*x*', {})), 'a tag the sanitizer would not keep');
  const renamed = createTokenPolicy({ allowedTags: ['p', 'em'], allowedAttributes: {}, transformTags: { em: 'i' } });
  t.notOk(renamed(plain.parse('*x*', {})), 'an element the sanitizer renames');
  const withText = createTokenPolicy({ allowedTags: ['p', 'em'], allowedAttributes: {}, transformTags: { em: (tagName) => ({ tagName, attribs: {}, text: 'y' }) } });
  t.notOk(withText(plain.parse('*x*', {})), 'an element whose text the sanitizer replaces');
  const otherTag = createTokenPolicy({ allowedTags: ['p', 'em', 'i'], allowedAttributes: {}, transformTags: { em: () => ({ tagName: 'i', attribs: {} }) } });
  t.notOk(otherTag(plain.parse('*x*', {})), 'an element the sanitizer turns into another');
  const classes = createTokenPolicy({ allowedTags: ['p', 'a'], allowedAttributes: { a: ['href', 'class'] }, transformTags: { a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, class: 'x' } }) } });
  t.notOk(classes(plain.parse('[x](/y)', {})), 'classes, which have an allowlist of their own');
  const everywhere = createTokenPolicy({ allowedTags: ['p', 'a'], allowedAttributes: { '*': ['title'], a: ['href'] }, allowedSchemes: false });
  const tokens = plain.parse('[x](/y "T")', {});
  t.ok(everywhere(tokens), 'attributes allowed on every tag');
  t.same(tokens[1]!.children![0]!.attrs, [['href', '/y'], ['title', 'T']]);
  t.notOk(everywhere(plain.parse('[x](https://a.example/)', {})), 'no scheme is allowed when none are listed');
  const relative = createTokenPolicy({ allowedTags: ['p', 'a'], allowedAttributes: { a: ['href'] }, allowedSchemesByTag: true });
  t.ok(relative(plain.parse('[x](//a.example/)', {})), 'protocol-relative URLs when the sanitizer allows them');
});

// Markdown from pieces that interact: structure, inline syntax, URLs, hostile characters.
const PIECES = [
  '#', '##', '-', '1.', '3)', '>', '```', '~~~', '    ', '|', '|:-', '-:|', '---', '***', '*', '**', '_', '~~', '`', '\\',
  '[', ']', '(', ')', '![', '](', '"', "'", '<', '>', '&', '&amp;', '&quot;', '&#65;', '&nbsp;', '\n', '\n\n', '  \n', ' ',
  'https://other.example/p?q=1&r=2', 'https://news.example.com/own', 'mailto:a@b.example', 'tel:+1', 'ftp://x', 'javascript:x',
  'data:image/png;base64,AA', '//proto.example', '/root/path', '../up', 'rel/pic.jpg', '#frag', 'www.link.example', 'a@b.example',
  '<b>', '</b>', '<span title="', '<a href="', '<https://auto.example>', '<!--', '-->', 'word', 'two words', 'Ü北🚀', '\u0001', '\u2028', '\uFFFE', '{{ site.url }}',
];
const markdownText = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 })), { maxLength: 40 }).map((parts) => parts.join(''));

t.test('random Markdown comes out exactly as the sanitizer writes it', async (t) => {
  let skipped = 0;
  let runs = 0;
  fc.assert(
    fc.property(markdownText, (markdown) => {
      runs++;
      if (skipsSanitizer(markdown)) skipped++;
      return md.render(markdown) === sanitized(markdown);
    }),
    { numRuns: 3000 },
  );
  t.ok(skipped > runs / 4, `a good share skipped the sanitizer (${skipped} of ${runs})`);
});
