// Per-request loggers made only when something is logged.
import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import t from 'tap';
import { lazyChildLogger } from '../../src/http/request-logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

// The factory's `this` (the Fastify instance) and the raw request are not used.
const make = (logger: unknown) => lazyChildLogger.call(null as never, logger as FastifyBaseLogger, { reqId: 'req-1' }, {}, null as never);

t.test('nothing is made for levels that are off; the request id is on what is written', async (t) => {
  const { logger, lines } = capture('warn');
  const log = make(logger);
  log.info('quiet');
  log.debug('quiet');
  log.trace('quiet');
  log.silent('quiet');
  t.equal(log.level, 'warn', 'the parent\'s level');
  log.warn({ a: 1 }, 'warned');
  log.error('failed');
  log.fatal('fatal');
  await new Promise((resolve) => setImmediate(resolve));
  t.same(lines.map((l) => [l.msg, l.reqId]), [['warned', 'req-1'], ['failed', 'req-1'], ['fatal', 'req-1']]);
});

t.test('a level set on the request logger, and its own children', async (t) => {
  const { logger, lines } = capture('info');
  const log = make(logger);
  log.level = 'debug';
  log.debug('now on');
  log.child({ part: 'x' }).info('from a child');
  await new Promise((resolve) => setImmediate(resolve));
  t.same(lines.map((l) => [l.msg, l.reqId, l.part]), [['now on', 'req-1', undefined], ['from a child', 'req-1', 'x']]);
  t.equal(log.level, 'debug');
});
