// schema.org JSON-LD for search engines: NewsArticle and BreadcrumbList on posts,
// WebSite on the front page. Serialised so that no field can end the <script> block.
import type { IndexSnapshot } from '../content/build-index.js';
import type { Post } from '../content/post.js';
import { toZonedIso } from '../content/time-zone.js';
import type { SiteContext } from './site-context.js';
import type { ShareImage } from './to-image.js';
import { absoluteUrl, termUrl } from './urls.js';

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
    author: post.authors.map((a) => ({
      '@type': 'Person',
      name: snapshot.authors.bySlug.get(a.slug)!.name,
      url: absoluteUrl(siteUrl, termUrl('authors', a.slug)),
    })),
    publisher: publisher(site),
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    url,
    ...(section ? { articleSection: snapshot.categories.bySlug.get(section.slug)!.name } : {}),
    ...(post.tags.length > 0 ? { keywords: post.tags.map((t) => snapshot.tags.bySlug.get(t.slug)!.name) } : {}),
    inLanguage: site.settings.siteLanguage,
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
