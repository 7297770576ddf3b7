// A Jekyll site's settings from its `_config.yml` (in the posts folder, else its parent):
// title, description, url, baseurl, timezone, paginate, logo, permalink. They are
// defaults under the environment variables, read once at startup (as `jekyll serve`
// reads them: a change takes effect on restart). Bad values are reported and skipped.
import { dataFolders, findDataFile, readDataFile, textOf } from './data-files.js';
import { toRootPath } from './paths.js';

export const CONFIG_FILES = ['_config.yml', '_config.yaml'];

export interface SiteSettingsFile {
  /** The file read, if any. */
  readonly file: string | null;
  readonly title?: string;
  readonly description?: string;
  /** An origin, `https://news.example.com`. */
  readonly url?: string;
  /** The path the old site was served under (`/blog`), without a trailing slash. */
  readonly baseUrl?: string;
  readonly timeZone?: string;
  readonly pageSize?: number;
  /** A root path or an http(s) URL. */
  readonly logo?: string;
  /** The posts' permalink as a template (`/:categories/:year/:month/:day/:title/`). */
  readonly permalink?: string;
  /** What could not be used, each naming the key. */
  readonly warnings: readonly string[];
}

/** Jekyll's built-in permalink styles, as templates. */
export const PERMALINK_STYLES: Readonly<Record<string, string>> = {
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

const KNOWN_PLACEHOLDERS = new Set(['year', 'month', 'day', 'title', 'slug', 'categories', 'i_month', 'i_day', 'short_year', 'y_day', 'output_ext']);

export function loadSiteSettings(postsDir: string, folders = dataFolders(postsDir)): SiteSettingsFile {
  const file = findDataFile(postsDir, CONFIG_FILES, folders);
  if (!file) return { file: null, warnings: [] };
  let data: Record<string, unknown>;
  try {
    data = readDataFile(file);
  } catch (err) {
    return { file, warnings: [(err as Error).message] };
  }
  return { file, ...parseSiteSettings(data) };
}

/** The settings in a parsed `_config.yml`. Pure. */
export function parseSiteSettings(data: Readonly<Record<string, unknown>>): Omit<SiteSettingsFile, 'file'> {
  const warnings: string[] = [];
  const settings: { -readonly [K in keyof SiteSettingsFile]?: SiteSettingsFile[K] } = {};
  const given = (key: string) => data[key] !== undefined && data[key] !== null && textOf(data[key]) !== '';
  const bad = (key: string, accepts: string) => warnings.push(`${key}: ${JSON.stringify(data[key])} is not ${accepts}: ignored`);

  if (given('title')) settings.title = textOf(data.title);
  if (given('description')) settings.description = textOf(data.description);
  if (given('url')) {
    try {
      const url = new URL(textOf(data.url));
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
      settings.url = url.origin;
      // `url: https://example.com/blog` is a base path too, as Jekyll sites sometimes write it.
      if (url.pathname !== '/') settings.baseUrl = url.pathname.replace(/\/+$/, '');
    } catch {
      bad('url', 'an http(s) URL');
    }
  }
  if (given('baseurl')) {
    const base = textOf(data.baseurl).replace(/\/+$/, '');
    if (base === '') delete settings.baseUrl;
    else if (/^(\/[A-Za-z0-9._~-]+)+$/.test(base) && !/\/\.\.?(\/|$)/.test(base)) settings.baseUrl = base;
    else bad('baseurl', 'a path such as /blog');
  }
  if (given('timezone')) {
    try {
      settings.timeZone = new Intl.DateTimeFormat('en', { timeZone: textOf(data.timezone) }).resolvedOptions().timeZone;
    } catch {
      bad('timezone', 'an IANA time zone such as Europe/Berlin');
    }
  }
  if (given('paginate')) {
    const n = Number(textOf(data.paginate));
    if (Number.isInteger(n) && n >= 1 && n <= 100) settings.pageSize = n;
    else bad('paginate', 'a whole number from 1 to 100');
  }
  if (given('logo')) {
    const logo = textOf(data.logo);
    const local = /^https?:\/\//i.test(logo) ? null : toRootPath(logo);
    if (/^https?:\/\/[^\s]+$/i.test(logo)) settings.logo = logo;
    else if (local) settings.logo = local;
    else bad('logo', 'a path from the site root or an http(s) URL');
  }
  if (given('permalink')) {
    const raw = textOf(data.permalink);
    const template = PERMALINK_STYLES[raw] ?? raw;
    const unknown = [...template.matchAll(/:([a-z_]+)/g)].map((m) => m[1]!).filter((p) => !KNOWN_PLACEHOLDERS.has(p));
    if (!template.startsWith('/')) bad('permalink', `one of ${Object.keys(PERMALINK_STYLES).join(', ')} or a template starting with /`);
    else if (unknown.length > 0) bad('permalink', `a template with known placeholders (unknown: :${unknown.join(', :')})`);
    else if (!/:(title|slug)\b/.test(template)) bad('permalink', 'a template with :title or :slug (every post would share one URL)');
    else settings.permalink = template;
  }
  return { ...settings, warnings };
}
