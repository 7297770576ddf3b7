// Each request's logger (`request.log`, with its request id) made only when something
// is logged. Fastify makes a pino child per request otherwise, and for a cached page
// that child alone costs about a tenth of the throughput (measured against a bare
// Fastify with perf-compare), while at LOG_LEVEL=warn nothing is written at all.
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString, LogFn } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

class LazyChild implements FastifyBaseLogger {
  #real: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger & { isLevelEnabled(level: string): boolean },
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get #log(): FastifyBaseLogger {
    return (this.#real ??= this.parent.child(this.bindings, this.options));
  }

  get level(): LevelWithSilentOrString {
    return this.#real?.level ?? this.parent.level;
  }

  set level(level: LevelWithSilentOrString) {
    this.#log.level = level;
  }

  #emit(level: Level, args: Parameters<LogFn>): void {
    // Routes set no level of their own: the parent's level decides.
    if (this.#real !== undefined || this.parent.isLevelEnabled(level)) this.#log[level](...args);
  }

  // Prototype methods, not closures: a request that logs nothing allocates one object.
  fatal(...args: Parameters<LogFn>): void {
    this.#emit('fatal', args);
  }

  error(...args: Parameters<LogFn>): void {
    this.#emit('error', args);
  }

  warn(...args: Parameters<LogFn>): void {
    this.#emit('warn', args);
  }

  info(...args: Parameters<LogFn>): void {
    this.#emit('info', args);
  }

  debug(...args: Parameters<LogFn>): void {
    this.#emit('debug', args);
  }

  trace(...args: Parameters<LogFn>): void {
    this.#emit('trace', args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#log.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`; the parent is always pino, which has isLevelEnabled. */
export const lazyChildLogger: NonNullable<FastifyServerOptions['childLoggerFactory']> = (logger, bindings, options) =>
  new LazyChild(logger as FastifyBaseLogger & { isLevelEnabled(level: string): boolean }, bindings, options);
