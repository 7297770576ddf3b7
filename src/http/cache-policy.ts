// The one place that decides Cache-Control, with the reason for each kind of response.
import type { Config } from '../config.js';

export type CacheKind = 'page' | 'asset' | 'variant' | 'static' | 'none';

export type CachePolicy = Readonly<Record<CacheKind, string>>;

export function buildCachePolicy(config: Pick<Config, 'cacheMaxAge' | 'cacheStaleWhileRevalidate'>): CachePolicy {
  return {
    // Pages, feeds, sitemaps, 404 and 410: short freshness so a dropped post shows within
    // a minute everywhere, and stale-while-revalidate so a CDN answers instantly meanwhile.
    page: `public, max-age=${config.cacheMaxAge}, stale-while-revalidate=${config.cacheStaleWhileRevalidate}`,
    // Fingerprinted assets: the URL changes whenever the bytes do.
    asset: 'public, max-age=31536000, immutable',
    // Image variants (/img/<fingerprint>/…): the fingerprint is the source's content, so a
    // replaced photo gets new URLs and a URL's bytes never change. No Vary: the format is
    // in the URL, not negotiated.
    variant: 'public, max-age=31536000, immutable',
    // Other public/ files keep their names when replaced; an hour, then revalidate.
    static: 'public, max-age=3600',
    // Health checks, status, errors and anything else that must never be reused.
    none: 'no-store',
  };
}
