// Post bodies as sanitised HTML: read and rendered in the worker on first use, kept in
// a size-bounded LRU, and bounded in time. A body that cannot be rendered in time (or at
// all) is reported, so the content store can take the post off the site; a file that
// cannot be read just now (being replaced) is reported so the store reads it again.
import { LRUCache } from 'lru-cache';
import type { LoadOptions } from '../content/load-posts.js';
import type { Post } from '../content/post.js';
import type { MarkdownOptions } from './markdown.js';
import { BodyUnavailableError, RenderBusyError, renderInWorker } from './render-pool.js';

export type PostBodies = (post: Post) => Promise<string>;

export interface PostBodiesOptions {
  readonly markdown: MarkdownOptions;
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
  const bodies = new LRUCache<Post, { readonly html: Promise<string>; readonly chars: number }>({
    maxSize: options.maxChars,
    sizeCalculation: (slot) => slot.chars,
  });
  return (post) => {
    let slot = bodies.get(post);
    if (!slot) {
      const request = { source: { file: post.file, titleFromHeading: post.titleFromHeading, bodyHash: post.bodyHash }, from: options.from };
      const html: Promise<string> = renderInWorker(request, options.markdown, options.timeoutMs).then(
        (done) => {
          // Now that the size is known, count it (if the entry is still wanted).
          if (bodies.get(post)?.html === html) bodies.set(post, { html, chars: Math.max(1, done.length) });
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
      slot = { html, chars: 1 };
      bodies.set(post, slot);
    }
    return slot.html;
  };
}
