// Post bodies as sanitised HTML: rendered in the worker on first use, kept in a
// size-bounded LRU, and bounded in time. A body that cannot be rendered in time (or at
// all) is reported, so the content store can take the post off the site.
import { LRUCache } from 'lru-cache';
import type { Post } from '../content/post.js';
import type { MarkdownOptions } from './markdown.js';
import { RenderBusyError, renderInWorker } from './render-pool.js';

export type PostBodies = (post: Post) => Promise<string>;

export interface PostBodiesOptions {
  readonly markdown: MarkdownOptions;
  readonly timeoutMs: number;
  /** Memory for rendered bodies, in characters (about bytes for most text). */
  readonly maxChars: number;
  /** Called once per post whose body failed, before the caller sees the error. */
  readonly onFailure: (post: Post, err: Error) => void;
}

export function createPostBodies(options: PostBodiesOptions): PostBodies {
  const bodies = new LRUCache<Post, Promise<string>>({
    maxSize: options.maxChars,
    // Pending renders count as one character; finished ones are re-set with their size.
    sizeCalculation: () => 1,
  });
  return (post) => {
    let html = bodies.get(post);
    if (!html) {
      const rendering = renderInWorker(post.body, options.markdown, options.timeoutMs).then(
        (done) => {
          // Now that the size is known, store it with that size (if still wanted).
          if (bodies.get(post) === rendering) bodies.set(post, rendering, { size: Math.max(1, done.length) });
          return done;
        },
        (err: Error) => {
          bodies.delete(post);
          // A full queue says nothing about the post: the next request tries again.
          if (!(err instanceof RenderBusyError)) options.onFailure(post, err);
          throw err;
        },
      );
      html = rendering;
      bodies.set(post, html);
    }
    return html;
  };
}
