// The browser tests' server: the app on the repository's own sample site (posts/ and
// public/, with its photographs), listening on a loopback port, with an empty image cache;
// and the Chromium they drive (Debian's, at /usr/bin/chromium).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Debian's Chromium (`apt-get install -y chromium`); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags every run uses: no sandbox (root in CI), no GPU, no calls home. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Why the browser tests cannot run here, or null. */
export function missingBrowser(): string | null {
  return fs.existsSync(CHROMIUM)
    ? null
    : `${CHROMIUM} not found: the browser tests need Debian's chromium (apt-get install -y chromium) or CHROMIUM_PATH`;
}

/** Pages of the sample site the tests visit. */
export const PAGES = {
  front: '/',
  post: '/2026/11/26/storm-surge-warning/',
  listing: '/category/politics/',
  author: '/author/hana-okafor/',
  search: '/search/?q=harbour',
  missing: '/no-such-page/',
} as const;

export type PageName = keyof typeof PAGES;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the sample site; its origin (also SITE_URL, so canonical URLs are its own). Closed on teardown. */
export async function startSampleSite(t: Test): Promise<string> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-browser-images-'));
  const config = loadConfig({
    POSTS_DIR: path.join(ROOT, 'posts'),
    PUBLIC_DIR: path.join(ROOT, 'public'),
    SITE_URL: origin,
    WATCH: 'false',
    LOG_LEVEL: 'warn',
    IMAGE_CACHE_DIR: cacheDir,
    POST_CACHE_DIR: path.join(cacheDir, 'posts'),
    // Every page view on a cold cache makes variants: the browsers here are one client.
    RATE_LIMIT_PER_MINUTE: '10000',
  });
  // A cold cache makes every variant on first request: room for a whole page's worth.
  const app = await buildApp(config, { images: { missesPerMinute: 10_000, maxQueued: 200 } });
  t.teardown(async () => {
    await app.close();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });
  await app.listen({ port, host: '127.0.0.1' });
  await app.content.whenReady();
  return origin;
}
