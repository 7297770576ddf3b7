// The Liquid a Jekyll post body carries, read as Jekyll would before Markdown: what each
// supported tag becomes, and that nothing else ever shows as literal braces. Pure.
import t from 'tap';
import { renderLiquid, scanLiquid, type LiquidContext } from '../../src/content/liquid.js';

const ctx: LiquidContext = {
  siteUrl: 'https://news.example.com',
  siteTitle: 'The Test Times',
  siteDescription: 'News.',
  links: { 'post_url:2025-01-01-other': '/2025/01/01/other/', 'link:_posts/more.md': '/more/' },
};

t.test('site variables and their filters', async (t) => {
  t.equal(renderLiquid('[a]({{ site.baseurl }}/x/)', ctx), '[a](/x/)', 'the site is served from its root');
  t.equal(renderLiquid('{{site.url}}/x/', ctx), 'https://news.example.com/x/');
  t.equal(renderLiquid('{{ site.title }}: {{ site.description }}', ctx), 'The Test Times: News.');
  t.equal(renderLiquid("{{ '/img/a.png' | relative_url }}", ctx), '/img/a.png');
  t.equal(renderLiquid("{{ 'img/a.png' | relative_url }}", ctx), '/img/a.png');
  t.equal(renderLiquid("{{ 'img/a.png' | absolute_url }}", ctx), 'https://news.example.com/img/a.png');
  t.equal(renderLiquid("{{ '/a.png' | absolute_url }}", ctx), 'https://news.example.com/a.png');
  t.equal(renderLiquid("{{ 'https://cdn.example/a.png' | absolute_url }}", ctx), 'https://cdn.example/a.png');
  t.equal(renderLiquid('{{ site.baseurl | prepend: site.url }}/x', ctx), 'https://news.example.com/x');
  t.equal(renderLiquid('{{ "/x" | append: "/y" }}', ctx), '/x/y');
  t.equal(renderLiquid('{{ "/x" | prepend: page.nope }}', ctx), '/x', 'an unknown argument is empty');
  t.equal(renderLiquid('a{{ page.title }}b{{ site.url | upcase }}c{{- site.title -}}', ctx), 'abcThe Test Times', 'anything unknown renders empty');
});

t.test('tags', async (t) => {
  t.equal(renderLiquid('[x]({% post_url 2025-01-01-other %})', ctx), '[x](/2025/01/01/other/)');
  t.equal(renderLiquid('[x]({% link _posts/more.md %})', ctx), '[x](/more/)');
  t.equal(renderLiquid('[x]({% post_url missing %})', ctx), '[x]()', 'a post that is not there: empty');
  t.equal(renderLiquid('a {% raw %}{{ page.title }} {% if x %}{% endraw %} b', ctx), 'a {{ page.title }} {% if x %} b', 'raw text as written');
  t.equal(renderLiquid('a {%- raw -%}{{ x }}', ctx), 'a {{ x }}', 'an unclosed raw runs to the end');
  t.equal(renderLiquid('a{% comment %}hidden {{ x }}{% endcomment %}b', ctx), 'ab');
  t.equal(renderLiquid('a{% comment %}never closed', ctx), 'a');
  t.equal(renderLiquid('{% if site.x %}shown{% else %}also{% endif %} {% include a.html %}{% tweet 1 %}', ctx), 'shownalso ', 'other tags are dropped, their text stays');
  t.equal(renderLiquid('no liquid here', ctx), 'no liquid here');
});

t.test('highlight becomes a fenced code block', async (t) => {
  t.equal(renderLiquid('Before\n{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\nAfter', ctx), 'Before\n\n\n```ruby\nputs 1\n```\n\n\nAfter');
  t.equal(renderLiquid('{% highlight js %}\na = `b` + ```c```\n{% endhighlight %}', ctx), '\n\n````js\na = `b` + ```c```\n````\n\n', 'a fence longer than any backtick run inside');
  t.equal(renderLiquid('{% highlight "><script> %}x{% endhighlight %}', ctx), '\n\n```\nx\n```\n\n', 'a language that is not a word is dropped');
  t.equal(renderLiquid('{% highlight py %}\nnever closed', ctx), '\n\n```py\nnever closed\n```\n\n', 'an unclosed block keeps its code');
  t.equal(renderLiquid('{% endhighlight %}x', ctx), 'x', 'a stray end tag');
  t.equal(renderLiquid('{% highlight yaml %}{{ site.url }}{% endhighlight %}', ctx), '\n\n```yaml\nhttps://news.example.com\n```\n\n');
});

t.test('scanLiquid finds what a body asks for without rendering it', async (t) => {
  t.same(scanLiquid('plain'), { includes: [], unsupported: [], links: [] });
  t.same(scanLiquid('{% post_url a %}{% post_url a %}{% link "b.md" %}{% link %}{% include x.html a=1 %}{% include x.html %}{% gist 1 %}{% gist 2 %}{{ x }}{% highlight r %}{% endhighlight %}'), {
    includes: ['x.html'],
    unsupported: ['gist'],
    links: ['post_url:a', 'link:b.md'],
  });
});
