// Configuration from environment variables: defaults, validation, and one error that
// names every bad variable so an operator fixes them all in one go.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanText } from './content/clean-text.js';
import { loadSiteSettings, type SiteSettingsFile } from './content/site-config.js';
import { isInside } from './content/paths.js';
import { slugify } from './content/slug.js';

export type WatchMode = 'events' | 'poll' | 'off';

export type PermalinkMode = 'serve' | 'redirect';

/** The settings a site's `_config.yml` may give, under the environment's (site-config.ts). */
export type FileSetting = 'siteUrl' | 'siteTitle' | 'siteDescription' | 'timeZone' | 'pageSize' | 'publisherName' | 'publisherLogo';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly postsDir: string;
  readonly publicDir: string;
  /** Origin without a trailing slash, e.g. `https://news.example.com`. */
  readonly siteUrl: string;
  readonly siteTitle: string;
  readonly siteDescription: string;
  readonly siteLanguage: string;
  readonly timeZone: string;
  readonly pageSize: number;
  readonly cacheMaxAge: number;
  readonly cacheStaleWhileRevalidate: number;
  /** How the folders are followed: file system events, polling (NFS, EFS), or not at all. */
  readonly watch: WatchMode;
  /** Polling: the time between two looks at the folders. */
  readonly watchPollMs: number;
  readonly logLevel: LogLevel;
  /** Rendered pages kept in memory, in bytes (all encodings counted). */
  readonly pageCacheBytes: number;
  /** Post files larger than this are skipped. */
  readonly maxPostBytes: number;
  /** Hosts whose iframes may be embedded in posts. */
  readonly embedHosts: readonly string[];
  /** Posts in each feed. */
  readonly feedSize: number;
  /** URLs per sitemap file; above it /sitemap.xml becomes an index of parts. */
  readonly sitemapPartSize: number;
  /** The organisation in JSON-LD and the Google News sitemap. */
  readonly publisherName: string;
  /** Root-relative path or absolute URL of the publisher's logo. */
  readonly publisherLogo: string;
  /** A post body that takes longer to render is taken off the site. */
  readonly renderTimeoutMs: number;
  /** Searches, and feeds or sitemaps that must be rendered, per client per minute. */
  readonly rateLimitPerMinute: number;
  /** Fastify's trustProxy: whose X-Forwarded-For to believe for the client address. */
  readonly trustProxy: boolean | string;
  /** Section slugs for the masthead, in order; empty: every section by name (up to 8). */
  readonly navSections: readonly string[];
  /** When set, /status.json asks for it (Authorization: Bearer …). */
  readonly statusToken: string | null;
  /** Response header naming the cache keys of what a response shows (`xkey`), or null. */
  readonly surrogateKeyHeader: string | null;
  /** Featured stories in the front page's featured block, at most. */
  readonly featuredSize: number;
  /** The posts' permalink template from `_config.yml`, if any. */
  readonly sitePermalink: string | null;
  /** `serve`: posts are served at `sitePermalink`; `redirect`: its URLs answer 301 to ours. */
  readonly permalinkMode: PermalinkMode;
  /** `_config.yml`'s baseurl (`/blog`): old links under it redirect to the site root. Empty: none. */
  readonly baseUrl: string;
  /** The settings the environment set: a `_config.yml` never overrides them. */
  readonly fromEnvironment: ReadonlySet<FileSetting>;
  /** Caches (Varnish, a CDN's purge endpoint) told which keys changed after each update. */
  readonly cachePurgeUrls: readonly string[];
  /** `s-maxage` of pages while purges are sent: shared caches may keep them that long. */
  readonly cacheSharedMaxAge: number;
  /** Prometheus metrics on this port (its own listener), or null for none; 0 picks a free one. */
  readonly metricsPort: number | null;
  /** Address for the metrics listener (loopback unless told otherwise). */
  readonly metricsHost: string;
  /** Redis for rate-limit counters shared by every replica, or null for per-process ones. */
  readonly redisUrl: string | null;
  /** On SIGTERM, /readyz answers 503 this long (pages are still served) before closing starts. */
  readonly shutdownDrainMs: number;
  /** A request that comes while the posts load waits this long for them before a 503. */
  readonly startupWaitMs: number;
  /** Image variants on disk: outside PUBLIC_DIR, created at start if missing. */
  readonly imageCacheDir: string;
  /** What each post file parsed into, so a restart reads only changed files (null: off). */
  readonly postCacheDir: string | null;
  /** Size cap of imageCacheDir, in bytes; least recently used variants go first. */
  readonly imageCacheBytes: number;
  /** Source images larger than this are not read. */
  readonly imageMaxInputBytes: number;
  /** Source images with more pixels (width x height) are not decoded. */
  readonly imageMaxPixels: number;
  /** A resize job that takes longer is stopped. */
  readonly imageJobTimeoutMs: number;
  /** Related stories at the end of a post (0: none). */
  readonly relatedPosts: number;
  /** Reading time: words per minute, and CJK characters per minute. */
  readonly readingRate: number;
  readonly readingRateCjk: number;
  /** Most posts, tags or authors one Content API response lists (`limit=all` included). */
  readonly apiMaxLimit: number;
  /** The writer's preview (`npm run dev`): drafts and future posts shown, pages reload on change. */
  readonly dev: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates the configuration; throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const port = read.integer('PORT', 3000, 0, 65535);
  const host = read.string('HOST', '127.0.0.1');
  const postsDir = read.directory('POSTS_DIR', './posts', cwd);
  const publicDir = read.directory('PUBLIC_DIR', './public', cwd);
  const siteUrl = read.origin('SITE_URL', `http://localhost:${port}`);
  const timeZone = read.timeZone('SITE_TIMEZONE', DEFAULTS.timeZone);
  const siteTitle = read.text('SITE_TITLE', DEFAULTS.siteTitle);
  const given = (setting: FileSetting, name: string) => (env[name]?.trim() ? [setting] : []);
  const base: Config = {
    port,
    host,
    postsDir,
    publicDir,
    siteUrl,
    siteTitle,
    siteDescription: read.text('SITE_DESCRIPTION', DEFAULTS.siteDescription),
    siteLanguage: read.language('SITE_LANGUAGE', 'en'),
    timeZone,
    pageSize: read.integer('PAGE_SIZE', DEFAULTS.pageSize, 1, 100),
    cacheMaxAge: read.integer('CACHE_MAX_AGE', 60, 0, 31_536_000),
    cacheStaleWhileRevalidate: read.integer('CACHE_STALE_WHILE_REVALIDATE', 600, 0, 31_536_000),
    watch: read.watchMode('WATCH'),
    watchPollMs: read.integer('WATCH_POLL_MS', 2000, 100, 3_600_000),
    logLevel: read.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    pageCacheBytes: read.integer('PAGE_CACHE_MB', 64, 1, 65_536) * 1024 * 1024,
    maxPostBytes: read.integer('MAX_POST_BYTES', 5 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    embedHosts: read.hostList('EMBED_HOSTS', ['www.youtube.com', 'www.youtube-nocookie.com', 'player.vimeo.com']),
    feedSize: read.integer('FEED_SIZE', 20, 1, 100),
    sitemapPartSize: read.integer('SITEMAP_PART_SIZE', 50_000, 1, 50_000),
    publisherName: read.text('PUBLISHER_NAME', siteTitle),
    publisherLogo: read.urlOrPath('PUBLISHER_LOGO', DEFAULTS.publisherLogo),
    renderTimeoutMs: read.integer('RENDER_TIMEOUT_MS', 3000, 100, 60_000),
    rateLimitPerMinute: read.integer('RATE_LIMIT_PER_MINUTE', 120, 1, 1_000_000),
    trustProxy: read.trustProxy('TRUST_PROXY'),
    navSections: read.string('NAV_SECTIONS', '').split(',').map((s) => slugify(s)).filter(Boolean),
    statusToken: read.string('STATUS_TOKEN', '') || null,
    surrogateKeyHeader: read.headerName('SURROGATE_KEY_HEADER', 'xkey'),
    featuredSize: read.integer('FEATURED_SIZE', 6, 1, 50),
    sitePermalink: null,
    permalinkMode: read.oneOf('PERMALINK_MODE', 'serve', ['serve', 'redirect']),
    baseUrl: '',
    fromEnvironment: new Set([
      ...given('siteUrl', 'SITE_URL'),
      ...given('siteTitle', 'SITE_TITLE'),
      ...given('siteDescription', 'SITE_DESCRIPTION'),
      ...given('timeZone', 'SITE_TIMEZONE'),
      ...given('pageSize', 'PAGE_SIZE'),
      ...given('publisherName', 'PUBLISHER_NAME'),
      ...given('publisherLogo', 'PUBLISHER_LOGO'),
    ]),
    cachePurgeUrls: read.urlList('CACHE_PURGE_URLS'),
    cacheSharedMaxAge: read.integer('CACHE_SHARED_MAX_AGE', 86_400, 0, 31_536_000),
    metricsPort: read.optionalInteger('METRICS_PORT', 0, 65535),
    metricsHost: read.string('METRICS_HOST', '127.0.0.1'),
    redisUrl: read.redisUrl('REDIS_URL'),
    shutdownDrainMs: read.integer('SHUTDOWN_DRAIN_MS', 0, 0, 60_000),
    startupWaitMs: read.integer('STARTUP_WAIT_MS', 10_000, 0, 60_000),
    imageCacheDir: read.cacheDirectory('IMAGE_CACHE_DIR', path.join(os.tmpdir(), 'newsroom-images'), cwd, publicDir),
    postCacheDir: read.optionalCacheDirectory('POST_CACHE_DIR', path.join(os.tmpdir(), 'newsroom-posts'), cwd, publicDir),
    imageCacheBytes: read.integer('IMAGE_CACHE_MB', 512, 1, 1_048_576) * 1024 * 1024,
    imageMaxInputBytes: read.integer('IMAGE_MAX_INPUT_MB', 40, 1, 1024) * 1024 * 1024,
    // 100 MP: more than any full-frame camera (61 MP) and matched to the 40 MB file cap;
    // past it a file is a print master or a decompression bomb (a few KB of PNG can
    // claim 50,000 x 50,000 pixels), not a web picture. sharp's own limit is 268 MP.
    imageMaxPixels: read.integer('IMAGE_MAX_PIXELS', 100_000_000, 1_000_000, 268_402_689),
    imageJobTimeoutMs: read.integer('IMAGE_JOB_TIMEOUT_MS', 20_000, 1000, 300_000),
    relatedPosts: read.integer('RELATED_POSTS', 4, 0, 12),
    readingRate: read.integer('READING_RATE', 265, 50, 2000),
    readingRateCjk: read.integer('READING_RATE_CJK', 500, 50, 5000),
    apiMaxLimit: read.integer('API_MAX_LIMIT', 1000, 1, 100_000),
    dev: read.flag('DEV', false),
  };
  // A migrated Jekyll site's `_config.yml`: its settings are the defaults the
  // environment variables override (and followed live, see content-store.ts).
  const config = problems.length === 0 ? withSiteFile(base, loadSiteSettings(postsDir)) : base;
  if (config.metricsPort !== null && config.metricsPort !== 0 && config.metricsPort === config.port) {
    problems.push(`METRICS_PORT must differ from PORT (${config.port}): metrics stay off the public port`);
  }
  // Embeds keep allow-same-origin in their sandbox (players need it); that is only safe
  // while an embed can never be a page of this site.
  const ownHost = new URL(config.siteUrl).hostname;
  if (config.embedHosts.includes(ownHost)) {
    problems.push(`EMBED_HOSTS must not include the site's own host ${ownHost} (SITE_URL)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const DEFAULTS = {
  siteTitle: 'Newsroom',
  siteDescription: 'News, analysis and reporting.',
  timeZone: 'UTC',
  pageSize: 10,
  publisherLogo: '/assets/logo.png',
} as const;

/** What `withSiteFile` reads and writes. */
export type SiteFileTarget = Pick<Config, FileSetting | 'fromEnvironment' | 'port' | 'embedHosts' | 'sitePermalink' | 'baseUrl'>;

/**
 * `config` with the settings of a site's `_config.yml` where the environment set none
 * (a setting the file no longer gives falls back to its default). Pure.
 */
export function withSiteFile<C extends SiteFileTarget>(config: C, file: Omit<SiteSettingsFile, 'file' | 'warnings'>): C {
  const env = config.fromEnvironment;
  const pick = <K extends FileSetting>(key: K, fromFile: C[K] | undefined, fallback: C[K]): C[K] =>
    env.has(key) ? config[key] : (fromFile ?? fallback);
  const siteTitle = pick('siteTitle', file.title, DEFAULTS.siteTitle);
  // An embed host can never be the site's own (see loadConfig): such a url is not taken.
  const url = file.url && !config.embedHosts.includes(new URL(file.url).hostname) ? file.url : undefined;
  return {
    ...config,
    siteUrl: pick('siteUrl', url, `http://localhost:${config.port}`),
    siteTitle,
    siteDescription: pick('siteDescription', file.description, DEFAULTS.siteDescription),
    timeZone: pick('timeZone', file.timeZone, DEFAULTS.timeZone),
    pageSize: pick('pageSize', file.pageSize, DEFAULTS.pageSize),
    publisherName: pick('publisherName', undefined, siteTitle),
    publisherLogo: pick('publisherLogo', file.logo, DEFAULTS.publisherLogo),
    sitePermalink: file.permalink ?? null,
    baseUrl: file.baseUrl ?? '',
  };
}

function realpathOrSelf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  private fail<T>(name: string, value: string, accepts: string, fallback: T): T {
    this.problems.push(`${name}=${JSON.stringify(value)} is invalid: expected ${accepts}`);
    return fallback;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  /** Text shown in pages and written into feeds: a control character would break the XML. */
  text(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (cleanText(value) !== value) return this.fail(name, value, 'text without control characters or noncharacters', fallback);
    return value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      return this.fail(name, value, `a whole number from ${min} to ${max}`, fallback);
    }
    return n;
  }

  /** `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off`. */
  flag(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const lower = value.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(lower)) return true;
    if (['false', '0', 'no', 'off'].includes(lower)) return false;
    return this.fail(name, value, 'true or false (1 or 0)', fallback);
  }

  /** `true` (file system events), `poll`, or `false`. */
  watchMode(name: string): WatchMode {
    const value = this.raw(name);
    if (value === undefined) return 'events';
    const lower = value.toLowerCase();
    if (lower === 'poll') return 'poll';
    if (['true', '1', 'yes', 'on'].includes(lower)) return 'events';
    if (['false', '0', 'no', 'off'].includes(lower)) return 'off';
    return this.fail(name, value, 'true, false or poll', 'events');
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const match = allowed.find((a) => a === value.toLowerCase());
    return match ?? this.fail(name, value, `one of ${allowed.join(', ')}`, fallback);
  }

  directory(name: string, fallback: string, cwd: string): string {
    const value = this.raw(name) ?? fallback;
    const resolved = path.resolve(cwd, value);
    let isDirectory = false;
    try {
      isDirectory = fs.statSync(resolved).isDirectory();
    } catch {
      // reported below with the path, which is what the operator needs
    }
    if (!isDirectory) return this.fail(name, value, `an existing directory (${resolved} is not one)`, resolved);
    return resolved;
  }

  /**
   * A folder the app writes to: it need not exist yet (it is created at start), but if
   * it does it must be a folder, and it must never be inside the public folder, where
   * its files would be served as they are.
   */
  cacheDirectory(name: string, fallback: string, cwd: string, publicDir: string): string {
    const value = this.raw(name) ?? fallback;
    const resolved = path.resolve(cwd, value);
    // Symbolic links resolved where the folders exist: a link must not lead inside either.
    const [real, realPublic] = [resolved, publicDir].map(realpathOrSelf) as [string, string];
    if (real === realPublic || isInside(real, realPublic)) {
      return this.fail(name, value, `a folder outside PUBLIC_DIR (${publicDir})`, resolved);
    }
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(resolved);
    } catch {
      // missing: created at start
    }
    if (stat && !stat.isDirectory()) return this.fail(name, value, `a directory (${resolved} is a file)`, resolved);
    return resolved;
  }

  /** The same, or null for `off`. */
  optionalCacheDirectory(name: string, fallback: string, cwd: string, publicDir: string): string | null {
    return this.raw(name) === 'off' ? null : this.cacheDirectory(name, fallback, cwd, publicDir);
  }

  origin(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const accepts = 'an http(s) URL with no path, query or fragment, e.g. https://news.example.com';
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return this.fail(name, value, accepts, fallback);
    }
    const plain = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
    if (!['http:', 'https:'].includes(url.protocol) || !plain) return this.fail(name, value, accepts, fallback);
    return url.origin;
  }

  urlOrPath(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const plain = cleanText(value) === value;
    if (plain && (/^\/(?!\/)[^\s\\]*$/.test(value) || /^https?:\/\/[^\s]+$/i.test(value))) return value;
    return this.fail(name, value, 'a path from the site root (/assets/logo.png) or an http(s) URL', fallback);
  }

  trustProxy(name: string): boolean | string {
    const value = this.raw(name);
    if (value === undefined || value === 'false') return false;
    if (value === 'true') return true;
    const addresses = value.split(',').map((a) => a.trim());
    if (addresses.every((a) => /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(a) || ['loopback', 'linklocal', 'uniquelocal'].includes(a))) {
      return addresses.join(',');
    }
    return this.fail(name, value, 'false, true, or a comma-separated list of proxy addresses or CIDRs (e.g. 10.0.0.0/8)', false);
  }

  /** A whole number in range, or null when not set. */
  optionalInteger(name: string, min: number, max: number): number | null {
    return this.raw(name) === undefined ? null : this.integer(name, min, min, max);
  }

  /** Comma-separated http(s) URLs (purge endpoints), or none. */
  urlList(name: string): readonly string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    const urls = value.split(',').map((u) => u.trim()).filter(Boolean);
    const bad = urls.filter((u) => {
      try {
        return !['http:', 'https:'].includes(new URL(u).protocol);
      } catch {
        return true;
      }
    });
    if (bad.length > 0) return this.fail(name, value, 'comma-separated http(s) URLs, e.g. http://varnish:6081/', []);
    return urls;
  }

  redisUrl(name: string): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    if (/^rediss?:\/\/[^\s]+$/i.test(value)) return value;
    return this.fail(name, value, 'a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379', null);
  }

  /** An HTTP header name, or `none`. */
  headerName(name: string, fallback: string): string | null {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (value.toLowerCase() === 'none') return null;
    // RFC 9110 token characters; lower-case, as Node sends header names.
    if (/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(value)) return value.toLowerCase();
    return this.fail(name, value, 'an HTTP header name such as xkey, Surrogate-Key or Cache-Tag, or none', fallback);
  }

  hostList(name: string, fallback: readonly string[]): readonly string[] {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (value.toLowerCase() === 'none') return [];
    const hosts = value.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
    const bad = hosts.filter((h) => !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(h));
    if (bad.length > 0) return this.fail(name, value, 'a comma-separated list of host names such as www.youtube.com', fallback);
    return hosts;
  }

  timeZone(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    try {
      // The canonical spelling keeps formatted dates and cache keys consistent.
      return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      return this.fail(name, value, 'an IANA time zone such as UTC or Europe/Berlin', fallback);
    }
  }

  language(name: string, fallback: string): string {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    try {
      const [canonical] = Intl.getCanonicalLocales(value);
      if (canonical) return canonical;
    } catch {
      // falls through to the error below
    }
    return this.fail(name, value, 'a BCP 47 language tag such as en or en-GB', fallback);
  }
}
