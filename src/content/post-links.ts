// The targets of a post's `{% post_url %}` and `{% link %}` tags, looked up in the index
// when its page renders (the parse workers have no index, and the linked post may move
// later: its cache key is on the page, so the page is rendered again with its new URL).
import type { IndexSnapshot } from './build-index.js';
import { toRootPath } from './paths.js';
import type { Post } from './post.js';

const EXTENSIONS = ['', '.md', '.markdown', '.txt'];

/** The post a Liquid link names, if it is one of the site's posts. */
export function linkedPost(snapshot: IndexSnapshot, link: string): Post | undefined {
  const colon = link.indexOf(':');
  const name = link.slice(colon + 1).replace(/^\/+/, '');
  // Names are relative to `_posts/` in Jekyll; POSTS_DIR may be that folder or hold it.
  const bare = name.replace(/^_posts\//, '');
  for (const base of [bare, `_posts/${bare}`]) {
    for (const ext of link.startsWith('post_url:') ? EXTENSIONS : ['']) {
      const post = snapshot.byFile.get(`${base}${ext}`);
      if (post) return post;
    }
  }
  return undefined;
}

/** Every Liquid link of `post` with its URL: a post's URL, another file's root path, or nothing. */
export function resolveLinks(snapshot: IndexSnapshot, post: Post): Record<string, string> {
  const links: Record<string, string> = {};
  for (const link of post.links) {
    const target = linkedPost(snapshot, link)?.url ?? (link.startsWith('link:') ? toRootPath(link.slice(5)) : null);
    if (target) links[link] = target;
  }
  return links;
}
