// Where an address that no page answers leads, from the index alone: a post's own
// `redirect_to`, a post's old addresses (`redirect_from`, `aliases`, an old permalink
// pattern), the site's redirects.yaml, and posts that moved or went (snapshot.removed:
// 301 to the new URL, or 410). Chains are followed on this site, and one that comes back
// on itself is not served; the same check runs when the index changes, to log it.
import type { IndexSnapshot } from './build-index.js';
import type { Post } from './post.js';
import { redirectKey } from './redirect-paths.js';

export type RedirectAnswer =
  | { readonly kind: 'redirect'; readonly status: 301 | 302; readonly location: string }
  | { readonly kind: 'gone' };

const GONE: RedirectAnswer = { kind: 'gone' };
/** Longer chains on this site are not followed (nor served): a reader would give up. */
const MAX_HOPS = 8;

/**
 * The redirect (or 410) for `path`, a root-relative request path without its query;
 * null when nothing redirects it, or when it would lead round in a loop.
 */
export function findRedirect(snapshot: IndexSnapshot, path: string, query?: string): RedirectAnswer | null {
  const first = step(snapshot, path, query);
  if (first?.kind !== 'redirect') return first;
  const seen = new Set([path]);
  let location = first.location;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const target = sitePath(location);
    // Off the site: the chain ends there.
    if (target === null) return first;
    if (seen.has(target)) return null;
    seen.add(target);
    const next = step(snapshot, target, undefined);
    // A page, a 404 or a 410: the chain ends there.
    if (next?.kind !== 'redirect') return first;
    location = next.location;
  }
  return null;
}

/** The path of a location on this site (without its query), or null for another site. */
function sitePath(location: string): string | null {
  return location.startsWith('/') ? location.split('?', 1)[0]! : null;
}

/** One step: what answers `path` first. */
function step(snapshot: IndexSnapshot, path: string, query: string | undefined): RedirectAnswer | null {
  const live = snapshot.byUrl.get(path);
  if (live) return live.redirectTo ? moved(live.redirectTo) : null;
  const key = redirectKey(path);
  const claimants = key === null ? undefined : snapshot.aliases.get(key);
  if (claimants?.length === 1) {
    const answer = answerFor(snapshot, snapshot.byFile.get(claimants[0]!)!);
    if (answer) return answer;
  }
  for (const rule of snapshot.site.redirects) {
    if (!rule.from.test(path)) continue;
    const to = target(path.replace(rule.from, rule.to));
    // `https://$1/` with a group that makes no URL: the rule does not apply.
    if (to === null) continue;
    const location = query ? `${to}${to.includes('?') ? '&' : '?'}${query}` : to;
    return { kind: 'redirect', status: rule.status, location };
  }
  const removed = snapshot.removed.get(path);
  if (removed === undefined) return null;
  const post = snapshot.byFile.get(removed);
  return (post && answerFor(snapshot, post)) ?? GONE;
}

/** Where a post's old address leads: the post, its redirect_to, or 410 once it expired. */
function answerFor(snapshot: IndexSnapshot, post: Post): RedirectAnswer | null {
  if (snapshot.byUrl.get(post.url) === post) return moved(post.redirectTo ?? post.url);
  // Scheduled: not there yet, so nothing to point to.
  if (post.date > snapshot.builtAt) return null;
  return post.redirectTo ? moved(post.redirectTo) : GONE;
}

/** A rule's target with its groups filled in: a site path, or an http(s) URL that parses. */
function target(to: string): string | null {
  if (!/^https?:\/\//i.test(to)) return to;
  return URL.canParse(to) ? new URL(to).href : null;
}

function moved(location: string): RedirectAnswer {
  return { kind: 'redirect', status: 301, location };
}

/**
 * What is wrong with the redirects of `files` (every post's, and the redirects file's,
 * when null): addresses two posts claim, addresses of live pages, loops. One line each.
 */
export function redirectProblems(snapshot: IndexSnapshot, files: Iterable<string> | null): string[] {
  const problems: string[] = [];
  const posts = files === null ? snapshot.byFile.values() : [...files].flatMap((f) => snapshot.byFile.get(f) ?? []);
  for (const post of posts) {
    for (const key of post.redirectFrom) {
      const claimants = snapshot.aliases.get(key)!;
      const live = snapshot.byUrl.get(key);
      if (live && live !== post) problems.push(`${post.file}: redirect_from ${key} is the address of ${live.file}: the page is served, not the redirect`);
      else if (claimants.length > 1) problems.push(`${post.file}: redirect_from ${key} is claimed by ${claimants.join(', ')}: not served`);
      else if (findRedirect(snapshot, key) === null && snapshot.byUrl.get(post.url) === post) problems.push(`${post.file}: redirect_from ${key} leads round in a loop: not served`);
    }
    if (post.redirectTo && snapshot.byUrl.get(post.url) === post && findRedirect(snapshot, post.url) === null) {
      problems.push(`${post.file}: redirect_to ${post.redirectTo} leads back to the post: not served`);
    }
  }
  if (files === null) {
    for (const rule of snapshot.site.redirects) {
      // Only a plain path can be tried: a pattern stands for many.
      const plain = /^\/[A-Za-z0-9._~/-]*$/.test(rule.source) ? rule.source : null;
      const path = plain === null ? null : plain.endsWith('/') ? plain : `${plain}/`;
      if (path === null) continue;
      const live = snapshot.byUrl.get(path);
      if (live) problems.push(`redirects: ${rule.source} is the address of ${live.file}: the page is served, not the redirect`);
      else if (findRedirect(snapshot, path) === null) problems.push(`redirects: ${rule.source} leads round in a loop: not served`);
    }
  }
  return problems;
}
