// What every view-model builder needs besides the index: site settings, post bodies,
// the date helpers, and asset URLs. Built once per app.
import type { Config } from '../config.js';
import type { Post } from '../content/post.js';
import { createDateFormatter, type DateFormatter } from './format-date.js';
import { createPostBodies, type PostBodies } from './post-bodies.js';

export type SiteSettings = Pick<
  Config,
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

export function createSiteContext(settings: SiteSettings, stylesheet: string, events: BodyEvents): SiteContext {
  const markdown = { siteUrl: settings.siteUrl, embedHosts: settings.embedHosts };
  return {
    settings,
    // A quarter of the page cache's memory: a body is kept while pages that show it are.
    body: createPostBodies({
      markdown,
      from: { postsDir: settings.postsDir, maxPostBytes: settings.maxPostBytes },
      timeoutMs: settings.renderTimeoutMs,
      maxChars: settings.pageCacheBytes / 4,
      ...events,
    }),
    dates: createDateFormatter(settings.siteLanguage, settings.timeZone),
    stylesheet,
  };
}
