// The request target as the routes see it: the origin form (`/path?query`) whatever form
// the client sent, a path in one canonical spelling, and one value per query parameter.

// RFC 9112 section 3.2.2: a server must accept the absolute form (`GET http://host/x`),
// which clients send to proxies. Only its path and query are used: every URL of the
// site comes from SITE_URL, so another host's name never reaches a Location.
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * Fastify's `rewriteUrl`, before routing: `http://other.example/x?y` -> `/x?y`. Other
 * forms that are not a path (`*`, `host:port`) are left for the not-found plugin to refuse.
 */
export function toOriginForm(url: string): string {
  // Every request from a browser or a CDN: nothing to do.
  if (url.startsWith('/')) return url;
  const authority = ABSOLUTE_FORM.exec(url);
  if (!authority) return url;
  const rest = url.slice(authority[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

const SINGLE_DOT = /^(?:\.|%2e)$/i;
const DOUBLE_DOT = /^(?:\.|%2e){2}$/i;

/**
 * A path as a browser resolves it (WHATWG URL): `\` is `/`, and `.` and `..` segments,
 * also spelled `%2e`, are resolved; repeated slashes collapse too, so the result is
 * never a protocol-relative `//host`. `/a\..\b//c/.` -> `/b/c/`.
 */
export function normalizePath(path: string): string {
  const parts = path.replace(/\\|%5c/gi, '/').split('/');
  const segments: string[] = [];
  for (const part of parts) {
    if (part === '' || SINGLE_DOT.test(part)) continue;
    if (DOUBLE_DOT.test(part)) segments.pop();
    else segments.push(part);
  }
  const last = parts.at(-1)!;
  const trailing = segments.length > 0 && (last === '' || SINGLE_DOT.test(last) || DOUBLE_DOT.test(last));
  return `/${segments.join('/')}${trailing ? '/' : ''}`;
}

/**
 * Fastify's `querystringParser`: a parameter given twice (`?q=a&q=b`) counts once, with
 * its first value, for every parameter any route reads now or later; no route ever sees
 * an array where it expects a string.
 */
export function parseQuery(query: string): Record<string, string> {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of new URLSearchParams(query)) {
    if (!(name in values)) values[name] = value;
  }
  return values;
}
