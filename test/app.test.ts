import { createRequire } from 'node:module';
import t from 'tap';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createStoreFor } from '../src/content/content-store.js';
import { pino } from 'pino';
import { makeSite } from './helpers/build.js';

t.test('buildApp logs at the configured level by default', async (t) => {
  const s = makeSite(t);
  const app = await buildApp(loadConfig({ POSTS_DIR: s.postsDir, PUBLIC_DIR: s.publicDir, POST_CACHE_DIR: 'off', LOG_LEVEL: 'silent' }));
  t.teardown(() => app.close());
  await app.ready();
  await app.content.whenReady();
  t.equal(app.log.level, 'silent');
  t.equal((await app.inject('/healthz')).statusCode, 200);
});

t.test('buildApp takes a logger and a content store made before it (server.ts reads posts at once)', async (t) => {
  const s = makeSite(t);
  const config = loadConfig({ POSTS_DIR: s.postsDir, PUBLIC_DIR: s.publicDir, POST_CACHE_DIR: 'off', LOG_LEVEL: 'silent', WATCH: 'false' });
  const log = pino({ level: 'silent' });
  const store = createStoreFor(config, log);
  const loading = store.load();
  const app = await buildApp(config, { loggerInstance: log, store });
  t.teardown(() => app.close());
  await loading;
  t.equal(app.content, store, 'the store given');
  t.equal((await app.inject('/readyz')).statusCode, 200);
});

t.test('Fastify\'s schema compilers are never loaded, and a route schema fails at startup', async (t) => {
  const s = makeSite(t);
  const app = await buildApp(loadConfig({ POSTS_DIR: s.postsDir, PUBLIC_DIR: s.publicDir, POST_CACHE_DIR: 'off', LOG_LEVEL: 'silent', WATCH: 'false' }));
  t.teardown(() => app.close());
  await app.ready();
  await app.content.whenReady();
  t.equal((await app.inject('/search/?q=tide&page=x')).statusCode, 404, 'a page that is not a number');
  t.equal((await app.inject('/search/?q=tide')).statusCode, 200);
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  // (Fastify's error serializer, compiled ahead, needs only fast-json-stringify's runtime.)
  t.notOk(loaded.some((file) => /node_modules[\\/](ajv[\\/]|fast-json-stringify[\\/]index\.js)/.test(file)), 'neither Ajv nor the fast-json-stringify compiler was loaded');

  const withSchema = await buildApp(loadConfig({ POSTS_DIR: s.postsDir, PUBLIC_DIR: s.publicDir, POST_CACHE_DIR: 'off', LOG_LEVEL: 'silent', WATCH: 'false' }));
  t.teardown(() => withSchema.close());
  withSchema.get('/with-schema', { schema: { querystring: { type: 'object' } } }, async () => 'never');
  await t.rejects(async () => withSchema.ready(), /route schemas are not supported/);
});
