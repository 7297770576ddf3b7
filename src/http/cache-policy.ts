// The one place that decides Cache-Control, with the reason for each kind of response.
import type { Config } from '../config.js';

export type CacheKind = 'page' | 'timely' | 'asset' | 'static' | 'none';

export type CachePolicy = Readonly<Record<CacheKind, string>>;

type PolicyConfig = Pick<Config, 'cacheMaxAge' | 'cacheStaleWhileRevalidate' | 'cachePurgeUrls' | 'cacheSharedMaxAge'>;

export function buildCachePolicy(config: PolicyConfig): CachePolicy {
  const browser = `public, max-age=${config.cacheMaxAge}`;
  const swr = `stale-while-revalidate=${config.cacheStaleWhileRevalidate}`;
  // Purged caches (CACHE_PURGE_URLS) are told when a page changes: they may keep it for
  // a day. Browsers are never told, so they keep the short lifetime.
  const shared = config.cachePurgeUrls.length > 0 ? `, s-maxage=${config.cacheSharedMaxAge}` : '';
  return {
    // Pages, feeds, sitemaps, 404 and 410, redirects (trailing slashes, and the ones the
    // content asks for: they carry the `missing` key, so purges reach them): short freshness so a dropped post
    // shows within a minute everywhere, and stale-while-revalidate so a CDN answers
    // instantly meanwhile.
    page: `${browser}${shared}, ${swr}`,
    // Responses that change with the clock rather than with the posts (the news sitemap's
    // 48-hour window): no purge would tell, so shared caches get the short lifetime too.
    timely: `${browser}, ${swr}`,
    // Fingerprinted assets and image variants (/img/<fingerprint>/…): the URL changes
    // whenever the bytes do. No Vary: a variant's format is in its URL, not negotiated.
    asset: 'public, max-age=31536000, immutable',
    // Other public/ files keep their names when replaced; an hour, then revalidate.
    static: 'public, max-age=3600',
    // Health checks, status, errors and anything else that must never be reused.
    none: 'no-store',
  };
}
