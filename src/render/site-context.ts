// What every view-model builder needs besides the index: site settings, the Markdown
// renderer, the excerpt and date helpers, and asset URLs. Built once per app.
import type { Config } from '../config.js';
import { createExcerpter } from './excerpt.js';
import { createDateFormatter, type DateFormatter } from './format-date.js';
import { createMarkdownRenderer, type MarkdownRenderer } from './markdown.js';
import type { Post } from '../content/post.js';

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
>;

export interface SiteContext {
  readonly settings: SiteSettings;
  readonly markdown: MarkdownRenderer;
  readonly excerpt: (post: Post) => string;
  readonly dates: DateFormatter;
  /** Fingerprinted stylesheet URL, e.g. `/assets/site.3f2a9c1e.css`. */
  readonly stylesheet: string;
}

export function createSiteContext(settings: SiteSettings, stylesheet: string): SiteContext {
  const markdown = createMarkdownRenderer({ siteUrl: settings.siteUrl, embedHosts: settings.embedHosts });
  return {
    settings,
    markdown,
    excerpt: createExcerpter(markdown.parser),
    dates: createDateFormatter(settings.siteLanguage, settings.timeZone),
    stylesheet,
  };
}
