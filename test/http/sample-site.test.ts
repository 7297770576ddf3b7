// The sample site in posts/ and public/ as `npm start` serves it: every writer of the
// sample posts has a profile (posts/_data/authors.yml) with an avatar that exists.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import yaml from 'js-yaml';
import { build, ROOT, type TestSite } from '../helpers/build.js';

const sample: TestSite = {
  dir: ROOT,
  postsDir: path.join(ROOT, 'posts'),
  publicDir: path.join(ROOT, 'public'),
  write: () => {
    throw new Error('the sample site is read only here');
  },
};

t.test('the sample posts are bylined with their writers’ names, each with an avatar', async (t) => {
  const { app, logs } = await build(t, sample, { SITE_TITLE: undefined });
  const profiles = yaml.load(fs.readFileSync(path.join(ROOT, 'posts/_data/authors.yml'), 'utf8')) as Record<string, { avatar: string }>;
  const { authors } = app.content.snapshot;
  t.ok(authors.terms.length > 0);
  for (const term of authors.terms) {
    const profile = app.content.snapshot.site.authors.get(term.slug);
    t.ok(profile?.name, `${term.slug} has a profile with a name`);
    t.ok(profile?.avatar?.local && fs.existsSync(path.join(ROOT, 'public', decodeURIComponent(profile.avatar.src))), `${term.slug}'s avatar is in public/`);
  }
  t.equal(Object.keys(profiles).length, authors.terms.length, 'no profile for a writer who is not there');
  const home = (await app.inject('/')).body;
  t.match(home, /rel="author">Maria Reyes<\/a>/);
  t.notMatch(home, /rel="author">mreyes<\/a>/);
  const page = await app.inject('/author/hana-okafor/');
  t.match(page.body, /<img class="profile__avatar" src="\/assets\/images\/authors\/hana-okafor\.svg"/);
  const avatar = await app.inject('/assets/images/authors/hana-okafor.svg');
  t.equal(avatar.statusCode, 200);
  t.match(avatar.headers['content-type'], /^image\/svg\+xml/);
  t.notOk(logs.some((l) => l.msg === 'site data file problem'), 'the sample data has no problems');
});
