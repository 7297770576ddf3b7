// Post bodies as sanitised HTML: read and rendered in the worker on first use, kept in
// a size-bounded LRU, and bounded in time. A body that cannot be rendered in time (or at
// all) is reported, so the content store can take the post off the site; a file that
// cannot be read just now (being replaced) is reported so the store reads it again.
import { LRUCache } from 'lru-cache';
import type { IndexSnapshot } from '../../content/build-index.js';
import type { LoadOptions } from '../../content/load-posts.js';
import type { Post } from '../../content/post.js';
import { resolveLinks } from '../../content/post-links.js';
import type { MarkdownOptions } from './markdown.js';
import { BodyUnavailableError, RenderBusyError, renderInWorker } from './render-pool.js';

/** `snapshot`: where the body's Liquid links are looked up (a post with none needs none). */
export type PostBodies = (post: Post, snapshot?: IndexSnapshot) => Promise<string>;

export interface PostBodiesOptions {
  /** The site's settings for bodies now: the same object until they change (`_config.yml`). */
  readonly markdown: () => MarkdownOptions;
  /** Where the post files are, and the size limit they were read with. */
  readonly from: Pick<LoadOptions, 'postsDir' | 'maxPostBytes'>;
  readonly timeoutMs: number;
  /** Memory for rendered bodies, in characters (about bytes for most text). */
  readonly maxChars: number;
  /** Called once per post whose body failed, before the caller sees the error. */
  readonly onFailure: (post: Post, err: Error) => void;
  /** Called when the post's file could not be read (it is changing or gone). */
  readonly onUnavailable: (post: Post) => void;
}

export function createPostBodies(options: PostBodiesOptions): PostBodies {
  // Keyed by post object: a changed file is a new Post, so a stale body is never served.
  // A pending render counts as one character; once done, a new entry with its length
  // replaces it (lru-cache sizes an entry when it is set, and only for a new value).
  // A body with Liquid links is rendered again when a linked post's URL changes, and
  // every body when the site's settings do (`{{ site.url }}`, links to other sites).
  interface Slot {
    readonly html: Promise<string>;
    readonly chars: number;
    readonly links: string;
    readonly markdown: MarkdownOptions;
  }
  const bodies = new LRUCache<Post, Slot>({
    maxSize: options.maxChars,
    sizeCalculation: (slot) => slot.chars,
  });
  return (post, snapshot) => {
    const links = snapshot && post.links?.length ? resolveLinks(snapshot, post) : {};
    const linksKey = JSON.stringify(links);
    const markdown = options.markdown();
    let slot = bodies.get(post);
    if (slot?.links !== linksKey || slot.markdown !== markdown) {
      const page = post.toc || linksKey !== '{}' ? { toc: post.toc === true, links } : undefined;
      const source = { file: post.file, titleFromHeading: post.titleFromHeading, bodyHash: post.bodyHash };
      const request = { source, from: options.from, ...(page ? { page } : {}) };
      const html: Promise<string> = renderInWorker(request, markdown, options.timeoutMs).then(
        (done) => {
          // Now that the size is known, count it (if the entry is still wanted).
          if (bodies.get(post)?.html === html) bodies.set(post, { html, chars: Math.max(1, done.length), links: linksKey, markdown });
          return done;
        },
        (err: Error) => {
          bodies.delete(post);
          // A full queue says nothing about the post: the next request tries again.
          if (err instanceof BodyUnavailableError) options.onUnavailable(post);
          else if (!(err instanceof RenderBusyError)) options.onFailure(post, err);
          throw err;
        },
      );
      slot = { html, chars: 1, links: linksKey, markdown };
      bodies.set(post, slot);
    }
    return slot.html;
  };
}
