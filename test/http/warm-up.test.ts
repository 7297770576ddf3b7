// After startup the front page, the newest posts and a search are rendered once, so
// the first readers find them cached and the code behind them optimised.
import t from 'tap';
import { warmUp } from '../../src/http/warm-up.js';
import { build, makeSite, postText } from '../helpers/build.js';

t.test('warm-up renders the front page, the newest posts and a search', async (t) => {
  const files: Record<string, string> = {};
  for (let i = 1; i <= 14; i++) files[`p${i}.md`] = postText({ title: `Harbour story number ${i}`, date: `2025-09-${String(i).padStart(2, '0')}T10:00:00Z` });
  const { app } = await build(t, makeSite(t, files));
  await warmUp(app);
  const renders = app.pageCache.renders;
  t.equal(renders, 14, 'front page, twelve newest posts, one search');
  await app.inject('/');
  await app.inject('/2025/09/14/harbour-story-number-14/');
  await app.inject('/search/?q=harbour');
  t.equal(app.pageCache.renders, renders, 'all of them cached');
});

t.test('an empty site warms only its front page', async (t) => {
  const { app } = await build(t, makeSite(t));
  await warmUp(app);
  t.equal(app.pageCache.renders, 1);
});

t.test('an app closed meanwhile (SIGTERM during startup) is not warmed, and nothing throws', async (t) => {
  const { app } = await build(t, makeSite(t, { 'a.md': postText({ title: 'A', date: '2025-09-01' }) }));
  await app.close();
  await t.resolves(warmUp(app));
});
