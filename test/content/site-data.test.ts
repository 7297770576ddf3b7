// A migrated site's own files (issue 10): `_config.yml` settings, author profiles from
// `_config.yml` and `_data/authors.*`, Ghost's redirects.yaml. Where each is looked for,
// how its keys map, and that a bad value is reported and skipped, never fatal.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { dataFolders, DataFileError, findDataFile, mappingOf, MAX_DATA_FILE_BYTES, readDataFile, textOf } from '../../src/content/data-files.js';
import { loadSiteSettings, parseSiteSettings } from '../../src/content/site-config.js';
import { isSiteDataPath, loadSiteData, parseRedirects, repeatsRepetition, siteDataSignature, toProfile } from '../../src/content/site-data.js';

/** A Jekyll-shaped folder: `files` relative to the site root, POSTS_DIR at `_posts`. */
function site(t: Test, files: Record<string, string>) {
  const root = t.testdir({ _posts: {} });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return { root, postsDir: path.join(root, '_posts') };
}

t.test('_config.yml settings: every key, and what is refused', async (t) => {
  t.same(parseSiteSettings({
    title: 'The Courier', description: 'News.', url: 'https://courier.example.org/', baseurl: '/blog/', timezone: 'europe/berlin',
    paginate: 5, logo: 'assets/logo.svg', permalink: 'pretty',
  }), {
    title: 'The Courier', description: 'News.', url: 'https://courier.example.org', baseUrl: '/blog', timeZone: 'Europe/Berlin',
    pageSize: 5, logo: '/assets/logo.svg', permalink: '/:categories/:year/:month/:day/:title/', warnings: [],
  });
  t.same(parseSiteSettings({ url: 'https://x.example/news/', logo: 'https://cdn.example/l.png', permalink: '/:year/:slug:output_ext' }), {
    url: 'https://x.example', baseUrl: '/news', logo: 'https://cdn.example/l.png', permalink: '/:year/:slug:output_ext', warnings: [],
  }, 'a url with a path is a base path too');
  t.same(parseSiteSettings({ url: 'https://x.example/news/', baseurl: '/' }).baseUrl, undefined, 'baseurl / is none');
  t.same(parseSiteSettings({ title: '', description: null }), { warnings: [] }, 'empty values are not given');
  const bad = parseSiteSettings({
    url: 'ftp://x.example', baseurl: '/../up', timezone: 'Mars/Olympus', paginate: 0, logo: 'javascript:alert(1)', permalink: 'weekly',
  });
  t.same(Object.keys(bad), ['warnings'], 'nothing bad is taken');
  t.same(bad.warnings, [
    'url: "ftp://x.example" is not an http(s) URL: ignored',
    'baseurl: "/../up" is not a path such as /blog: ignored',
    'timezone: "Mars/Olympus" is not an IANA time zone such as Europe/Berlin: ignored',
    'paginate: 0 is not a whole number from 1 to 100: ignored',
    'logo: "javascript:alert(1)" is not a path from the site root or an http(s) URL: ignored',
    'permalink: "weekly" is not one of date, pretty, ordinal, none or a template starting with /: ignored',
  ]);
  t.match(parseSiteSettings({ url: 'not a url', paginate: 'ten' }).warnings, [/^url:/, /^paginate:/]);
  t.match(parseSiteSettings({ permalink: '/:year/:foo/:title/' }).warnings, [/unknown: :foo/]);
  t.match(parseSiteSettings({ permalink: '/:year/:month/' }).warnings, [/with :title or :slug/]);
});

t.test('_config.yml is looked for in the posts folder, then its parent', async (t) => {
  const { root, postsDir } = site(t, { '_config.yml': 'title: Parent\n' });
  t.same(loadSiteSettings(postsDir), { file: path.join(root, '_config.yml'), title: 'Parent', warnings: [] });
  fs.writeFileSync(path.join(postsDir, '_config.yaml'), 'title: Own\n');
  t.equal(loadSiteSettings(postsDir).title, 'Own', "the posts folder's own first");
  fs.writeFileSync(path.join(postsDir, '_config.yaml'), 'title: [\n');
  t.match(loadSiteSettings(postsDir), { file: path.join(postsDir, '_config.yaml'), warnings: [/invalid YAML/] }, 'unreadable: reported');
  t.same(loadSiteSettings(site(t, {}).postsDir), { file: null, warnings: [] });
  t.same(dataFolders(path.parse(process.cwd()).root), [path.parse(process.cwd()).root], 'the root has no parent');
});

t.test('data files: YAML or JSON mappings, size-limited, errors named', async (t) => {
  const dir = t.testdir({
    'a.yml': '\uFEFFkey: value\n',
    'b.json': '{"key": 1}',
    'c.json': '{"key": ',
    'd.yml': '- a list\n',
    'e.yml': '',
    'f.yml': 'x: !!js/function "function () {}"\n',
    'big.yml': `x: "${'a'.repeat(MAX_DATA_FILE_BYTES)}"\n`,
  });
  t.same(readDataFile(path.join(dir, 'a.yml')), { key: 'value' });
  t.same(readDataFile(path.join(dir, 'b.json')), { key: 1 });
  t.throws(() => readDataFile(path.join(dir, 'c.json')), { name: 'DataFileError', message: /^invalid JSON/ });
  t.throws(() => readDataFile(path.join(dir, 'd.yml')), { message: 'not a mapping of keys to values' });
  t.same(readDataFile(path.join(dir, 'e.yml')), {}, 'an empty file is an empty mapping');
  t.throws(() => readDataFile(path.join(dir, 'f.yml')), { message: /^invalid YAML/ }, 'no custom tags');
  t.throws(() => readDataFile(path.join(dir, 'big.yml')), { message: /over the limit of/ });
  const missing = t.throws(() => readDataFile(path.join(dir, 'none.yml'))) as unknown as DataFileError;
  t.type(missing, DataFileError);
  t.equal(findDataFile(dir, ['none.yml', 'b.json'], [dir]), path.join(dir, 'b.json'));
  t.equal(findDataFile(dir, ['none.yml'], [dir]), null);
  t.same([textOf(' a \n b '), textOf(3), textOf(true), textOf(null), textOf(['x'])], ['a b', '3', 'true', '', '']);
  t.same([mappingOf({ a: 1 }), mappingOf([1]), mappingOf(null), mappingOf('x')], [{ a: 1 }, null, null, null]);
});

t.test('a profile from Mediumish and jekyll-seo-tag keys', async (t) => {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  t.same(toProfile('mreyes', {
    name: 'mreyes', display_name: 'Maria Reyes', description: 'Council.', gravatar: '3B2CC14B8A4D5D4BA5E6D4A0B2B0F5A1',
    email: 'maria@example.org', web: 'https://example.org/maria', twitter: '@maria_r', github: 'https://github.com/mreyes',
    x: 'maria_r', mastodon: '@maria@Social.Example', linkedin: 'maria-reyes', youtube: 'mariatv', instagram: 'maria.r', facebook: 'maria.reyes',
  }, warn), {
    slug: 'mreyes', name: 'Maria Reyes', bio: 'Council.',
    avatar: { src: 'https://www.gravatar.com/avatar/3b2cc14b8a4d5d4ba5e6d4a0b2b0f5a1?s=256&d=identicon', local: false, alt: null, caption: null, credit: null },
    website: 'https://example.org/maria',
    links: [
      { label: 'X (Twitter)', url: 'https://x.com/maria_r' },
      { label: 'GitHub', url: 'https://github.com/mreyes' },
      { label: 'Facebook', url: 'https://www.facebook.com/maria.reyes' },
      { label: 'LinkedIn', url: 'https://www.linkedin.com/in/maria-reyes' },
      { label: 'Instagram', url: 'https://www.instagram.com/maria.r' },
      { label: 'YouTube', url: 'https://www.youtube.com/@mariatv' },
      { label: 'Mastodon', url: 'https://social.example/@maria' },
    ],
  }, 'the same account under twitter and x is listed once');
  t.same(warnings, []);
  const fromEmail = toProfile('a', { email: ' Maria@Example.org ' }, warn);
  const hash = createHash('sha256').update('maria@example.org').digest('hex');
  t.equal(fromEmail.avatar?.src, `https://www.gravatar.com/avatar/${hash}?s=256&d=identicon`, 'a Gravatar from the address, hashed');
  t.notMatch(JSON.stringify(fromEmail), /maria|example\.org/i, 'the address itself is never kept');
  t.same(toProfile('b', { bio: 'Bio.', picture: '/img/b.png', website: 'http://b.example' }, warn), {
    slug: 'b', name: null, bio: 'Bio.', avatar: { src: '/img/b.png', local: true, alt: null, caption: null, credit: null }, website: 'http://b.example/', links: [],
  });
  t.same(toProfile('c', { avatar: 'https://cdn.example/c.png', url: 'https://c.example/' }, warn).avatar, { src: 'https://cdn.example/c.png', local: false, alt: null, caption: null, credit: null });
  t.equal(toProfile('d', { image: 'assets/d.png' }, warn).avatar?.src, '/assets/d.png');
  t.same(warnings, []);

  const bad = toProfile('e', {
    favourite_colour: 'teal', web: 'javascript:alert(1)', avatar: '../../etc/passwd', gravatar: 'xyz', twitter: 'not a handle!',
    github: 'https://exa mple.com/', mastodon: 'someone', uri: 'x',
  }, warn);
  t.same(bad, { slug: 'e', name: null, bio: null, avatar: null, website: null, links: [] });
  t.same(warnings, [
    'unknown key "favourite_colour": ignored',
    'website: "javascript:alert(1)" is not an http(s) URL: ignored',
    'twitter: "not a handle!" is not a handle or an http(s) URL: ignored',
    'github: "https://exa mple.com/" is not an http(s) URL: ignored',
    'mastodon: "someone" is not a handle or an http(s) URL: ignored',
    'avatar: "../../etc/passwd" is not a path inside the site: ignored',
    'gravatar: not an MD5 or SHA-256 hash: ignored',
  ]);
  warnings.length = 0;
  t.equal(toProfile('f', { avatar: 'https://exa mple.com/a.png' }, warn).avatar, null);
  t.same(warnings, ['avatar: "https://exa mple.com/a.png" is not an http(s) URL: ignored']);
});

t.test('authors from both files: _data wins field by field, and the merge is reported', async (t) => {
  const { root, postsDir } = site(t, {
    '_config.yml': 'title: T\nauthors:\n  mreyes:\n    display_name: Maria Reyes\n    description: From the config.\n  tnguyen:\n    name: Thi\n  bad: just text\n',
    '_data/authors.yml': 'mreyes:\n  bio: ignored, description wins\n  description: From the data file.\nMReyes:\n  name: Same slug\n"!!!":\n  name: No slug\n',
  });
  const { data, files, unreadable, warnings, merged } = loadSiteData(postsDir);
  t.same(files, [path.join(root, '_config.yml'), path.join(root, '_data/authors.yml')]);
  t.same(unreadable, []);
  t.match(data.authors.get('mreyes'), { name: 'Maria Reyes', bio: 'From the data file.' });
  t.match(data.authors.get('tnguyen'), { name: 'Thi' });
  t.equal(data.authors.size, 2);
  t.same(merged, { file: path.join(root, '_data/authors.yml'), over: path.join(root, '_config.yml'), authors: ['mreyes'] });
  t.same(warnings.map((w) => w.message), [
    'authors: "bad" is not a profile (a key with fields such as name, avatar, description): ignored',
    'authors: "MReyes" names the same author as "mreyes": ignored',
    'authors: "!!!" is not a profile (a key with fields such as name, avatar, description): ignored',
  ]);
  t.equal(data.settings?.title, 'T', 'the settings come along');
  fs.writeFileSync(path.join(root, '_config.yml'), 'paginate: zero\n');
  t.same(loadSiteData(postsDir).warnings.filter((w) => w.file === path.join(root, '_config.yml')).map((w) => w.message), ['paginate: "zero" is not a whole number from 1 to 100: ignored'], "a bad setting is reported with the file's name");
});

t.test('authors.json, a list where a map belongs, and files that cannot be read', async (t) => {
  const { root, postsDir } = site(t, { '_posts/_data/authors.json': '{"lwu": {"name": "Lin Wu"}}', '_config.yml': 'authors: [a, b]\n' });
  const one = loadSiteData(postsDir);
  t.equal(one.data.authors.get('lwu')?.name, 'Lin Wu', "in the posts folder's own _data");
  t.same(one.warnings, [{ file: path.join(root, '_config.yml'), message: 'authors: not a map of author keys to profiles: ignored' }]);
  t.equal(one.merged, null);
  fs.writeFileSync(path.join(postsDir, '_data/authors.json'), '{');
  fs.writeFileSync(path.join(root, '_config.yml'), 'title: [');
  const two = loadSiteData(postsDir);
  t.equal(two.unreadable.length, 2);
  t.same(two.data.settings, { warnings: [], file: path.join(root, '_config.yml') }, 'no settings from a broken file');
});

t.test("Ghost's redirects.yaml", async (t) => {
  const warnings: string[] = [];
  const rules = parseRedirects({
    301: { '/old/': '/new/', '^/archive/(\\d{4})/(.*)$': '/$2', '/(?:Mixed)/i': 'https://other.example/$1', '/gone': 'https://other.example/x' },
    302: { '/live': 'https://live.example/' },
    303: { '/a/': '/b/' },
    other: 'x',
  }, (m) => warnings.push(m));
  t.same(rules.map((r) => [r.source, r.from.source, r.from.flags, r.to, r.status]), [
    ['/old/', '^\\/old\\/?$', '', '/new/', 301],
    ['^/archive/(\\d{4})/(.*)$', '^\\/archive\\/(\\d{4})\\/(.*)$', '', '/$2', 301],
    ['/(?:Mixed)/i', '^(?:Mixed)\\/?$', 'i', 'https://other.example/$1', 301],
    ['/gone', '^\\/gone\\/?$', '', 'https://other.example/x', 301],
    ['/live', '^\\/live\\/?$', '', 'https://live.example/', 302],
  ]);
  t.same(warnings, ['"303": only 301: and 302: maps of "from: to" are read: ignored', '"other": only 301: and 302: maps of "from: to" are read: ignored']);
  warnings.length = 0;
  parseRedirects({ 301: { '(': '/x/', '': '/y/', '/a/': 'relative', '/b/': '//evil.example/', '/c/': 'https://[', '/d/': 'javascript:x', [`/${'x'.repeat(600)}`]: '/z/' } }, (m) => warnings.push(m));
  t.same(warnings, [
    '(: not a regular expression for a path: ignored',
    ': not a regular expression for a path: ignored',
    '/a/: "relative" is not a path from the site root or an http(s) URL: ignored',
    '/b/: "//evil.example/" is not a path from the site root or an http(s) URL: ignored',
    '/c/: "https://[" is not a path from the site root or an http(s) URL: ignored',
    '/d/: "javascript:x" is not a path from the site root or an http(s) URL: ignored',
    `/${'x'.repeat(600)}: not a regular expression for a path: ignored`,
  ]);
  warnings.length = 0;
  const many = Object.fromEntries(Array.from({ length: 1005 }, (_, i) => [`/r${i}/`, '/x/']));
  t.equal(parseRedirects({ 301: many, 302: { '/more/': '/x/' } }, (m) => warnings.push(m)).length, 1000);
  t.same(warnings, ['more than 1000 redirects: the rest are ignored'], 'at most 1000 rules');
  t.same(parseRedirects(null, () => t.fail()), []);
});

t.test('patterns that a crafted URL could make slow are refused', async (t) => {
  for (const slow of ['(a+)+', '^/(\\w*/)*x$', '((ab)+)+', '(?:x|y*)*', '(a{1,9}){2}', '(([a-z]+))+', '([\\]x]+)+']) t.ok(repeatsRepetition(slow), slow);
  for (const fine of ['^/archive/(\\d{4})/(.*)$', '/old/', '(a+)?', '([(+)]+)', '\\(a+\\)+', '(a)+', '(\\w+)/(\\w+)']) t.notOk(repeatsRepetition(fine), fine);
  const warnings: string[] = [];
  t.same(parseRedirects({ 301: { '^/(a+)+$': '/x/' } }, (m) => warnings.push(m)), []);
  t.match(warnings, [/can take a crafted URL ages to match: ignored/]);
});

t.test('which paths are data files, and their signature', async (t) => {
  for (const rel of ['_config.yml', '_config.yaml', '_data', '_data/authors.yml', '_data/authors.json', 'redirects.yaml', 'redirects.yml']) t.ok(isSiteDataPath(rel), rel);
  for (const rel of ['_data/other.yml', 'post.md', 'config.yml']) t.notOk(isSiteDataPath(rel), rel);
  const { root, postsDir } = site(t, {});
  const before = siteDataSignature(postsDir);
  fs.writeFileSync(path.join(root, '_config.yml'), 'title: x\n');
  t.not(siteDataSignature(postsDir), before);
});
