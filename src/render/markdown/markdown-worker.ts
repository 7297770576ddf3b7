// Worker thread that reads post bodies and renders them, so a pathological post can be
// stopped (the worker is terminated) instead of stalling the server's event loop, and
// the main thread never holds bodies. Results go back on the port the pool handed
// over, which it can drain synchronously.
import { parentPort, workerData } from 'node:worker_threads';
import { loadPostBody } from '../../content/post-body.js';
import { warmUp } from './jit-warm-up.js';
import { createMarkdownRenderer, type MarkdownRenderer } from './markdown.js';
import { READY, type RenderJob, type RenderResult, type WorkerData } from './render-messages.js';

const { results, warmUpRenders } = workerData as WorkerData;
const renderers = new Map<string, MarkdownRenderer>();

function render(job: RenderJob): RenderResult {
  let markdown: string;
  try {
    markdown = loadPostBody(job.body.source, job.body.from);
  } catch (err) {
    return { id: job.id, unavailable: (err as Error).message };
  }
  try {
    const key = JSON.stringify(job.options);
    let renderer = renderers.get(key);
    if (!renderer) {
      renderer = createMarkdownRenderer(job.options);
      renderers.set(key, renderer);
    }
    return { id: job.id, html: renderer.render(markdown, job.body.page) };
  } catch (err) {
    return { id: job.id, error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort!.on('message', (job: RenderJob) => results.postMessage(render(job)));

results.postMessage(READY);
if (warmUpRenders > 0) {
  // Any site's options do: the code V8 optimises is the same for every renderer.
  const renderer = createMarkdownRenderer({ siteUrl: 'https://warm-up.invalid', embedHosts: [] });
  void warmUp((markdown) => renderer.render(markdown), warmUpRenders);
}
