// The Ghost-compatible Content API, read by Ghost's own JavaScript client
// (@tryghost/content-api) from a real listening server: posts, tags, authors and
// settings, pagination, filters, fields and formats, errors in Ghost's format, CORS,
// and caching like pages.
import { createRequire } from 'node:module';
import type { GhostAPI, GhostContentAPIOptions } from '@tryghost/content-api';
import t, { type Test } from 'tap';
import { build, makeSite, postText, SITE_URL } from '../helpers/build.js';
import { waitFor } from '../helpers/wait.js';

// A CommonJS package whose types declare an ES default export: required, it is the client.
const GhostContentAPI = createRequire(import.meta.url)('@tryghost/content-api') as (options: GhostContentAPIOptions) => GhostAPI;
const KEY = '0123456789abcdef0123456789';

/** 18 listed posts (newest first: p18 … p01), plus a hidden one, a draft and a scheduled one. */
function files(): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; i <= 18; i++) {
    const n = String(i).padStart(2, '0');
    out[`p${n}.md`] = postText({
      title: `Story ${n}`,
      date: `2025-08-${n}T10:00:00Z`,
      categories: [i % 3 === 0 ? 'Business' : 'World'],
      tags: [...(i % 2 === 0 ? ['Harbour'] : []), ...(i % 5 === 0 ? ['AI'] : []), ...(i === 4 ? ['world'] : [])],
      author: i % 4 === 0 ? 'Ana Souza' : 'Ben Okafor',
      featured: i === 7 || i === 12,
      excerpt: i === 1 ? 'A summary written by hand.' : undefined,
      image: i === 2 ? 'assets/images/lead.jpg' : undefined,
    }, `Paragraph one of story ${n}, with **bold** words.\n\nParagraph two.\n`);
  }
  out['hidden.md'] = postText({ title: 'Hidden story', date: '2025-08-20T10:00:00Z', categories: ['World'], tags: ['Harbour'], hidden: true });
  out['draft.md'] = postText({ title: 'Draft story', date: '2025-08-21T10:00:00Z', published: false });
  out['future.md'] = postText({ title: 'Future story', date: '2999-01-01T10:00:00Z' });
  // The same slug on two days: the API keeps slugs unique.
  out['same-1.md'] = postText({ title: 'Weather update', date: '2025-07-01T10:00:00Z', categories: ['World'] });
  out['same-2.md'] = postText({ title: 'Weather update', date: '2025-07-02T10:00:00Z', categories: ['World'] });
  return out;
}

async function serve(t: Test, env: Record<string, string> = {}, extra: Record<string, string> = {}) {
  const site = makeSite(t, { ...files(), ...extra });
  const built = await build(t, site, env);
  const address = await built.app.listen({ port: 0, host: '127.0.0.1' });
  const api = GhostContentAPI({ url: address, key: KEY, version: 'v5.0' });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${address}${path}`, { headers, redirect: 'manual' });
  return { site, ...built, address, api, get };
}

const titles = (items: readonly { title?: string | undefined }[]) => items.map((p) => p.title);

t.test('posts: newest first, 15 a page, with meta.pagination', async (t) => {
  const { api } = await serve(t);
  const first = await api.posts.browse();
  t.equal(first.length, 15);
  t.same(first.meta.pagination, { page: 1, limit: 15, pages: 2, total: 20, next: 2, prev: null });
  t.same(titles(first.slice(0, 3)), ['Story 18', 'Story 17', 'Story 16']);
  const second = await api.posts.browse({ page: 2 });
  t.same(second.meta.pagination, { page: 2, limit: 15, pages: 2, total: 20, next: null, prev: 1 });
  t.same(titles(second), ['Story 03', 'Story 02', 'Story 01', 'Weather update', 'Weather update']);
  const all = [...first, ...second];
  t.notOk(all.some((p) => /Hidden|Draft|Future/.test(p.title!)), 'published, visible posts only');
  const beyond = await api.posts.browse({ page: 9 });
  t.equal(beyond.length, 0, 'a page past the last is empty, as Ghost answers it');
});

t.test('a post has Ghost\'s fields', async (t) => {
  const { api } = await serve(t);
  const post = await api.posts.read({ slug: 'story-02' });
  t.match(post, {
    id: /^[0-9a-f]{12}$/,
    uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    title: 'Story 02',
    slug: 'story-02',
    html: '<p>Paragraph one of story 02, with <strong>bold</strong> words.</p>\n<p>Paragraph two.</p>\n',
    feature_image: `${SITE_URL}/assets/images/lead.jpg`,
    featured: false,
    visibility: 'public',
    published_at: '2025-08-02T10:00:00+00:00',
    updated_at: '2025-08-02T10:00:00+00:00',
    custom_excerpt: null,
    excerpt: 'Paragraph one of story 02, with bold words.',
    url: `${SITE_URL}/2025/08/02/story-02/`,
    reading_time: 1,
    access: true,
  });
  t.equal((post as unknown as Record<string, unknown>).meta_title, null, 'fields the site does not have are null');
  t.notOk('tags' in post, 'tags only when included');
  const one = await api.posts.read({ slug: 'story-01' });
  t.equal(one.custom_excerpt, 'A summary written by hand.');
  t.equal(one.feature_image, null);
  const byId = await api.posts.read({ id: post.id });
  t.equal(byId.title, 'Story 02', 'read by id');
});

t.test('include=tags,authors: sections first, then tags; primary tag and author', async (t) => {
  const { api } = await serve(t);
  const post = await api.posts.read({ slug: 'story-04' }, { include: ['tags', 'authors'] });
  t.same(post.tags!.map((tag) => tag.slug), ['world', 'harbour'], 'a section and a tag of one slug are one Ghost tag');
  t.equal(post.primary_tag?.name, 'World');
  t.equal(post.primary_tag?.url, `${SITE_URL}/category/world/`);
  t.equal(post.tags![1]!.url, `${SITE_URL}/tag/harbour/`);
  t.same(post.authors!.map((a) => a.name), ['Ana Souza']);
  t.equal(post.primary_author?.url, `${SITE_URL}/author/ana-souza/`);
  const list = await api.posts.browse({ include: ['tags', 'authors'], limit: 2 });
  t.ok(list.every((p) => p.primary_tag && p.primary_author));
});

t.test('filters: tag, primary_tag, author, featured, combined with + and ,', async (t) => {
  const { api } = await serve(t);
  const slugsOf = async (filter: string) => (await api.posts.browse({ filter, limit: 'all' })).map((p) => p.slug);
  t.same(await slugsOf('tag:ai'), ['story-15', 'story-10', 'story-05']);
  t.same(await slugsOf('tags:harbour'), ['story-18', 'story-16', 'story-14', 'story-12', 'story-10', 'story-08', 'story-06', 'story-04', 'story-02'], 'hidden posts left out');
  t.same(await slugsOf('primary_tag:business'), ['story-18', 'story-15', 'story-12', 'story-09', 'story-06', 'story-03']);
  t.same(await slugsOf('author:ana-souza'), ['story-16', 'story-12', 'story-08', 'story-04']);
  t.same(await slugsOf('featured:true'), ['story-12', 'story-07']);
  t.same(await slugsOf('tag:harbour+author:ana-souza'), ['story-16', 'story-12', 'story-08', 'story-04'], '+ is and');
  t.same(await slugsOf('tag:ai,featured:true'), ['story-15', 'story-12', 'story-10', 'story-07', 'story-05'], ', is or');
  t.same(await slugsOf('tag:[ai,business]+featured:false'), ['story-18', 'story-15', 'story-10', 'story-09', 'story-06', 'story-05', 'story-03']);
  t.same(await slugsOf('primary_tag:business+tag:-harbour'), ['story-15', 'story-09', 'story-03'], 'negation');
  t.same(await slugsOf("(tag:ai,tag:business)+published_at:>'2025-08-12T12:00:00Z'"), ['story-18', 'story-15']);
  t.same(await slugsOf('featured:true tag:harbour'), ['story-12'], 'a + sent unencoded arrives as a space: still and');
  t.same(await slugsOf('tag:nope'), []);
  t.same(await slugsOf('slug:weather-update'), ['weather-update']);
  t.same(await slugsOf('primary_author:ana-souza+primary_tag:business'), ['story-12']);
  const [story05] = await api.posts.browse({ filter: 'slug:story-05', fields: 'id' });
  t.same(await slugsOf(`id:${story05!.id}`), ['story-05']);
  t.same(await slugsOf("created_at:<'2025-08-01'+updated_at:>='2025-07-02'+status:published+visibility:public"), ['weather-update']);
});

t.test('slugs are unique: a repeated one gets its date', async (t) => {
  const { api } = await serve(t);
  const weather = (await api.posts.browse({ filter: 'primary_tag:world', limit: 'all' })).filter((p) => p.title === 'Weather update');
  t.same(weather.map((p) => [p.slug, p.url]), [
    ['weather-update', `${SITE_URL}/2025/07/02/weather-update/`],
    ['weather-update-2025-07-01', `${SITE_URL}/2025/07/01/weather-update/`],
  ]);
  t.equal((await api.posts.read({ slug: 'weather-update-2025-07-01' })).url, `${SITE_URL}/2025/07/01/weather-update/`);
});

t.test('limit, limit=all up to API_MAX_LIMIT, order, fields, formats', async (t) => {
  const { api } = await serve(t, { API_MAX_LIMIT: '8' });
  const all = await api.posts.browse({ limit: 'all', page: 3 });
  t.same(all.meta.pagination, { page: 3, limit: 8, pages: 3, total: 20, next: null, prev: 2 }, 'all is capped');
  t.equal(all.length, 4);
  const few = await api.posts.browse({ limit: 'all', filter: 'tag:ai' });
  t.equal(few.meta.pagination.limit, 'all' as unknown as number, 'all, while it fits');
  t.equal((await api.posts.browse({ limit: 50 })).meta.pagination.limit, 8, 'a larger limit is capped too');
  const ordered = await api.posts.browse({ order: 'title asc', limit: 3 });
  t.same(titles(ordered), ['Story 01', 'Story 02', 'Story 03']);
  const oldest = await api.posts.browse({ order: 'published_at asc', limit: 1 });
  t.same(titles(oldest), ['Weather update']);
  const [slim] = await api.posts.browse({ fields: 'title,url', limit: 1 });
  t.same(slim, { title: 'Story 18', url: `${SITE_URL}/2025/08/18/story-18/` });
  const [plain] = await api.posts.browse({ formats: 'plaintext', fields: 'plaintext', limit: 1 });
  t.same(plain, { plaintext: 'Paragraph one of story 18, with bold words.\n\nParagraph two.' });
});

t.test('tags and authors, with counts', async (t) => {
  const { api } = await serve(t);
  const tags = await api.tags.browse({ include: 'count.posts', limit: 'all' });
  t.same(tags.map((tag) => [tag.slug, (tag as { count?: { posts: number } }).count?.posts]), [
    ['ai', 3], ['business', 6], ['harbour', 9], ['world', 14],
  ], 'by name; counts of listed posts');
  t.equal(tags[3]!.url, `${SITE_URL}/category/world/`);
  const tag = await api.tags.read({ slug: 'harbour' });
  t.match(tag, { name: 'Harbour', slug: 'harbour', visibility: 'public', url: `${SITE_URL}/tag/harbour/` });
  t.equal((await api.tags.read({ id: tag.id })).slug, 'harbour');
  const byCount = await api.tags.browse({ order: 'count.posts desc', limit: 2 });
  t.same(byCount.map((x) => x.slug), ['world', 'harbour']);
  t.same((await api.tags.browse({ filter: 'slug:[ai,harbour]' })).map((x) => x.slug), ['ai', 'harbour']);

  const authors = await api.authors.browse({ include: 'count.posts' });
  t.same(authors.map((a) => [a.name, (a as { count?: { posts: number } }).count?.posts]), [['Ana Souza', 4], ['Ben Okafor', 14]]);
  t.same(authors.meta.pagination, { page: 1, limit: 15, pages: 1, total: 2, next: null, prev: null });
  const ana = await api.authors.read({ slug: 'ana-souza' });
  t.match(ana, { name: 'Ana Souza', url: `${SITE_URL}/author/ana-souza/`, profile_image: null });
  t.equal((await api.authors.read({ id: ana.id })).slug, 'ana-souza');
  t.same((await api.authors.browse({ order: 'name desc', fields: 'name' })).map((a) => a.name), ['Ben Okafor', 'Ana Souza']);
});

t.test('settings, and no pages', async (t) => {
  const { api } = await serve(t);
  const settings = await api.settings.browse();
  t.match(settings, { title: 'The Test Times', description: 'News, analysis and reporting.', lang: 'en', timezone: 'UTC', url: `${SITE_URL}/` });
  t.same(settings.navigation, [{ label: 'Business', url: `${SITE_URL}/category/business/` }, { label: 'World', url: `${SITE_URL}/category/world/` }]);
  const pages = await api.pages.browse();
  t.equal(pages.length, 0);
  t.equal(pages.meta.pagination.total, 0);
});

t.test('errors are Ghost\'s: 404 NotFoundError, 400 for a parameter that cannot be used', async (t) => {
  const { api, get } = await serve(t);
  await t.rejects(api.posts.read({ slug: 'nope' }), { name: 'NotFoundError', message: 'Post not found.' });
  await t.rejects(api.posts.read({ slug: 'hidden-story' }), { name: 'NotFoundError' }, 'hidden posts are not in the API');
  await t.rejects(api.tags.read({ slug: 'nope' }), { name: 'NotFoundError', message: 'Tag not found.' });
  await t.rejects(api.authors.read({ slug: 'nope' }), { name: 'NotFoundError', message: 'Author not found.' });
  await t.rejects(api.pages.read({ slug: 'about' }), { name: 'NotFoundError', message: 'Page not found.' });
  await t.rejects(api.posts.browse({ limit: 'lots' }), { name: 'BadRequestError', message: /limit: "lots" is not a whole number/ });
  await t.rejects(api.posts.browse({ page: 0 }), { name: 'BadRequestError', message: /page/ });
  await t.rejects(api.posts.browse({ filter: 'tag:ai+' }), { name: 'BadRequestError', message: /^Error parsing filter: a condition is missing at the end/ });
  await t.rejects(api.posts.browse({ filter: 'colour:red' }), { message: /unknown field "colour"/ });
  await t.rejects(api.posts.browse({ include: 'comments' as 'tags' }), { message: /include: "comments" is not one of authors, tags/ });
  await t.rejects(api.posts.browse({ fields: 'title,bogus' }), { message: /fields: "bogus"/ });
  await t.rejects(api.posts.browse({ order: 'title sideways' }), { message: /order: "title sideways" must be "title asc" or "title desc"/ });
  await t.rejects(api.tags.browse({ formats: 'html' }), { message: /formats: "html" is not accepted here/ });

  const res = await get('/ghost/api/content/posts/?limit=x');
  t.equal(res.status, 400);
  t.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  t.equal(res.headers.get('access-control-allow-origin'), '*');
  t.equal(res.headers.get('cache-control'), 'no-store');
  const body = (await res.json()) as { errors: { message: string; type: string; context: string }[] };
  t.match(body.errors[0], { type: 'BadRequestError', message: String, context: 'Invalid value for the "limit" query parameter.' });
  const unknown = await get('/ghost/api/content/tiers/');
  t.equal(unknown.status, 404);
  t.match(await unknown.json(), { errors: [{ type: 'NotFoundError', message: 'Resource not found.' }] });
  const unslashed = await get('/ghost/api/content/posts?key=x');
  t.equal(unslashed.status, 301);
  t.equal(unslashed.headers.get('location'), '/ghost/api/content/posts/?key=x');
  t.equal(unslashed.headers.get('access-control-allow-origin'), '*', 'a browser may follow it across origins');
  t.equal((await get('/ghost/api/content/tags/slug/ai')).headers.get('location'), '/ghost/api/content/tags/slug/ai/');
});

t.test('CORS, ETags and 304 like pages; ?key= ignored', async (t) => {
  const { get, address } = await serve(t);
  const url = '/ghost/api/content/posts/?limit=2&include=tags';
  const first = await get(url);
  t.equal(first.status, 200);
  t.equal(first.headers.get('access-control-allow-origin'), '*');
  t.equal(first.headers.get('cache-control'), 'public, max-age=60, stale-while-revalidate=600');
  const etag = first.headers.get('etag')!;
  t.match(etag, /^"[A-Za-z0-9_-]{32}(-gz|-br)?"$/, 'a strong ETag per coding');
  t.match(first.headers.get('xkey'), /\bfeed\b/, 'the list of every post is its key');
  const keyed = await get(`${url}&key=${KEY}`);
  t.equal(keyed.headers.get('etag'), etag, 'the key changes nothing');
  const revalidated = await get(`/ghost/api/content/posts/?include=tags&key=${KEY}&limit=2`, { 'if-none-match': etag });
  t.equal(revalidated.status, 304);
  t.equal(revalidated.headers.get('access-control-allow-origin'), '*', '304s carry CORS too');
  const compressed = await get('/ghost/api/content/posts/?limit=all', { 'accept-encoding': 'br' });
  t.equal(compressed.headers.get('content-encoding'), 'br');
  t.match(compressed.headers.get('etag'), /-br"$/);
  const head = await fetch(`${address}${url}`, { method: 'HEAD' });
  t.equal(head.status, 200);
  const preflight = await fetch(`${address}${url}`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-headers': 'accept-version' } });
  t.equal(preflight.status, 204);
  t.equal(preflight.headers.get('access-control-allow-origin'), '*');
  t.match(preflight.headers.get('access-control-allow-headers'), /Accept-Version/);
});

t.test('the API follows the folder', async (t) => {
  const { api, site, get } = await serve(t, { WATCH: 'true' });
  const before = await get('/ghost/api/content/posts/?limit=1');
  const tagsBefore = await get('/ghost/api/content/tags/?include=count.posts');
  site.write('new.md', postText({ title: 'Breaking story', date: '2025-08-30T10:00:00Z', tags: ['Storm'] }));
  await waitFor('the new post in the API', async () => (await api.posts.browse({ limit: 1 }))[0]?.title === 'Breaking story');
  t.not((await get('/ghost/api/content/posts/?limit=1')).headers.get('etag'), before.headers.get('etag'));
  const tags = await get('/ghost/api/content/tags/?include=count.posts');
  t.not(tags.headers.get('etag'), tagsBefore.headers.get('etag'));
  t.match(await tags.text(), /"slug":"storm"/);
  site.write('p18.md', postText({ title: 'Story 18 corrected', slug: 'story-18', date: '2025-08-18T10:00:00Z', categories: ['Business'], tags: ['Harbour'], author: 'Ben Okafor' }, 'New body.'));
  await waitFor('the corrected post', async () => (await api.posts.read({ slug: 'story-18' }).catch(() => null))?.title === 'Story 18 corrected');
  t.equal((await api.posts.read({ slug: 'story-18' })).html, '<p>New body.</p>\n');
});

t.test('every order, on posts, tags and authors', async (t) => {
  const { api } = await serve(t, {}, {
    'long.md': postText({ title: 'A long read', date: '2025-06-01T10:00:00Z', featured: true, last_modified_at: '2025-09-30T10:00:00Z', tags: ['Rare', 'Odd'] }, 'word '.repeat(1200)),
    'bare.md': postText({ title: 'No sections, tags or author', date: '2025-05-01T10:00:00Z' }),
  });
  const bare = await api.posts.read({ slug: 'no-sections-tags-or-author' }, { include: ['tags', 'authors'] });
  t.same([bare.tags, bare.primary_tag, bare.authors, bare.primary_author], [[], null, [], null]);
  const count = async (filter: string) => (await api.posts.browse({ filter, limit: 'all', fields: 'id' })).length;
  t.equal(await count('primary_tag:-world'), 8, 'a post without tags has no primary tag');
  t.equal(await count('primary_author:-ben-okafor'), 8, 'nor one without authors a primary author');
  t.equal(await count('author:nobody'), 0);
  const [ai] = await api.tags.browse({ filter: 'slug:ai' });
  t.same((await api.tags.browse({ filter: `id:${ai!.id}` })).map((x) => x.slug), ['ai']);
  const first = async (order: string) => (await api.posts.browse({ order, limit: 1, fields: 'title' }))[0]!.title;
  t.equal(await first('updated_at desc'), 'A long read');
  t.equal(await first('created_at asc'), 'No sections, tags or author');
  t.equal(await first('reading_time desc'), 'A long read');
  t.equal(await first('featured desc, published_at desc'), 'Story 12');
  t.equal(await first('slug desc'), 'Weather update');
  t.equal(await first('id asc'), (await api.posts.browse({ limit: 'all', fields: 'id,title' })).sort((a, b) => (a.id < b.id ? -1 : 1))[0]!.title);
  const tags = async (order: string) => (await api.tags.browse({ order, fields: 'slug', limit: 'all' })).map((x) => x.slug);
  t.same(await tags('slug desc'), ['world', 'rare', 'odd', 'harbour', 'business', 'ai']);
  t.same(await tags('name desc'), ['world', 'rare', 'odd', 'harbour', 'business', 'ai']);
  t.same(await tags('count.posts asc'), ['odd', 'rare', 'ai', 'business', 'harbour', 'world'], 'equal counts by slug');
  t.equal((await tags('id asc')).length, 6);
  t.same((await api.tags.browse({ filter: 'visibility:public+name:harbour' })).map((x) => x.slug), ['harbour']);
  t.same((await api.authors.browse({ order: 'count.posts desc, name asc', fields: 'slug' })).map((a) => a.slug), ['ben-okafor', 'ana-souza']);
  t.same((await api.authors.browse({ order: 'slug asc', filter: 'slug:-ben-okafor' })).map((a) => a.slug), ['ana-souza']);
  t.equal((await api.authors.browse({ order: 'id desc' })).length, 2);
  await t.rejects(api.tags.read({ id: 'nope' }), { name: 'NotFoundError' });
  await t.rejects(api.authors.read({ id: 'nope' }), { name: 'NotFoundError' });
});

t.test('a slug whose dated form another post has takes the post\'s id', async (t) => {
  const { api, app } = await serve(t, {}, { 'dated.md': postText({ title: 'Dated', slug: 'weather-update-2025-07-01', date: '2025-05-01T10:00:00Z' }) });
  const older = app.content.snapshot.byFile.get('same-1.md')!;
  t.equal((await api.posts.read({ slug: `weather-update-${older.id}` })).url, `${SITE_URL}/2025/07/01/weather-update/`);
  t.equal((await api.posts.read({ slug: 'weather-update-2025-07-01' })).title, 'Dated');
});

t.test('a body being rewritten is sent as null, and the response is not kept', async (t) => {
  const { api, site } = await serve(t);
  // Without a watcher the index still holds the old body's hash: the file no longer matches it.
  site.write('p01.md', postText({ title: 'Story 01', date: '2025-08-01T10:00:00Z', categories: ['World'] }, 'Rewritten.\n'));
  const during = await api.posts.read({ slug: 'story-01' }, { formats: ['html', 'plaintext'] });
  t.equal(during.html, null);
  t.equal((during as unknown as { plaintext: unknown }).plaintext, null);
  await waitFor('the post read again', async () => (await api.posts.read({ slug: 'story-01' })).html === '<p>Rewritten.</p>\n');
});

t.test('authors as their profiles show them (_data/authors.yml): name, picture, bio, links', async (t) => {
  const profiles = [
    'ana-souza:',
    '  display_name: Ana Souza-Reis',
    '  description: Harbour and city hall.',
    '  avatar: https://img.example/ana.png',
    '  web: https://ana.example',
    '  twitter: "@anasouza"',
    '  facebook: ana.souza',
    '',
  ].join('\n');
  const { api, site } = await serve(t, { WATCH: 'true' }, { '_data/authors.yml': profiles });
  const ana = await api.authors.read({ slug: 'ana-souza' });
  t.match(ana, {
    name: 'Ana Souza-Reis',
    bio: 'Harbour and city hall.',
    profile_image: 'https://img.example/ana.png',
    website: 'https://ana.example',
    twitter: '@anasouza',
    facebook: 'ana.souza',
  });
  const ben = await api.authors.read({ slug: 'ben-okafor' });
  t.match(ben, { name: 'Ben Okafor', bio: null, profile_image: null, website: null, twitter: null, facebook: null }, 'no profile: the name as written');
  const post = await api.posts.read({ slug: 'story-04' }, { include: ['authors'] });
  t.equal(post.primary_author?.name, 'Ana Souza-Reis', 'embedded authors too');

  site.write('_data/authors.yml', profiles.replace('Ana Souza-Reis', 'Ana Reis'));
  await waitFor('the edited profile, with no restart', async () => (await api.authors.read({ slug: 'ana-souza' })).name === 'Ana Reis');
  t.equal((await api.posts.read({ slug: 'story-04' }, { include: ['authors'] })).primary_author?.name, 'Ana Reis');
});

t.test('a client over the rate limit: Ghost\'s error, with CORS and Retry-After', async (t) => {
  const { get } = await serve(t, { RATE_LIMIT_PER_MINUTE: '2' });
  for (const limit of [1, 2]) t.equal((await get(`/ghost/api/content/posts/?key=${KEY}&limit=${limit}`)).status, 200);
  const refused = await get(`/ghost/api/content/posts/?key=${KEY}&limit=3`);
  t.equal(refused.status, 429);
  t.equal(refused.headers.get('access-control-allow-origin'), '*', 'a front-end on another origin can read why');
  t.match(refused.headers.get('retry-after'), /^\d+$/);
  t.equal(refused.headers.get('cache-control'), 'no-store');
  t.match(await refused.json(), { errors: [{ message: 'Too many requests: try again in a moment.', type: 'TooManyRequestsError' }] });
  t.equal((await get(`/ghost/api/content/posts/?key=${KEY}&limit=1`)).status, 200, 'a cached answer is never refused');
});
