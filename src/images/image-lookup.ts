// What a view-model knows of the pictures it shows: the facts of each public image a
// page names, read before the (pure, synchronous) view-model is built, and the cache
// keys of every public image it named, found or not, so the page follows its files.
import { imageKey } from '../content/cache-keys.js';
import { toRootPath } from '../content/paths.js';
import type { ImageFacts } from './image-facts.js';

export interface ImageLookup {
  /**
   * The facts of an image named as in front matter or a body (`assets/x.jpg`,
   * `/assets/x.jpg`); null for a remote URL, a path out of public/, a file that is not
   * there, or one that was not asked for.
   */
  factsOf(src: string): ImageFacts | null;
  /** Cache keys (imageKey) of the public images asked for, in the order asked. */
  readonly keys: readonly string[];
}

/** For pages without pictures, and tests of view-models. */
export const NO_IMAGES: ImageLookup = { factsOf: () => null, keys: [] };

/**
 * The decoded root path in public/ of an image as written (`assets/a%20b.jpg` ->
 * `/assets/a b.jpg`), or null for a remote URL or a path that would leave the folder.
 */
export function publicSourceOf(src: string): string | null {
  const rootPath = toRootPath(src);
  // toRootPath encoded each segment once, so this cannot fail.
  return rootPath === null ? null : decodeURIComponent(rootPath);
}

/** A lookup over facts already read, keyed by decoded root path. */
export function lookupOf(found: ReadonlyMap<string, ImageFacts | null>): ImageLookup {
  return {
    factsOf(src) {
      const source = publicSourceOf(src);
      return source === null ? null : (found.get(source) ?? null);
    },
    keys: [...found.keys()].map(imageKey),
  };
}
