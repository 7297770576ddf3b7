// A post page is rendered around its body while the Markdown worker renders the body
// (PendingPart): the body lands where the template puts it, once, and the marker that
// held its place never reaches a reader.
import t from 'tap';
import { PendingPart } from '../../src/http/page-cache.js';
import { toErrorPage } from '../../src/render/pages/to-pages.js';
import { build, makeSite, postText } from '../helpers/build.js';

t.test('the body takes its place in the page, once, and no marker is left', async (t) => {
  const body = '## Tide tables\n\nThe harbour opens at <b>dawn</b>.\n\n<!--body a comment of our own-->\n';
  const { app } = await build(t, makeSite(t, { 'a.md': postText({ title: 'Harbour opens', date: '2025-09-01T10:00:00Z' }, body) }));
  const response = await app.inject('/2025/09/01/harbour-opens/');
  t.equal(response.statusCode, 200);
  const html = response.body;
  t.equal(html.match(/<h2[^>]*>Tide tables<\/h2>/g)?.length, 1, 'the body once');
  const article = html.indexOf('<h1');
  t.ok(article > 0 && html.indexOf('<b>dawn</b>') > article, 'after the headline, where the template shows it');
  t.notMatch(html, /<!--body /, 'neither the marker nor the comment in the post (the sanitiser drops comments)');
});

t.test('a template that does not show the part is a server error, logged, never a page without its body', async (t) => {
  const { app, logs } = await build(t, makeSite(t, { 'a.md': postText({ title: 'A', date: '2025-09-01' }) }), {}, {
    beforeReady: (app) =>
      app.get('/misplaced/', (_request, reply) =>
        reply.sendPage({
          template: 'errors/error',
          keys: [],
          lastModified: new Date('2025-09-01T00:00:00Z'),
          // The error page escapes its message: the marker never reaches the page raw.
          build: () => new PendingPart(toErrorPage(app.site, app.content.snapshot, 404), '<!--part-->', Promise.resolve('<p>part</p>')),
        })),
  });
  const response = await app.inject('/misplaced/');
  t.equal(response.statusCode, 500);
  t.notMatch(response.body, /<p>part<\/p>/);
  t.ok(logs.some((l) => /the template errors\/error does not show the part it was given/.test(JSON.stringify(l))), 'logged with the template named');
  t.equal((await app.inject('/misplaced/')).statusCode, 500, 'and not cached');
});

t.test('a part that fails fails the page, even when the template is rendered first', async (t) => {
  const { app } = await build(t, makeSite(t, { 'a.md': postText({ title: 'A', date: '2025-09-01' }) }), {}, {
    beforeReady: (app) =>
      app.get('/failing/', (_request, reply) =>
        reply.sendPage({
          template: 'errors/error',
          keys: [],
          lastModified: new Date('2025-09-01T00:00:00Z'),
          build: () => new PendingPart(toErrorPage(app.site, app.content.snapshot, 404), '<!--part-->', new Promise((_resolve, reject) => setTimeout(() => reject(new Error('the worker gave up')), 20))),
        })),
  });
  t.equal((await app.inject('/failing/')).statusCode, 500);
});
