// The one error a post file can cause: it names the file and keeps the cause.

export class PostError extends Error {
  /** The system error code of the cause, e.g. `ENOENT` when the file is gone. */
  readonly code: string | undefined;

  constructor(
    readonly file: string,
    readonly reason: string,
    options?: ErrorOptions & { readonly code?: string | undefined },
  ) {
    super(`${file}: ${reason}`, options);
    this.name = 'PostError';
    // `code` is given directly when the error crossed from a worker (causes do not).
    this.code = options?.code ?? (options?.cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

/** Wraps any failure while reading or parsing `file` into a PostError. */
export function toPostError(file: string, err: unknown): PostError {
  if (err instanceof PostError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new PostError(file, reason, { cause: err });
}
