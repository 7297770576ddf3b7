// Search results as JSON (/search.json): what the search page's cards show, with
// absolute URLs, for apps and front-ends.
import type { IndexSnapshot } from '../../content/build-index.js';
import { leadImageOf } from '../../content/lead-image.js';
import type { Post } from '../../content/post.js';
import { toZonedIso } from '../../content/time-zone.js';
import { termName } from '../pages/to-card.js';
import type { SiteContext } from '../site-context.js';
import { absoluteUrl, termUrl } from '../urls.js';

export interface SearchResult {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly excerpt: string;
  readonly published_at: string;
  readonly reading_time: number;
  readonly feature_image: string | null;
  readonly section: { readonly name: string; readonly url: string } | null;
  readonly authors: readonly { readonly name: string; readonly url: string }[];
}

export function toSearchResults(site: SiteContext, snapshot: IndexSnapshot, posts: readonly Post[]): SearchResult[] {
  const { siteUrl, timeZone } = site.settings;
  const abs = (path: string) => absoluteUrl(siteUrl, path);
  return posts.map((post) => {
    const image = leadImageOf(snapshot, post);
    const section = post.categories[0];
    return {
      id: post.id,
      title: post.title,
      url: abs(post.url),
      excerpt: post.summary,
      published_at: toZonedIso(post.date, timeZone),
      reading_time: post.readingMinutes,
      feature_image: image ? abs(image.src) : null,
      section: section ? { name: snapshot.categories.bySlug.get(section.slug)!.name, url: abs(termUrl('categories', section.slug)) } : null,
      authors: post.authors.map((a) => ({ name: termName(snapshot, 'authors', a.slug), url: abs(termUrl('authors', a.slug)) })),
    };
  });
}
