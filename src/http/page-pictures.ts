// Pictures for one render: the facts of the public images a page or feed names are read
// (app.images) before its view-model is built, and the response carries their cache
// keys (PageSpec.lateKeys), so it is rendered again when one of those files changes.
import type { FastifyInstance } from 'fastify';
import type { IndexSnapshot } from '../content/build-index.js';
import { leadImageOf } from '../content/lead-image.js';
import type { Post } from '../content/post.js';
import type { ImageLookup } from '../images/image-lookup.js';

export interface PictureCollector {
  lookup(srcs: Iterable<string>): Promise<ImageLookup>;
  /** Keys of every picture looked up so far. */
  readonly keys: () => readonly string[];
}

export function collectPictures(app: FastifyInstance): PictureCollector {
  const keys = new Set<string>();
  return {
    async lookup(srcs) {
      const pictures = await app.images.lookup(srcs);
      for (const key of pictures.keys) keys.add(key);
      return pictures;
    },
    keys: () => [...keys],
  };
}

/** The public lead images of `posts` (those the index sees in public/). */
export function leadSources(snapshot: IndexSnapshot, posts: Iterable<Post>): string[] {
  const sources: string[] = [];
  for (const post of posts) {
    const image = leadImageOf(snapshot, post);
    if (image?.local) sources.push(image.src);
  }
  return sources;
}
