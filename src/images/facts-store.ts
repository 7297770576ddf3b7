// The facts of every source image asked about, each kept for the version of the file it
// was read from (size and modification time) and read again when the file changes. Only
// files the content index lists are ever looked at.
import type { Logger } from '../content/content-store.js';
import { IMAGE_FILE, loadImageFacts, type FactsLimits, type ImageFacts } from './image-facts.js';
import { createJobQueue } from './job-queue.js';
import { statSource } from './source-file.js';

export interface FactsStoreOptions {
  /** The public folder, symbolic links resolved. */
  readonly realPublicDir: string;
  /** Decoded root paths of every file in public/: the content index's set. */
  readonly publicFiles: () => ReadonlySet<string>;
  readonly limits: FactsLimits;
  readonly log: Pick<Logger, 'warn'>;
}

export interface FactsStore {
  /** The facts of a source image (a decoded root path); null when it is not an image in public/. */
  factsOf(source: string): Promise<ImageFacts | null>;
  /** Drops what is known of a source, so it is read again (its bytes changed unseen). */
  forget(source: string): void;
}

/**
 * Sources read at once: each read holds the whole file (up to IMAGE_MAX_INPUT_MB) and
 * decodes a small copy (20-80 ms on a sample photo). sharp works on libuv's pool of
 * four threads, which file reads and compression share: with two resize jobs running,
 * one facts read leaves them a thread.
 */
const READS_AT_ONCE = 1;

export function createFactsStore(options: FactsStoreOptions): FactsStore {
  const { realPublicDir, limits, log } = options;
  const known = new Map<string, ImageFacts>();
  // Waiting reads are not bounded: there are only as many as there are files in public/.
  const reads = createJobQueue({ maxRunning: READS_AT_ONCE, maxQueued: Infinity });

  async function factsOf(source: string): Promise<ImageFacts | null> {
    if (!IMAGE_FILE.test(source) || !options.publicFiles().has(source)) return null;
    const identity = await statSource(realPublicDir, source);
    if (!identity) {
      known.delete(source);
      return null;
    }
    const cached = known.get(source);
    if (cached && cached.size === identity.size && cached.mtimeMs === identity.mtimeMs) return cached;
    return reads.run(`${identity.size}:${identity.mtimeMs}:${source}`, async () => {
      const facts = await loadImageFacts(realPublicDir, source, identity, limits);
      // Once per version of the file, however many pages and requests ask.
      if (facts.kind === 'broken') log.warn({ file: source, reason: facts.reason }, 'image unusable');
      known.set(source, facts);
      return facts;
    });
  }

  return {
    factsOf,
    forget: (source) => known.delete(source),
  };
}
