import t from 'tap';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
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
