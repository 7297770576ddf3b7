// The parts of the layout around every page: site name, navigation, stylesheet, footer.
import type { IndexSnapshot } from '../content/build-index.js';
import type { SiteContext } from './site-context.js';
import { termUrl } from './urls.js';

export interface NavLink {
  readonly href: string;
  readonly text: string;
  readonly current: boolean;
}

export interface ChromeView {
  readonly siteTitle: string;
  readonly language: string;
  readonly stylesheet: string;
  readonly nav: readonly NavLink[];
  readonly footerLinks: readonly { readonly href: string; readonly text: string }[];
  readonly footer: string;
}

const NAV_CATEGORIES = 6;
const FOOTER_LINKS = [
  { href: '/', text: 'Front page' },
  { href: '/categories/', text: 'Sections' },
  { href: '/tags/', text: 'Tags' },
  { href: '/authors/', text: 'Authors' },
];
const topCategories = new WeakMap<IndexSnapshot, { href: string; text: string }[]>();

/** The biggest categories, largest first, computed once per index snapshot. */
function navCategories(snapshot: IndexSnapshot): { href: string; text: string }[] {
  let links = topCategories.get(snapshot);
  if (!links) {
    links = [...snapshot.categories.terms]
      .sort((a, b) => b.posts.length - a.posts.length)
      .slice(0, NAV_CATEGORIES)
      .map((t) => ({ href: termUrl('categories', t.slug), text: t.name }));
    topCategories.set(snapshot, links);
  }
  return links;
}

export function toChrome(site: SiteContext, snapshot: IndexSnapshot, path: string): ChromeView {
  const { siteTitle, siteLanguage } = site.settings;
  const links = [...navCategories(snapshot), { href: '/categories/', text: 'All sections' }];
  return {
    siteTitle,
    language: siteLanguage,
    stylesheet: site.stylesheet,
    nav: links.map((l) => ({ ...l, current: path.startsWith(l.href) })),
    footerLinks: FOOTER_LINKS,
    footer: `© ${snapshot.builtAt.getUTCFullYear()} ${siteTitle}`,
  };
}
