// Worker thread that renders Markdown bodies, so a pathological post can be stopped
// (the worker is terminated) instead of stalling the server's event loop. Results go
// back on the port the pool handed over, which it can drain synchronously.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createMarkdownRenderer, type MarkdownRenderer } from './markdown.js';
import { READY, type RenderJob, type RenderResult } from './render-messages.js';

const results = (workerData as { results: MessagePort }).results;
const renderers = new Map<string, MarkdownRenderer>();

parentPort!.on('message', (job: RenderJob) => {
  const key = JSON.stringify(job.options);
  let renderer = renderers.get(key);
  if (!renderer) {
    renderer = createMarkdownRenderer(job.options);
    renderers.set(key, renderer);
  }
  let result: RenderResult;
  try {
    result = { id: job.id, html: renderer.render(job.markdown) };
  } catch (err) {
    result = { id: job.id, error: err instanceof Error ? err.message : String(err) };
  }
  results.postMessage(result);
});

results.postMessage(READY);
