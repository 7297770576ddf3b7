import t from 'tap';
import { createMarkdownRenderer } from '../../../src/render/markdown/markdown.js';

const md = createMarkdownRenderer({ siteUrl: 'https://news.example.com', embedHosts: ['www.youtube.com'] });

t.test('Markdown renders', async (t) => {
  t.equal(md.render('# Title\n\nSome **bold** text.').trim(), '<h1>Title</h1>\n<p>Some <strong>bold</strong> text.</p>');
  t.match(md.render('| a | b |\n|---|---|\n| 1 | 2 |'), /<table>/);
  t.match(md.render('```js\nx()\n```'), /<pre><code class="language-js">x\(\)/);
});

t.test('raw HTML cannot inject script', async (t) => {
  const attacks = [
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '[x](javascript:alert(1))',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<svg onload=alert(1)><circle/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<div style="position:fixed;inset:0">overlay</div>',
    '<style>body{display:none}</style>',
    '<object data="x.swf"></object>',
    '<form action="https://evil.example"><input name=a></form>',
    '![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
  ];
  for (const attack of attacks) {
    const html = md.render(`Before\n\n${attack}\n\nAfter`);
    t.notMatch(html, /<script|onerror|onload|(?:href|src)="?\s*(?:javascript|vbscript|data):|<iframe|style=|<style|<object|<form|<input|<meta|<base|<svg/i, attack);
    t.match(html, /After/, `${attack}: the rest of the post survives`);
  }
});

t.test('allowed embeds and links', async (t) => {
  const yt = md.render('<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" allowfullscreen></iframe>');
  t.match(yt, /<iframe src="https:\/\/www\.youtube\.com\/embed\/abc"/);
  t.match(yt, /sandbox="allow-scripts allow-same-origin allow-presentation allow-popups"/);
  const external = md.render('[a](https://other.example/x) [b](https://news.example.com/y) [c](/z) <a href="https://other.example" rel="opener">d</a>');
  t.match(external, /<a href="https:\/\/other\.example\/x" rel="noopener noreferrer">a<\/a>/);
  t.match(external, /<a href="https:\/\/news\.example\.com\/y">b<\/a>/, 'own links stay as they are');
  t.match(external, /<a href="\/z">c<\/a>/);
  t.match(external, /<a href="https:\/\/other\.example" rel="noopener noreferrer">d<\/a>/, 'a rel from the post is replaced');
  t.match(md.render('<a href="mailto:desk@example.com">mail</a>'), /href="mailto:desk@example\.com"/);
});

t.test('images: lazy, relative paths made root-relative, Jekyll baseurl dropped', async (t) => {
  const html = md.render('![Harbour](assets/images/a.jpg)\n\n![B]({{ site.baseurl }}/assets/b.jpg)\n\n![C](https://cdn.example.org/c.jpg)');
  t.match(html, /<img src="\/assets\/images\/a\.jpg" alt="Harbour" loading="lazy" decoding="async" \/>/);
  t.match(html, /<img src="\/assets\/b\.jpg" alt="B"/);
  t.match(html, /<img src="https:\/\/cdn\.example\.org\/c\.jpg"/);
});


t.test('a relative image path that climbs out of the site loses its src', async (t) => {
  t.match(md.render('![x](../../etc/passwd)'), /<img alt="x" loading="lazy" decoding="async" \/>/);
});

t.test('an image without src is harmless', async (t) => {
  t.match(md.render('<img alt="nothing">'), /<img alt="nothing" loading="lazy" decoding="async" \/>/);
});

t.test('a link with an unparsable URL counts as external', async (t) => {
  t.match(md.render('<a href="https://exa mple.com/">x</a>'), /rel="noopener noreferrer"/);
});

t.test('toc: true: headings get ids, and a nested table of contents goes first', async (t) => {
  const toc = { toc: true, links: {} };
  const html = md.render('## Main\n\nText\n\n#### Deep `code` & <b>bold</b>\n\n### Next\n\n##\n\n# Top again\n\n## Main', toc);
  t.equal(
    html.slice(0, html.indexOf('</nav>') + 6),
    '<nav class="toc" aria-label="Contents"><h2 class="toc__title">Contents</h2><ol>' +
      '<li><a href="#main-2">Main</a><ol><li><a href="#deep-code-and-bold">Deep code &amp; bold</a></li><li><a href="#next">Next</a></li></ol></li>' +
      '<li><a href="#top-again">Top again</a><ol><li><a href="#main-3">Main</a></li></ol></li></ol></nav>',
    "ids never take the page's own (main), nor each other's; a jump of levels nests one deeper, and what follows by its level",
  );
  t.match(html, /<h2 id="main-2">Main<\/h2>/);
  t.match(html, /<h4 id="deep-code-and-bold">Deep <code>code<\/code> &amp; <b>bold<\/b><\/h4>/);
  t.equal(md.render('No headings at all.', toc), '<p>No headings at all.</p>\n', 'nothing to list: no table');
  t.equal(md.render('## <b></b>', toc), '<h2><b></b></h2>\n', 'a heading without text is not listed');
  t.match(md.render('# Über uns', toc), /<h1 id="uber-uns">/);
  t.match(md.render('# !!!', toc), /<h1 id="section">/, 'a heading with no letters');
  t.notMatch(md.render('## A heading'), /id=/, 'without toc, headings keep no ids');
});

t.test('deep nesting is capped at three levels', async (t) => {
  const html = md.render('# A\n\n## B\n\n### C\n\n#### D\n\n# E', { toc: true, links: {} });
  t.match(html, /<ol><li><a href="#a">A<\/a><ol><li><a href="#b">B<\/a><ol><li><a href="#c">C<\/a><\/li><li><a href="#d">D<\/a><\/li><\/ol><\/li><\/ol><\/li><li><a href="#e">E<\/a><\/li><\/ol>/);
});

t.test("the body's Liquid is read before Markdown", async (t) => {
  const site = createMarkdownRenderer({ siteUrl: 'https://news.example.com', embedHosts: [], siteTitle: 'T', siteDescription: 'D' });
  const html = site.render('[old]({% post_url 2025-01-01-a %}) {{ site.title }}\n\n{% highlight js %}\n<b>x</b>\n{% endhighlight %}', { toc: false, links: { 'post_url:2025-01-01-a': '/2025/01/01/a/' } });
  t.equal(html, '<p><a href="/2025/01/01/a/">old</a> T</p>\n<pre><code class="language-js">&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n');
  t.equal(md.render('{{ site.title }}|{{ site.description }}'), '<p>|</p>\n', 'without them, empty');
});
