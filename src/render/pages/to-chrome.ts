// The parts of the layout around every page: site name, navigation, stylesheet, footer.
import type { IndexSnapshot } from '../../content/build-index.js';
import type { SiteContext } from '../site-context.js';
import { termUrl } from '../urls.js';

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
  /** The writer's preview's reload script (dev-reload.ts); null on a production site. */
  readonly devScript: string | null;
}

export const DEV_SCRIPT_PATH = '/__dev/reload.js';

/** Sections in the masthead when NAV_SECTIONS does not name them. */
const NAV_CATEGORIES = 8;
const FOOTER_LINKS = [
  { href: '/', text: 'Front page' },
  { href: '/categories/', text: 'Sections' },
  { href: '/tags/', text: 'Tags' },
  { href: '/authors/', text: 'Authors' },
];
const navBySnapshot = new WeakMap<IndexSnapshot, { href: string; text: string }[]>();

/**
 * The sections NAV_SECTIONS names (those that have posts), else the first sections by
 * name. Never ranked by size: every page shows the masthead, and a post that moved a
 * section up the ranking would change every page's bytes and ETag.
 */
function navCategories(site: SiteContext, snapshot: IndexSnapshot): { href: string; text: string }[] {
  let links = navBySnapshot.get(snapshot);
  if (!links) {
    const { navSections } = site.settings;
    const terms = navSections.length > 0
      ? navSections.flatMap((slug) => snapshot.categories.bySlug.get(slug) ?? [])
      : snapshot.categories.terms.slice(0, NAV_CATEGORIES);
    links = terms.map((t) => ({ href: termUrl('categories', t.slug), text: t.name }));
    navBySnapshot.set(snapshot, links);
  }
  return links;
}

/** Changes exactly when the chrome of every page changes (purged as one). */
export function chromeSignature(site: SiteContext, snapshot: IndexSnapshot): string {
  const nav = navCategories(site, snapshot).map((l) => `${l.href} ${l.text}`);
  return `${nav.join('\n')}\n${snapshot.builtAt.getUTCFullYear()}`;
}

export function toChrome(site: SiteContext, snapshot: IndexSnapshot, path: string): ChromeView {
  const { siteTitle, siteLanguage } = site.settings;
  const links = [...navCategories(site, snapshot), { href: '/categories/', text: 'All sections' }];
  return {
    siteTitle,
    language: siteLanguage,
    stylesheet: site.stylesheet,
    nav: links.map((l) => ({ ...l, current: path.startsWith(l.href) })),
    footerLinks: FOOTER_LINKS,
    footer: `© ${snapshot.builtAt.getUTCFullYear()} ${siteTitle}`,
    devScript: site.settings.dev ? DEV_SCRIPT_PATH : null,
  };
}
