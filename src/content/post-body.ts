// A post's Markdown body, read from its file again when a page that shows it is
// rendered: the index keeps only what listings need, so 100,000 posts fit in memory.
import { decodePostBytes } from './decode-text.js';
import { bodyOffset } from './front-matter.js';
import { readPostBytes, type LoadOptions } from './load-posts.js';
import { bodyOf, hashBody } from './parse-post.js';
import { PostError, toPostError } from './post-error.js';

export interface BodySource {
  readonly file: string;
  readonly titleFromHeading: boolean;
  readonly bodyHash: string;
}

/**
 * The body the index knows, read from the file again. Throws a PostError when the file
 * is gone, unreadable, or holds another body by now (it is being rewritten): the index
 * catches up within a second, and the page is rendered from the new version then. A
 * page is never rendered from a half-written file, nor a new body under old metadata.
 */
export function loadPostBody(source: BodySource, options: Pick<LoadOptions, 'postsDir' | 'maxPostBytes'>): string {
  let body: string;
  try {
    const { text } = decodePostBytes(readPostBytes(source.file, options).bytes);
    // The block is not parsed again: the body hash says whether it is the body indexed.
    body = bodyOf(text.slice(bodyOffset(text)), source.titleFromHeading);
  } catch (err) {
    throw toPostError(source.file, err);
  }
  if (hashBody(body) !== source.bodyHash) throw new PostError(source.file, 'the file changed since it was read; the index is catching up');
  return body;
}
