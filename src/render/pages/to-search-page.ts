// The search page's view-model: the form (with the query), the number of results, and
// a page of result cards.
import type { IndexSnapshot } from '../../content/build-index.js';
import type { Post } from '../../content/post.js';
import { buildPageMeta } from './page-meta.js';
import type { Page } from './pagination.js';
import type { SiteContext } from '../site-context.js';
import type { ImageLookup } from '../../images/image-lookup.js';
import { toCards } from './to-card.js';
import { toChrome } from './to-chrome.js';
import type { ListingPageView } from './to-pages.js';

export interface SearchPageView extends Omit<ListingPageView, 'lead' | 'featuredBlock' | 'featured' | 'isFrontPage' | 'subnav' | 'kicker' | 'profile'> {
  readonly query: string;
  /** `12 results for "harbour"`, or what to do when there are none. */
  readonly summary: string;
}

export function searchUrl(query: string, page: number): string {
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `/search/?${qs}` : '/search/';
}

export function toSearchPage(
  site: SiteContext,
  snapshot: IndexSnapshot,
  query: string,
  total: number,
  page: Page<Post>,
  pictures: ImageLookup,
): SearchPageView {
  const summary = !query
    ? 'Search every story by its words, section, tag or author.'
    : total === 0
      ? `No stories match “${query}”. Try fewer or other words.`
      : `${total} ${total === 1 ? 'story matches' : 'stories match'} “${query}”.`;
  return {
    chrome: toChrome(site, snapshot, '/search/'),
    meta: buildPageMeta(site, {
      title: query ? `Search: ${query}` : 'Search',
      description: `Search the stories of ${site.settings.siteTitle}.`,
      path: '/search/',
      noindex: true,
    }),
    query,
    summary,
    heading: 'Search',
    cards: toCards(site, snapshot, page.items, pictures, true),
    pagination: page.pagination,
    empty: page.items.length === 0,
  };
}
