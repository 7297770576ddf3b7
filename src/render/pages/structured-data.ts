// schema.org JSON-LD for search engines: NewsArticle and BreadcrumbList on posts,
// WebSite on the front page. Serialised so that no field can end the <script> block.
import type { IndexSnapshot } from '../../content/build-index.js';
import { avatarOf, leadImageOf } from '../../content/lead-image.js';
import type { Post } from '../../content/post.js';
import { toZonedIso } from '../../content/time-zone.js';
import type { SiteContext } from '../site-context.js';
import { termName } from './to-card.js';
import type { ShareImage } from './to-image.js';
import { absoluteUrl, termUrl } from '../urls.js';

/**
 * JSON for a `<script type="application/ld+json">` block: `<`, `>` and `&` are written
 * as \u escapes, so `</script>` or `<!--` in a headline stays inside the string; U+2028
 * and U+2029 likewise, for old JavaScript parsers.
 */
export function serializeJsonLd(data: object): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function publisher(site: SiteContext): object {
  const { publisherName, publisherLogo, siteUrl } = site.settings;
  return {
    '@type': 'Organization',
    name: publisherName,
    url: `${siteUrl}/`,
    logo: { '@type': 'ImageObject', url: absoluteUrl(siteUrl, publisherLogo) },
  };
}

/** `image`: the post's shared picture (toShareImage). */
export function newsArticle(site: SiteContext, snapshot: IndexSnapshot, post: Post, image: ShareImage | null): object {
  const { siteUrl, timeZone } = site.settings;
  const url = absoluteUrl(siteUrl, post.url);
  const section = post.categories[0];
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: post.title,
    description: post.summary,
    ...(image ? { image: [image.url] } : {}),
    datePublished: toZonedIso(post.date, timeZone),
    dateModified: toZonedIso(post.updated ?? post.date, timeZone),
    author: post.authors.map((a) => person(site, snapshot, a.slug)),
    publisher: publisher(site),
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    ...(section ? { articleSection: snapshot.categories.bySlug.get(section.slug)!.name } : {}),
    ...(post.tags.length > 0 ? { keywords: post.tags.map((t) => snapshot.tags.bySlug.get(t.slug)!.name) } : {}),
    inLanguage: site.settings.siteLanguage,
  };
}

/** An author: name, author page, and from their profile an image and their other profiles. */
export function person(site: SiteContext, snapshot: IndexSnapshot, slug: string): object {
  const { siteUrl } = site.settings;
  const profile = snapshot.site.authors.get(slug);
  const image = profile ? avatarOf(snapshot, profile) : null;
  const sameAs = profile ? [...(profile.website ? [profile.website] : []), ...profile.links.map((l) => l.url)] : [];
  return {
    '@type': 'Person',
    name: termName(snapshot, 'authors', slug),
    url: absoluteUrl(siteUrl, termUrl('authors', slug)),
    ...(image ? { image: absoluteUrl(siteUrl, image.src) } : {}),
    ...(sameAs.length > 0 ? { sameAs } : {}),
  };
}

/**
 * A post's rating as Mediumish writes it: a `Review` of the post's subject, by its
 * first author, rated out of 5.
 */
export function review(site: SiteContext, snapshot: IndexSnapshot, post: Post): object | null {
  if (post.rating === null) return null;
  const author = post.authors[0];
  return {
    '@context': 'https://schema.org',
    '@type': 'Review',
    name: post.title,
    itemReviewed: { '@type': 'Thing', name: post.title },
    ...(author ? { author: { '@type': 'Person', name: termName(snapshot, 'authors', author.slug) } } : { author: publisher(site) }),
    datePublished: toZonedIso(post.date, site.settings.timeZone),
    reviewRating: { '@type': 'Rating', ratingValue: post.rating, bestRating: 5, worstRating: 0 },
    url: absoluteUrl(site.settings.siteUrl, post.url),
  };
}

/** Front page › first section › the post. */
export function breadcrumbs(site: SiteContext, snapshot: IndexSnapshot, post: Post): object {
  const { siteUrl, siteTitle } = site.settings;
  const trail = [{ name: siteTitle, url: `${siteUrl}/` }];
  const section = post.categories[0];
  if (section) {
    trail.push({ name: snapshot.categories.bySlug.get(section.slug)!.name, url: absoluteUrl(siteUrl, termUrl('categories', section.slug)) });
  }
  trail.push({ name: post.title, url: absoluteUrl(siteUrl, post.url) });
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: trail.map((step, i) => ({ '@type': 'ListItem', position: i + 1, name: step.name, item: step.url })),
  };
}

export function webSite(site: SiteContext): object {
  const { siteTitle, siteDescription, siteUrl, siteLanguage } = site.settings;
  return {
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    name: siteTitle,
    description: siteDescription,
    url: `${siteUrl}/`,
    inLanguage: siteLanguage,
    publisher: publisher(site),
    potentialAction: {
      '@type': 'SearchAction',
      target: { '@type': 'EntryPoint', urlTemplate: `${siteUrl}/search/?q={search_term_string}` },
      'query-input': 'required name=search_term_string',
    },
  };
}
