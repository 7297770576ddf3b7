import t from 'tap';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createStoreFor } from '../src/content/content-store.js';
import { pino } from 'pino';
import { makeSite } from './helpers/build.js';

t.test('buildApp logs at the configured level by default', async (t) => {
  const s = makeSite(t);
  const app = await buildApp(loadConfig({ POSTS_DIR: s.postsDir, PUBLIC_DIR: s.publicDir, LOG_LEVEL: 'silent' }));
  t.teardown(() => app.close());
  await app.ready();
  await app.content.whenReady();
  t.equal(app.log.level, 'silent');
  t.equal((await app.inject('/healthz')).statusCode, 200);
});

t.test('buildApp takes a logger and a content store made before it (server.ts reads posts at once)', async (t) => {
  const s = makeSite(t);
  const config = loadConfig({ POSTS_DIR: s.postsDir, PUBLIC_DIR: s.publicDir, LOG_LEVEL: 'silent', WATCH: 'false' });
  const log = pino({ level: 'silent' });
  const store = createStoreFor(config, log);
  const loading = store.load();
  const app = await buildApp(config, { loggerInstance: log, store });
  t.teardown(() => app.close());
  await loading;
  t.equal(app.content, store, 'the store given');
  t.equal((await app.inject('/readyz')).statusCode, 200);
});
