// What every view-model builder needs besides the index: site settings, post bodies,
// the excerpt and date helpers, and asset URLs. Built once per app.
import type { Config } from '../config.js';
import type { Post } from '../content/post.js';
import { createExcerpter } from './excerpt.js';
import { createDateFormatter, type DateFormatter } from './format-date.js';
import { createMarkdownRenderer } from './markdown.js';
import { createPostBodies, type PostBodies } from './post-bodies.js';

export type SiteSettings = Pick<
  Config,
  | 'siteUrl'
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
>;

export interface SiteContext {
  readonly settings: SiteSettings;
  /** A post's body as sanitised HTML, rendered in a worker on first use. */
  readonly body: PostBodies;
  readonly excerpt: (post: Post) => string;
  readonly dates: DateFormatter;
  /** Fingerprinted stylesheet URL, e.g. `/assets/css/site.3f2a9c1e0b4d.css`. */
  readonly stylesheet: string;
}

export function createSiteContext(
  settings: SiteSettings,
  stylesheet: string,
  onBodyFailure: (post: Post, err: Error) => void,
): SiteContext {
  const markdown = { siteUrl: settings.siteUrl, embedHosts: settings.embedHosts };
  return {
    settings,
    // A quarter of the page cache's memory: a body is kept while pages that show it are.
    body: createPostBodies({ markdown, timeoutMs: settings.renderTimeoutMs, maxChars: settings.pageCacheBytes / 4, onFailure: onBodyFailure }),
    // Excerpts parse at most the first few KB of a body: cheap enough for this thread.
    excerpt: createExcerpter(createMarkdownRenderer(markdown).parser),
    dates: createDateFormatter(settings.siteLanguage, settings.timeZone),
    stylesheet,
  };
}
