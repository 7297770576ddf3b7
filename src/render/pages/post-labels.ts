// Short labels printed beside a post wherever it appears: its reading time, and in the
// writer's preview whether it is a draft or scheduled (never on a production site,
// whose index holds neither).
import type { IndexSnapshot } from '../../content/build-index.js';
import type { Post } from '../../content/post.js';

/** `4 min read`. */
export function readingTimeText(post: Post): string {
  return `${post.readingMinutes} min read`;
}

/** `Draft`, `Scheduled` (dated after the index was built), or null for a published post. */
export function previewLabel(snapshot: IndexSnapshot, post: Post): string | null {
  if (post.draft) return 'Draft';
  return post.date > snapshot.builtAt ? 'Scheduled' : null;
}
