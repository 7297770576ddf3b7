// Post bodies as sanitised HTML: rendered in the worker on first use, remembered per
// post object, and bounded in time. A body that cannot be rendered in time (or at all)
// is reported, so the content store can take the post off the site.
import type { Post } from '../content/post.js';
import type { MarkdownOptions } from './markdown.js';
import { renderInWorker } from './render-pool.js';

export type PostBodies = (post: Post) => Promise<string>;

export interface PostBodiesOptions {
  readonly markdown: MarkdownOptions;
  readonly timeoutMs: number;
  /** Called once per post whose body failed, before the caller sees the error. */
  readonly onFailure: (post: Post, err: Error) => void;
}

export function createPostBodies(options: PostBodiesOptions): PostBodies {
  const bodies = new WeakMap<Post, Promise<string>>();
  return (post) => {
    let html = bodies.get(post);
    if (!html) {
      html = renderInWorker(post.body, options.markdown, options.timeoutMs).catch((err: Error) => {
        options.onFailure(post, err);
        throw err;
      });
      bodies.set(post, html);
    }
    return html;
  };
}
