// What every view-model builder needs besides the index: site settings, post bodies,
// the date helpers, and asset URLs. Built once per app; the settings follow the site's
// `_config.yml` as the index last read it (under the environment's, config.ts).
import { withSiteFile, type Config } from '../config.js';
import type { Post } from '../content/post.js';
import type { SiteSettingsFile } from '../content/site-config.js';
import { createDateFormatter, type DateFormatter } from './format-date.js';
import type { MarkdownOptions } from './markdown/markdown.js';
import { createPostBodies, type PostBodies } from './markdown/post-bodies.js';

export type SiteSettings = Pick<
  Config,
  | 'fromEnvironment'
  | 'port'
  | 'sitePermalink'
  | 'siteUrl'
  | 'postsDir'
  | 'maxPostBytes'
  | 'siteTitle'
  | 'siteDescription'
  | 'siteLanguage'
  | 'timeZone'
  | 'pageSize'
  | 'embedHosts'
  | 'feedSize'
  | 'sitemapPartSize'
  | 'publisherName'
  | 'publisherLogo'
  | 'renderTimeoutMs'
  | 'pageCacheBytes'
  | 'navSections'
  | 'featuredSize'
  | 'baseUrl'
  | 'dev'
>;

export interface SiteContext {
  readonly settings: SiteSettings;
  /** A post's body as sanitised HTML, read and rendered in a worker on first use. */
  readonly body: PostBodies;
  readonly dates: DateFormatter;
  /** Fingerprinted stylesheet URL, e.g. `/assets/css/site.3f2a9c1e0b4d.css`. */
  readonly stylesheet: string;
}

export interface BodyEvents {
  /** The body could not be rendered (too slow, or the renderer failed). */
  readonly onFailure: (post: Post, err: Error) => void;
  /** The post's file could not be read just now. */
  readonly onUnavailable: (post: Post) => void;
}

/**
 * `siteFile()`: the `_config.yml` settings of the current index (null before the first
 * read: `config` as loaded). Everything derived from them is made again when they change.
 */
export function createSiteContext(
  config: SiteSettings,
  stylesheet: string,
  events: BodyEvents,
  siteFile: () => SiteSettingsFile | null,
): SiteContext {
  let file: SiteSettingsFile | null = null;
  let settings = config;
  let markdown = markdownOf(config);
  let dates = createDateFormatter(config.siteLanguage, config.timeZone);
  const current = (): void => {
    const next = siteFile();
    // Null until the posts are first read: the configuration as loaded meanwhile.
    if (next === file || next === null) return;
    file = next;
    const was = settings;
    settings = withSiteFile(config, next);
    const body = markdownOf(settings);
    if (JSON.stringify(body) !== JSON.stringify(markdown)) markdown = body;
    if (settings.timeZone !== was.timeZone) dates = createDateFormatter(settings.siteLanguage, settings.timeZone);
  };
  // A quarter of the page cache's memory: a body is kept while pages that show it are.
  const body = createPostBodies({
    markdown: () => {
      current();
      return markdown;
    },
    from: { postsDir: config.postsDir, maxPostBytes: config.maxPostBytes },
    timeoutMs: config.renderTimeoutMs,
    maxChars: config.pageCacheBytes / 4,
    ...events,
  });
  return {
    get settings() {
      current();
      return settings;
    },
    body,
    get dates() {
      current();
      return dates;
    },
    stylesheet,
  };
}

function markdownOf(settings: SiteSettings): MarkdownOptions {
  return {
    siteUrl: settings.siteUrl,
    embedHosts: settings.embedHosts,
    siteTitle: settings.siteTitle,
    siteDescription: settings.siteDescription,
  };
}
