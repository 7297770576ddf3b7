// Old addresses as redirects match them: `/old`, `/old/`, `/old.html` and
// `/old/index.html` are one address, as they were one page on the Jekyll or Hugo site
// that published them. Used for `redirect_from`/`aliases` as the index stores them and
// for request paths as the not-found handler looks them up. Pure.

const SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=:@%-]+$/;

/**
 * The redirect key of a root-relative path (`/old/`), or null when it is not a plain
 * path on this site (no `..`, backslashes, control characters or schemes).
 */
export function redirectKey(raw: string): string | null {
  const path = raw.split(/[?#]/, 1)[0]!.trim();
  if (!path.startsWith('/') || path.startsWith('//')) return null;
  const segments = path.split('/').filter(Boolean);
  const last = segments.at(-1);
  if (last !== undefined && /^index\.html?$/i.test(last)) segments.pop();
  else if (last !== undefined) segments[segments.length - 1] = last.replace(/\.html?$/i, '');
  // `.` and `..`, plainly or percent-encoded, would climb; `%2f` would hide a slash.
  if (segments.some((s) => !SEGMENT.test(s) || /^(?:\.|%2e){1,2}$/i.test(s) || /%2f|%5c/i.test(s))) return null;
  return segments.length === 0 ? '/' : `/${segments.join('/')}/`;
}

/**
 * A front matter address (`/old/`, `old-name`, `https://old.example/old/`) as a
 * redirect key: a relative one is read from the site root (Hugo's aliases often are),
 * a full URL by its path (the old host is this site now).
 */
export function redirectKeyOf(value: string): string | null {
  if (/^https?:\/\//i.test(value)) {
    try {
      return redirectKey(new URL(value).pathname);
    } catch {
      return null;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return null;
  return redirectKey(value.startsWith('/') ? value : `/${value}`);
}
