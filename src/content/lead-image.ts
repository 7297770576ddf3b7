// Whether a post's lead image is shown: a remote one always, a local one while its file
// is in the public folder as the index last saw it. A missing image is treated as
// absent, so no page, card, feed or sitemap ever points at it.
import type { IndexSnapshot } from './build-index.js';
import type { Post, PostImage } from './post.js';
import type { AuthorProfile } from './site-data.js';

export function leadImageOf(snapshot: IndexSnapshot, post: Post): PostImage | null {
  const image = post.image;
  if (!image?.local) return image;
  return snapshot.publicFiles.has(decodeRootPath(image.src)) ? image : null;
}

/** An author's avatar, with the same rule: a local one while its file is there. */
export function avatarOf(snapshot: IndexSnapshot, profile: AuthorProfile): PostImage | null {
  const image = profile.avatar;
  if (!image?.local) return image;
  return snapshot.publicFiles.has(decodeRootPath(image.src)) ? image : null;
}

function decodeRootPath(src: string): string {
  // toRootPath wrote each segment with encodeURIComponent, so this cannot fail.
  return decodeURIComponent(src);
}
