// Reading a source image from public/: only a path that the content index listed, only
// while it (links resolved) stays inside the folder, and only up to the size cap.
import fs from 'node:fs';
import path from 'node:path';
import { isInside } from '../content/paths.js';

/** A source that cannot be used: the reason names what is wrong, for the log. */
export class SourceError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${reason}`, options);
    this.name = 'SourceError';
  }
}

export interface SourceIdentity {
  readonly size: number;
  readonly mtimeMs: number;
}

/** Size and modification time: a file's identity until it is replaced; null if it is gone. */
export async function statSource(publicDir: string, source: string): Promise<SourceIdentity | null> {
  try {
    const stat = await fs.promises.stat(path.join(publicDir, source));
    // Whole milliseconds, as a Date keeps them. A file replaced within the same
    // millisecond at the same size is still caught: jobs check the bytes themselves.
    return stat.isFile() ? { size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) } : null;
  } catch {
    return null;
  }
}

/**
 * The bytes of `source`, a decoded root path taken from the index of public/. A
 * symbolic link that leads out of the folder is refused, as the static files are.
 */
export async function readSource(realPublicDir: string, source: string, maxBytes: number): Promise<Buffer> {
  let real: string;
  try {
    real = await fs.promises.realpath(path.join(realPublicDir, source));
  } catch (err) {
    throw new SourceError(source, 'file not found', { cause: err });
  }
  if (!isInside(real, realPublicDir)) throw new SourceError(source, 'symbolic link to a file outside the public folder: not followed');
  const file = await fs.promises.open(real, 'r');
  try {
    const { size } = await file.stat();
    if (size > maxBytes) {
      throw new SourceError(source, `file is ${size} bytes, over the limit of ${maxBytes} (IMAGE_MAX_INPUT_MB)`);
    }
    // One read of the size seen: a file growing meanwhile cannot pass the cap.
    const bytes = Buffer.allocUnsafe(size);
    const { bytesRead } = await file.read(bytes, 0, size, 0);
    return bytes.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
