// View-models of whole pages: what each template prints, fully computed here.
import { neighboursOf, type IndexSnapshot, type Term, type TaxonomyKind } from '../../content/build-index.js';
import { avatarOf, leadImageOf } from '../../content/lead-image.js';
import type { Post, PostImage } from '../../content/post.js';
import type { AuthorProfile } from '../../content/site-data.js';
import type { DateView } from '../format-date.js';
import { buildPageMeta, type PageMeta } from './page-meta.js';
import type { Page, PaginationView } from './pagination.js';
import type { SiteContext } from '../site-context.js';
import type { ImageLookup } from '../../images/image-lookup.js';
import { termName, toByline, toCard, toCards, toTermLinks, type BylineAuthor, type CardView, type LinkView } from './to-card.js';
import { OPENING, toFigureView, toShareImage, type FigureView, type ShareImage } from './to-image.js';
import { breadcrumbs, newsArticle, person, review, webSite } from './structured-data.js';
import { toChrome, type ChromeView } from './to-chrome.js';
import { absoluteUrl, archiveUrl, dayArchiveUrl, pagedUrl, taxonomyIndexUrl, termUrl } from '../urls.js';
import { toZonedIso } from '../../content/time-zone.js';
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
  /** The lead heads a "Featured" block (it is a featured story), with `featured` after it. */
  readonly featuredBlock: boolean;
  /** The featured block's other stories (the front page's first page). */
  readonly featured: readonly CardView[];
  readonly cards: readonly CardView[];
  readonly pagination: PaginationView;
  readonly empty: boolean;
  /** Links to narrower archives (the months of a year), if any. */
  readonly subnav: readonly LinkView[];
  /** On an author's page: who they are, from their profile. */
  readonly profile: ProfileView | null;
}

export interface ProfileView {
  readonly avatar: { readonly src: string; readonly alt: string } | null;
  readonly bio: string | null;
  readonly links: readonly LinkView[];
}

/** Stars out of five, as text a template prints. */
export interface RatingView {
  /** `★★★★½☆`-like: full, half and empty stars. */
  readonly full: string;
  readonly half: boolean;
  readonly empty: string;
  /** `Rated 4.5 out of 5`. */
  readonly label: string;
}

export interface PostPageView extends PageView {
  readonly post: {
    readonly title: string;
    readonly dek: string;
    readonly authors: readonly BylineAuthor[];
    readonly published: DateView;
    readonly dateHref: string;
    readonly updated: DateView | null;
    readonly image: FigureView | null;
    readonly html: string;
    readonly categories: readonly LinkView[];
    readonly tags: readonly LinkView[];
    readonly rating: RatingView | null;
    /** The line before the table of contents (`beforetoc`), when there is one. */
    readonly beforeToc: string | null;
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

/** `block`: the featured block (the lead first), shown on the first page only. */
export function toHomePage(
  site: SiteContext,
  snapshot: IndexSnapshot,
  block: readonly Post[],
  page: Page<Post>,
  pictures: ImageLookup,
): ListingPageView {
  const [lead = null, ...featured] = block;
  const { siteDescription } = site.settings;
  const leadCard = lead ? toCard(site, snapshot, lead, pictures, 'lead', OPENING) : null;
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
    lead: leadCard,
    featuredBlock: lead?.featured === true,
    // Below a lead story with a picture the rest starts under the fold (on a phone).
    featured: toCards(site, snapshot, featured, pictures, !leadCard?.image),
    cards: toCards(site, snapshot, page.items, pictures, !leadCard?.image && featured.length === 0),
    pagination: page.pagination,
    empty: lead === null && page.items.length === 0,
    subnav: [],
    profile: null,
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
  pictures: ImageLookup,
): ListingPageView {
  const label = TERM_LABELS[kind].one;
  const count = term.posts.length;
  const name = termName(snapshot, kind, term.slug);
  const profile = kind === 'authors' ? snapshot.site.authors.get(term.slug) : undefined;
  const avatar = profile ? avatarOf(snapshot, profile) : null;
  const description = kind === 'authors'
    ? profile?.bio ?? `${storyCount(count)} by ${name} on ${site.settings.siteTitle}.`
    : `${storyCount(count)} in ${label.toLowerCase()} ${name} on ${site.settings.siteTitle}.`;
  return toListing(site, snapshot, {
    path: pagedUrl(termUrl(kind, term.slug), page.pagination.current),
    kicker: label,
    heading: name,
    description,
    page,
    subnav: [],
    feed: { path: `${termUrl(kind, term.slug)}feed.xml`, title: `${name} – ${site.settings.siteTitle} (Atom)` },
    ...(kind === 'authors'
      ? {
          type: 'profile' as const,
          image: toShareImage(avatar, pictures, site.settings.siteUrl),
          jsonLd: page.pagination.current === 1 ? [{ '@context': 'https://schema.org', '@type': 'ProfilePage', mainEntity: person(site, snapshot, term.slug) }] : [],
          profile: profile ? toProfile(profile, avatar) : null,
        }
      : {}),
  }, pictures);
}

function toProfile(profile: AuthorProfile, avatar: PostImage | null): ProfileView {
  return {
    // The name is the page's heading, right beside it.
    avatar: avatar ? { src: avatar.src, alt: '' } : null,
    bio: profile.bio,
    links: [
      ...(profile.website ? [{ href: profile.website, text: 'Website' }] : []),
      ...profile.links.map((l) => ({ href: l.url, text: l.label })),
    ],
  };
}

export function toArchivePage(
  site: SiteContext,
  snapshot: IndexSnapshot,
  key: string,
  page: Page<Post>,
  pictures: ImageLookup,
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
  }, pictures);
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
    type?: 'profile';
    image?: ShareImage | null;
    jsonLd?: object[];
    profile?: ProfileView | null;
  },
  pictures: ImageLookup,
): ListingPageView {
  return {
    chrome: toChrome(site, snapshot, input.path),
    meta: buildPageMeta(site, {
      title: input.heading,
      description: input.description,
      path: input.path,
      pagination: input.page.pagination,
      ...(input.feed ? { feed: input.feed } : {}),
      ...(input.type ? { type: input.type } : {}),
      ...(input.image ? { image: input.image } : {}),
      ...(input.jsonLd ? { jsonLd: input.jsonLd } : {}),
    }),
    kicker: input.kicker,
    heading: input.heading,
    isFrontPage: false,
    lead: null,
    featuredBlock: false,
    featured: [],
    cards: toCards(site, snapshot, input.page.items, pictures, true),
    pagination: input.page.pagination,
    empty: input.page.items.length === 0,
    subnav: input.subnav,
    profile: input.profile ?? null,
  };
}

/**
 * `html`: the post's body as the page shows it (sanitised, its pictures rendered by
 * renderBodyImages), or a marker that it replaces later (page-specs.ts); `pictures`: the
 * facts of its lead image and of the related stories' leads; `related`: the stories to suggest.
 */
export function toPostPage(
  site: SiteContext,
  snapshot: IndexSnapshot,
  post: Post,
  html: string,
  pictures: ImageLookup,
  related: readonly Post[] = [],
): PostPageView {
  const { older, newer } = neighboursOf(snapshot, post);
  const dek = post.summary;
  const image = leadImageOf(snapshot, post);
  const share = toShareImage(image, pictures, site.settings.siteUrl);
  return {
    chrome: toChrome(site, snapshot, post.url),
    meta: buildPageMeta(site, {
      title: post.title,
      description: dek,
      path: post.url,
      image: share,
      type: 'article',
      article: {
        publishedTime: toZonedIso(post.date, site.settings.timeZone),
        modifiedTime: toZonedIso(post.updated ?? post.date, site.settings.timeZone),
        section: post.categories[0] ? snapshot.categories.bySlug.get(post.categories[0].slug)!.name : null,
        tags: post.tags.map((t) => snapshot.tags.bySlug.get(t.slug)!.name),
        authors: post.authors.map((a) => absoluteUrl(site.settings.siteUrl, termUrl('authors', a.slug))),
      },
      noindex: post.noindex,
      robots: post.expires ? `unavailable_after: ${toZonedIso(post.expires, site.settings.timeZone)}` : null,
      jsonLd: [newsArticle(site, snapshot, post, share), breadcrumbs(site, snapshot, post), ...[review(site, snapshot, post) ?? []].flat()],
    }),
    post: {
      title: post.title,
      dek: post.excerpt !== null ? dek : '',
      authors: toByline(toTermLinks(snapshot, 'authors', post.authors)),
      published: site.dates.dayAndTime(post.date),
      dateHref: dayArchiveUrl(post),
      updated: post.updated ? site.dates.dayAndTime(post.updated) : null,
      image: toFigureView(image, pictures),
      html,
      categories: toTermLinks(snapshot, 'categories', post.categories),
      tags: toTermLinks(snapshot, 'tags', post.tags),
      rating: post.rating === null ? null : toRating(post.rating),
      beforeToc: post.beforeToc,
      readingTime: readingTimeText(post),
      label: previewLabel(snapshot, post),
    },
    older: older ? { href: older.url, text: older.title } : null,
    newer: newer ? { href: newer.url, text: newer.title } : null,
    related: toCards(site, snapshot, related, pictures, false),
  };
}

function toRating(rating: number): RatingView {
  const full = Math.floor(rating);
  const half = rating - full >= 0.5;
  return {
    full: '★'.repeat(full),
    half,
    empty: '☆'.repeat(5 - full - (half ? 1 : 0)),
    label: `Rated ${rating} out of 5`,
  };
}

export function toTermIndexPage(site: SiteContext, snapshot: IndexSnapshot, kind: TaxonomyKind): TermIndexPageView {
  const heading = TERM_LABELS[kind].all;
  const path = taxonomyIndexUrl(kind);
  // Authors by the name their profile gives them (a stable sort: ties keep the index's order).
  const terms = kind === 'authors' && snapshot.site.authors.size > 0
    ? snapshot[kind].terms.map((t) => ({ t, name: termName(snapshot, kind, t.slug) })).sort((a, b) => byName.compare(a.name, b.name))
    : snapshot[kind].terms.map((t) => ({ t, name: t.name }));
  return {
    chrome: toChrome(site, snapshot, path),
    meta: buildPageMeta(site, {
      title: heading,
      description: `All ${heading.toLowerCase()} on ${site.settings.siteTitle}, with the number of stories in each.`,
      path,
    }),
    heading,
    terms: terms.map(({ t, name }) => ({
      href: termUrl(kind, t.slug),
      name,
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

const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function storyCount(n: number): string {
  return `${n} ${n === 1 ? 'story' : 'stories'}`;
}
