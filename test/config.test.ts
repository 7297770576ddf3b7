import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.js';

const ROOT = path.resolve(import.meta.dirname, '..');

t.test('defaults: npm start needs no configuration', async (t) => {
  const config = loadConfig({}, ROOT);
  t.equal(config.port, 3000);
  t.equal(config.host, '127.0.0.1');
  t.equal(config.postsDir, path.join(ROOT, 'posts'));
  t.equal(config.publicDir, path.join(ROOT, 'public'));
  t.equal(config.siteUrl, 'http://localhost:3000');
  t.equal(config.siteTitle, 'Newsroom');
  t.equal(config.timeZone, 'UTC');
  t.equal(config.pageSize, 10);
  t.equal(config.cacheMaxAge, 60);
  t.equal(config.cacheStaleWhileRevalidate, 600);
  t.equal(config.watch, 'events');
  t.equal(config.watchPollMs, 2000);
  t.equal(config.surrogateKeyHeader, 'xkey');
  t.same(config.cachePurgeUrls, []);
  t.equal(config.cacheSharedMaxAge, 86_400);
  t.equal(config.metricsPort, null);
  t.equal(config.metricsHost, '127.0.0.1');
  t.equal(config.redisUrl, null);
  t.equal(config.shutdownDrainMs, 0);
  t.equal(config.startupWaitMs, 10_000);
  t.equal(config.logLevel, 'info');
  t.equal(config.maxPostBytes, 5 * 1024 * 1024);
  t.equal(config.feedSize, 20);
  t.equal(config.sitemapPartSize, 50_000);
  t.equal(config.publisherLogo, '/assets/logo.png');
  t.same(config.embedHosts, ['www.youtube.com', 'www.youtube-nocookie.com', 'player.vimeo.com']);
});

t.test('values from the environment', async (t) => {
  const config = loadConfig(
    {
      PORT: '8080',
      HOST: '0.0.0.0',
      SITE_URL: 'https://news.example.com/',
      SITE_TITLE: 'Daily',
      SITE_TIMEZONE: 'europe/berlin',
      SITE_LANGUAGE: 'en-gb',
      PAGE_SIZE: '20',
      CACHE_MAX_AGE: '0',
      WATCH: 'false',
      LOG_LEVEL: 'WARN',
      EMBED_HOSTS: 'www.youtube.com, Player.Vimeo.com',
      PAGE_CACHE_MB: '16',
      PUBLISHER_NAME: 'Harbour Media',
      PUBLISHER_LOGO: 'https://cdn.example.org/logo.png',
      FEED_SIZE: '50',
      SITEMAP_PART_SIZE: '1000',
      MAX_POST_BYTES: '2048',
      POSTS_DIR: 'test/fixtures/front-matter',
    },
    ROOT,
  );
  t.equal(config.port, 8080);
  t.equal(config.siteUrl, 'https://news.example.com', 'trailing slash dropped');
  t.equal(config.siteUrl, 'https://news.example.com');
  t.equal(config.timeZone, 'Europe/Berlin', 'canonical spelling');
  t.equal(config.siteLanguage, 'en-GB');
  t.equal(config.pageSize, 20);
  t.equal(config.cacheMaxAge, 0);
  t.equal(config.watch, 'off');
  t.equal(config.logLevel, 'warn');
  t.same(config.embedHosts, ['www.youtube.com', 'player.vimeo.com']);
  t.equal(config.pageCacheBytes, 16 * 1024 * 1024);
  t.equal(config.postsDir, path.join(ROOT, 'test/fixtures/front-matter'));
  t.equal(config.publisherName, 'Harbour Media');
  t.equal(config.publisherLogo, 'https://cdn.example.org/logo.png');
  t.equal(config.feedSize, 50);
  t.equal(config.sitemapPartSize, 1000);
  t.equal(loadConfig({ SITE_TITLE: 'Daily' }, ROOT).publisherName, 'Daily', 'the publisher defaults to the site title');
  t.equal(loadConfig({ PORT: '4000' }, ROOT).siteUrl, 'http://localhost:4000', 'SITE_URL follows PORT');
  t.equal(loadConfig({ WATCH: 'yes', SITE_TITLE: '  ' }, ROOT).siteTitle, 'Newsroom', 'blank means default');
  t.equal(loadConfig({ WATCH: 'yes' }, ROOT).watch, 'events');
  t.equal(loadConfig({ WATCH: 'Poll', WATCH_POLL_MS: '500' }, ROOT).watch, 'poll');
  t.equal(loadConfig({ WATCH_POLL_MS: '500' }, ROOT).watchPollMs, 500);
  t.equal(loadConfig({ SURROGATE_KEY_HEADER: 'Surrogate-Key' }, ROOT).surrogateKeyHeader, 'surrogate-key');
  t.equal(loadConfig({ SURROGATE_KEY_HEADER: 'none' }, ROOT).surrogateKeyHeader, null);
});

t.test('every bad variable is named in one error', async (t) => {
  const env = {
    PORT: 'eighty',
    PAGE_SIZE: '0',
    CACHE_MAX_AGE: '-5',
    SITE_URL: 'ftp://example.com',
    SITE_TIMEZONE: 'Mars/Olympus',
    SITE_LANGUAGE: 'not a language!',
    WATCH: 'sometimes',
    LOG_LEVEL: 'loud',
    POSTS_DIR: './no-such-folder',
    EMBED_HOSTS: 'https://youtube.com/',
    PUBLISHER_LOGO: 'javascript:alert(1)',
    FEED_SIZE: '0',
    SITEMAP_PART_SIZE: '50001',
    WATCH_POLL_MS: '5',
    SURROGATE_KEY_HEADER: 'x key',
    CACHE_PURGE_URLS: 'http://varnish:6081/,varnish:6081',
    CACHE_SHARED_MAX_AGE: 'a day',
    METRICS_PORT: '70000',
    REDIS_URL: 'localhost:6379',
    SHUTDOWN_DRAIN_MS: '-1',
    IMAGE_CACHE_DIR: 'public/img-cache',
    IMAGE_CACHE_MB: '0',
    IMAGE_MAX_INPUT_MB: 'forty',
    IMAGE_MAX_PIXELS: '999',
    IMAGE_JOB_TIMEOUT_MS: '10',
  };
  let error: unknown;
  try {
    loadConfig(env, ROOT);
  } catch (err) {
    error = err;
  }
  t.type(error, ConfigError);
  const problems = (error as ConfigError).problems;
  for (const name of Object.keys(env)) {
    t.ok(problems.some((p) => p.startsWith(`${name}=`)), `names ${name}`);
  }
  t.match((error as ConfigError).message, /PORT="eighty" is invalid: expected a whole number from 0 to 65535/);
  t.match((error as ConfigError).message, /POSTS_DIR="\.\/no-such-folder" is invalid: expected an existing directory/);
  t.match((error as ConfigError).message, /WATCH="sometimes" is invalid: expected true, false or poll/);
});

t.test('SITE_URL must be an origin', async (t) => {
  for (const bad of ['https://example.com/news', 'https://example.com/?x=1', 'not a url', 'https://user@example.com']) {
    t.throws(() => loadConfig({ SITE_URL: bad }, ROOT), ConfigError, bad);
  }
});

t.test('settings written into feeds hold no character XML forbids', async (t) => {
  for (const bad of ['A\u0001B', 'A\u000CB', 'A\uFFFEB', 'A\u{10FFFF}B', 'A\u0085B']) {
    for (const name of ['SITE_TITLE', 'SITE_DESCRIPTION', 'PUBLISHER_NAME']) {
      t.throws(() => loadConfig({ [name]: bad }, ROOT), new RegExp(`${name}=.* is invalid: expected text without control characters`), `${name}: ${JSON.stringify(bad)}`);
    }
    t.throws(() => loadConfig({ PUBLISHER_LOGO: `/logo${bad}.png` }, ROOT), /PUBLISHER_LOGO=/);
    t.throws(() => loadConfig({ PUBLISHER_LOGO: `https://cdn.example.org/${bad}.png` }, ROOT), /PUBLISHER_LOGO=/);
  }
  t.equal(loadConfig({ SITE_TITLE: 'Café “Daily” \u{1F680}' }, ROOT).siteTitle, 'Café “Daily” \u{1F680}', 'any other text');
});

t.test('embeds can never come from the site itself', async (t) => {
  t.throws(() => loadConfig({ SITE_URL: 'https://news.example.com', EMBED_HOSTS: 'www.youtube.com,news.example.com' }, ROOT), /EMBED_HOSTS must not include the site's own host news\.example\.com/);
});

t.test('TRUST_PROXY, RATE_LIMIT_PER_MINUTE, RENDER_TIMEOUT_MS and EMBED_HOSTS=none', async (t) => {
  t.equal(loadConfig({}, ROOT).trustProxy, false);
  t.equal(loadConfig({ TRUST_PROXY: 'true' }, ROOT).trustProxy, true);
  t.equal(loadConfig({ TRUST_PROXY: 'false' }, ROOT).trustProxy, false);
  t.equal(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1, loopback' }, ROOT).trustProxy, '10.0.0.0/8,127.0.0.1,loopback');
  t.throws(() => loadConfig({ TRUST_PROXY: 'everyone' }, ROOT), /TRUST_PROXY="everyone" is invalid/);
  t.equal(loadConfig({}, ROOT).rateLimitPerMinute, 120);
  t.equal(loadConfig({ RATE_LIMIT_PER_MINUTE: '5' }, ROOT).rateLimitPerMinute, 5);
  t.equal(loadConfig({}, ROOT).renderTimeoutMs, 3000);
  t.throws(() => loadConfig({ RENDER_TIMEOUT_MS: '5' }, ROOT), /RENDER_TIMEOUT_MS/);
  t.same(loadConfig({ EMBED_HOSTS: 'none' }, ROOT).embedHosts, []);
});

t.test('scale-out settings', async (t) => {
  const config = loadConfig({
    CACHE_PURGE_URLS: ' http://varnish-a:6081/ , https://cdn.example/purge ',
    CACHE_SHARED_MAX_AGE: '3600',
    METRICS_PORT: '9100',
    METRICS_HOST: '0.0.0.0',
    REDIS_URL: 'redis://redis:6379/0',
    SHUTDOWN_DRAIN_MS: '3000',
  }, ROOT);
  t.same(config.cachePurgeUrls, ['http://varnish-a:6081/', 'https://cdn.example/purge']);
  t.equal(config.cacheSharedMaxAge, 3600);
  t.equal(config.metricsPort, 9100);
  t.equal(config.metricsHost, '0.0.0.0');
  t.equal(config.redisUrl, 'redis://redis:6379/0');
  t.equal(config.shutdownDrainMs, 3000);
  t.equal(loadConfig({ STARTUP_WAIT_MS: '0' }, ROOT).startupWaitMs, 0);
  t.throws(() => loadConfig({ STARTUP_WAIT_MS: '90000' }, ROOT), /STARTUP_WAIT_MS/);
  t.same(loadConfig({ CACHE_PURGE_URLS: '' }, ROOT).cachePurgeUrls, []);
  t.throws(() => loadConfig({ CACHE_PURGE_URLS: 'not a url' }, ROOT), /CACHE_PURGE_URLS="not a url" is invalid/);
  t.throws(() => loadConfig({ CACHE_PURGE_URLS: 'ftp://varnish/' }, ROOT), /CACHE_PURGE_URLS/, 'http(s) only');
  t.throws(() => loadConfig({ PORT: '9100', METRICS_PORT: '9100' }, ROOT), /METRICS_PORT must differ from PORT \(9100\)/);
  t.equal(loadConfig({ PORT: '0', METRICS_PORT: '0' }, ROOT).metricsPort, 0, 'both on free ports (tests)');
});

t.test('a posts folder that is a file is refused', async (t) => {
  t.throws(() => loadConfig({ POSTS_DIR: 'package.json' }, ROOT), /POSTS_DIR/);
});

t.test('image settings: defaults, values, and a cache folder that is safe to write', async (t) => {
  const defaults = loadConfig({}, ROOT);
  t.equal(defaults.imageCacheDir, path.join(os.tmpdir(), 'newsroom-images'), 'under the OS temp folder');
  t.equal(defaults.imageCacheBytes, 512 * 1024 * 1024);
  t.equal(defaults.imageMaxInputBytes, 40 * 1024 * 1024);
  t.equal(defaults.imageMaxPixels, 100_000_000);
  t.equal(defaults.imageJobTimeoutMs, 20_000);

  const dir = t.testdir({ cache: {}, 'a-file': 'x' });
  const config = loadConfig(
    { IMAGE_CACHE_DIR: path.join(dir, 'cache'), IMAGE_CACHE_MB: '64', IMAGE_MAX_INPUT_MB: '10', IMAGE_MAX_PIXELS: '50000000', IMAGE_JOB_TIMEOUT_MS: '5000' },
    ROOT,
  );
  t.same(
    [config.imageCacheDir, config.imageCacheBytes, config.imageMaxInputBytes, config.imageMaxPixels, config.imageJobTimeoutMs],
    [path.join(dir, 'cache'), 64 * 1024 * 1024, 10 * 1024 * 1024, 50_000_000, 5000],
  );
  t.equal(loadConfig({ IMAGE_CACHE_DIR: 'var/images' }, ROOT).imageCacheDir, path.join(ROOT, 'var/images'), 'relative to the working folder; need not exist yet');

  t.throws(() => loadConfig({ IMAGE_CACHE_DIR: './public' }, ROOT), /IMAGE_CACHE_DIR="\.\/public" is invalid: expected a folder outside PUBLIC_DIR/);
  t.throws(() => loadConfig({ IMAGE_CACHE_DIR: 'public/assets/cache' }, ROOT), /IMAGE_CACHE_DIR/, 'not inside it either');
  t.throws(() => loadConfig({ IMAGE_CACHE_DIR: path.join(dir, 'a-file') }, ROOT), /IMAGE_CACHE_DIR=.* is invalid: expected a directory/);
  fs.symlinkSync(path.join(ROOT, 'public'), path.join(dir, 'link'));
  t.throws(() => loadConfig({ IMAGE_CACHE_DIR: path.join(dir, 'link') }, ROOT), /IMAGE_CACHE_DIR/, 'nor a link into it');
});

t.test('the post cache folder: a default, a folder of one\'s own, or off', async (t) => {
  t.equal(loadConfig({}, ROOT).postCacheDir, path.join(os.tmpdir(), 'newsroom-posts'));
  t.equal(loadConfig({ POST_CACHE_DIR: 'var/posts' }, ROOT).postCacheDir, path.join(ROOT, 'var/posts'), 'relative to the working folder');
  t.equal(loadConfig({ POST_CACHE_DIR: 'off' }, ROOT).postCacheDir, null);
  t.throws(() => loadConfig({ POST_CACHE_DIR: 'public/cache' }, ROOT), /POST_CACHE_DIR="public\/cache" is invalid: expected a folder outside PUBLIC_DIR/);
});

t.test('related stories, reading rate, the API cap and the writer\'s preview', async (t) => {
  const defaults = loadConfig({}, ROOT);
  t.same([defaults.relatedPosts, defaults.readingRate, defaults.readingRateCjk, defaults.apiMaxLimit, defaults.dev], [4, 265, 500, 1000, false]);
  const set = loadConfig({ RELATED_POSTS: '0', READING_RATE: '200', READING_RATE_CJK: '400', API_MAX_LIMIT: '50', DEV: 'yes' }, ROOT);
  t.same([set.relatedPosts, set.readingRate, set.readingRateCjk, set.apiMaxLimit, set.dev], [0, 200, 400, 50, true]);
  t.equal(loadConfig({ DEV: '0' }, ROOT).dev, false);
  let error: unknown;
  try {
    loadConfig({ RELATED_POSTS: '13', READING_RATE: '0', API_MAX_LIMIT: 'all', DEV: 'maybe' }, ROOT);
  } catch (err) {
    error = err;
  }
  t.same((error as ConfigError).problems, [
    'RELATED_POSTS="13" is invalid: expected a whole number from 0 to 12',
    'READING_RATE="0" is invalid: expected a whole number from 50 to 2000',
    'API_MAX_LIMIT="all" is invalid: expected a whole number from 1 to 100000',
    'DEV="maybe" is invalid: expected true or false (1 or 0)',
  ]);
});
