// View-models of whole pages: what each template prints, fully computed here.
import { neighboursOf, type IndexSnapshot, type Term, type TaxonomyKind } from '../content/build-index.js';
import { leadImageOf } from '../content/lead-image.js';
import type { Post } from '../content/post.js';
import type { DateView } from './format-date.js';
import { buildPageMeta, type PageMeta } from './page-meta.js';
import type { Page, PaginationView } from './pagination.js';
import type { SiteContext } from './site-context.js';
import { toByline, toCard, toImage, toTermLinks, type BylineAuthor, type CardView, type ImageView, type LinkView } from './to-card.js';
import { breadcrumbs, newsArticle, webSite } from './structured-data.js';
import { toChrome, type ChromeView } from './to-chrome.js';
import { absoluteUrl, archiveUrl, dayArchiveUrl, pagedUrl, taxonomyIndexUrl, termUrl } from './urls.js';
import { toZonedIso } from '../content/time-zone.js';
import { previewLabel, readingTimeText } from './post-labels.js';

interface PageView {
  readonly chrome: ChromeView;
  readonly meta: PageMeta;
}

export interface ListingPageView extends PageView {
  /** Small label above the heading: `Category`, `Tag`, `Author`, `Archive`; null on the front page. */
  readonly kicker: string | null;
  readonly heading: string;
  /** Shown as the page's <h1> only on listings; the front page's h1 is the site name. */
  readonly isFrontPage: boolean;
  readonly lead: CardView | null;
  readonly cards: readonly CardView[];
  readonly pagination: PaginationView;
  readonly empty: boolean;
  /** Links to narrower archives (the months of a year), if any. */
  readonly subnav: readonly LinkView[];
}

export interface PostPageView extends PageView {
  readonly post: {
    readonly title: string;
    readonly dek: string;
    readonly authors: readonly BylineAuthor[];
    readonly published: DateView;
    readonly dateHref: string;
    readonly updated: DateView | null;
    readonly image: ImageView | null;
    readonly html: string;
    readonly categories: readonly LinkView[];
    readonly tags: readonly LinkView[];
    /** `4 min read`. */
    readonly readingTime: string;
    /** `Draft` or `Scheduled` in the writer's preview; null otherwise. */
    readonly label: string | null;
  };
  /** The next older and next newer post. */
  readonly older: LinkView | null;
  readonly newer: LinkView | null;
  /** Related stories (related-posts.ts), as cards. */
  readonly related: readonly CardView[];
}

export interface TermIndexPageView extends PageView {
  readonly heading: string;
  readonly terms: readonly { readonly href: string; readonly name: string; readonly count: number; readonly countText: string }[];
}

export interface ErrorPageView extends PageView {
  readonly status: number;
  readonly heading: string;
  readonly message: string;
}

export function toHomePage(
  site: SiteContext,
  snapshot: IndexSnapshot,
  lead: Post | null,
  page: Page<Post>,
): ListingPageView {
  const { siteDescription } = site.settings;
  return {
    chrome: toChrome(site, snapshot, '/'),
    meta: buildPageMeta(site, {
      title: null,
      description: siteDescription,
      path: pagedUrl('/', page.pagination.current),
      pagination: page.pagination,
      jsonLd: page.pagination.current === 1 ? [webSite(site)] : [],
    }),
    kicker: null,
    heading: page.pagination.current > 1 ? `Latest news – page ${page.pagination.current}` : 'Latest news',
    isFrontPage: true,
    lead: lead ? toCard(site, snapshot, lead) : null,
    cards: page.items.map((p) => toCard(site, snapshot, p)),
    pagination: page.pagination,
    empty: lead === null && page.items.length === 0,
    subnav: [],
  };
}

const TERM_LABELS: Readonly<Record<TaxonomyKind, { one: string; all: string }>> = {
  categories: { one: 'Category', all: 'Sections' },
  tags: { one: 'Tag', all: 'Tags' },
  authors: { one: 'Author', all: 'Authors' },
};

export function toTermPage(
  site: SiteContext,
  snapshot: IndexSnapshot,
  kind: TaxonomyKind,
  term: Term,
  page: Page<Post>,
): ListingPageView {
  const label = TERM_LABELS[kind].one;
  const count = term.posts.length;
  const description = kind === 'authors'
    ? `${storyCount(count)} by ${term.name} on ${site.settings.siteTitle}.`
    : `${storyCount(count)} in ${label.toLowerCase()} ${term.name} on ${site.settings.siteTitle}.`;
  return toListing(site, snapshot, {
    path: pagedUrl(termUrl(kind, term.slug), page.pagination.current),
    kicker: label,
    heading: term.name,
    description,
    page,
    subnav: [],
    feed: { path: `${termUrl(kind, term.slug)}feed.xml`, title: `${term.name} – ${site.settings.siteTitle} (Atom)` },
  });
}

export function toArchivePage(
  site: SiteContext,
  snapshot: IndexSnapshot,
  key: string,
  page: Page<Post>,
): ListingPageView {
  const [year, month, day] = key.split('/').map(Number) as [number, number?, number?];
  const heading = day
    ? site.dates.dayName(year, month!, day)
    : month
      ? site.dates.monthName(year, month)
      : String(year);
  // A year page links to its months, newest first, so readers can narrow down.
  const subnav = month
    ? []
    : [...snapshot.archives.keys()]
        .filter((k) => k.length === 7 && k.startsWith(`${year}/`))
        .sort()
        .reverse()
        .map((k) => ({ href: archiveUrl(k), text: site.dates.monthName(year, Number(k.slice(5))) }));
  return toListing(site, snapshot, {
    path: pagedUrl(archiveUrl(key), page.pagination.current),
    kicker: 'Archive',
    heading,
    description: `Stories published in ${heading} on ${site.settings.siteTitle}.`,
    page,
    subnav,
  });
}

function toListing(
  site: SiteContext,
  snapshot: IndexSnapshot,
  input: {
    path: string;
    kicker: string;
    heading: string;
    description: string;
    page: Page<Post>;
    subnav: LinkView[];
    feed?: { path: string; title: string };
  },
): ListingPageView {
  return {
    chrome: toChrome(site, snapshot, input.path),
    meta: buildPageMeta(site, {
      title: input.heading,
      description: input.description,
      path: input.path,
      pagination: input.page.pagination,
      ...(input.feed ? { feed: input.feed } : {}),
    }),
    kicker: input.kicker,
    heading: input.heading,
    isFrontPage: false,
    lead: null,
    cards: input.page.items.map((p) => toCard(site, snapshot, p)),
    pagination: input.page.pagination,
    empty: input.page.items.length === 0,
    subnav: input.subnav,
  };
}

/** `html`: the post's rendered body (site.body), which is asynchronous; `related`: the stories to suggest. */
export function toPostPage(site: SiteContext, snapshot: IndexSnapshot, post: Post, html: string, related: readonly Post[] = []): PostPageView {
  const { older, newer } = neighboursOf(snapshot, post);
  const dek = post.summary;
  const image = leadImageOf(snapshot, post);
  return {
    chrome: toChrome(site, snapshot, post.url),
    meta: buildPageMeta(site, {
      title: post.title,
      description: dek,
      path: post.url,
      image: image?.src ?? null,
      type: 'article',
      article: {
        publishedTime: toZonedIso(post.date, site.settings.timeZone),
        modifiedTime: toZonedIso(post.updated ?? post.date, site.settings.timeZone),
        section: post.categories[0] ? snapshot.categories.bySlug.get(post.categories[0].slug)!.name : null,
        tags: post.tags.map((t) => snapshot.tags.bySlug.get(t.slug)!.name),
        authors: post.authors.map((a) => absoluteUrl(site.settings.siteUrl, termUrl('authors', a.slug))),
      },
      jsonLd: [newsArticle(site, snapshot, post), breadcrumbs(site, snapshot, post)],
    }),
    post: {
      title: post.title,
      dek: post.excerpt !== null ? dek : '',
      authors: toByline(toTermLinks(snapshot, 'authors', post.authors)),
      published: site.dates.dayAndTime(post.date),
      dateHref: dayArchiveUrl(post),
      updated: post.updated ? site.dates.dayAndTime(post.updated) : null,
      image: toImage(image),
      html,
      categories: toTermLinks(snapshot, 'categories', post.categories),
      tags: toTermLinks(snapshot, 'tags', post.tags),
      readingTime: readingTimeText(post),
      label: previewLabel(snapshot, post),
    },
    older: older ? { href: older.url, text: older.title } : null,
    newer: newer ? { href: newer.url, text: newer.title } : null,
    related: related.map((p) => toCard(site, snapshot, p)),
  };
}

export function toTermIndexPage(site: SiteContext, snapshot: IndexSnapshot, kind: TaxonomyKind): TermIndexPageView {
  const heading = TERM_LABELS[kind].all;
  const path = taxonomyIndexUrl(kind);
  return {
    chrome: toChrome(site, snapshot, path),
    meta: buildPageMeta(site, {
      title: heading,
      description: `All ${heading.toLowerCase()} on ${site.settings.siteTitle}, with the number of stories in each.`,
      path,
    }),
    heading,
    terms: snapshot[kind].terms.map((t) => ({
      href: termUrl(kind, t.slug),
      name: t.name,
      count: t.posts.length,
      countText: storyCount(t.posts.length),
    })),
  };
}

const ERRORS: Readonly<Record<number, { heading: string; message: string }>> = {
  400: { heading: 'Bad request', message: 'The address or request could not be understood.' },
  404: { heading: 'Page not found', message: 'We could not find that page. It may have moved, or the address may be mistyped.' },
  410: { heading: 'This story has been removed', message: 'The story that was published at this address is no longer available.' },
  500: { heading: 'Something went wrong', message: 'We could not show this page just now. Please try again in a moment.' },
};

/** The same bytes for every URL, so one cached copy serves every 404. */
export function toErrorPage(site: SiteContext, snapshot: IndexSnapshot, status: number): ErrorPageView {
  // Other 4xx read as a bad request; every 5xx is reported as 500 by the error handler.
  const text = ERRORS[status] ?? ERRORS[400]!;
  return {
    chrome: toChrome(site, snapshot, ''),
    meta: buildPageMeta(site, { title: text.heading, description: text.message, path: null, noindex: true }),
    status,
    heading: text.heading,
    message: text.message,
  };
}

function storyCount(n: number): string {
  return `${n} ${n === 1 ? 'story' : 'stories'}`;
}
