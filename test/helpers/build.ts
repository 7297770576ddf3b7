// Test helpers: a temporary site (posts written from short specs), an app built on it
// with a test configuration, and the log lines it wrote.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Test } from 'tap';
import { buildApp, type BuildOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { fingerprintOf, type VariantFormat } from '../../src/images/variant-formats.js';

export const SITE_URL = 'https://news.example.com';
export const ROOT = path.resolve(import.meta.dirname, '../..');

const LEAD_PHOTO = path.join(ROOT, 'test/fixtures/images/lead.jpg');
// The post caches of this test process's sites (one file per folder), outside the site
// folders: a worker may still be writing one while a test's folder is removed.
const POST_CACHES = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-test-post-cache-'));
process.on('exit', () => fs.rmSync(POST_CACHES, { recursive: true, force: true }));
const LEAD_FINGERPRINT = fingerprintOf(fs.readFileSync(LEAD_PHOTO));

/** The URL of a variant of every test site's `assets/images/lead.jpg` (1600x900). */
export function leadVariant(width: number, format: VariantFormat = 'jpg'): string {
  return `/img/${LEAD_FINGERPRINT}/${width}/assets/images/lead.jpg.${format}`;
}

export interface PostSpec {
  /** Front matter as written; keys with `undefined` are left out. */
  readonly [key: string]: unknown;
}

/** A post file's text: YAML front matter from `fm`, then `body`. */
export function postText(fm: PostSpec, body = 'Body text of the story.\n'): string {
  const lines = Object.entries(fm)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v)}`);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface TestSite {
  readonly dir: string;
  readonly postsDir: string;
  readonly publicDir: string;
  write(file: string, content: string | Buffer): void;
}

/** A temporary site folder: posts/ and public/ (with the real stylesheet and one photo, assets/images/lead.jpg). */
export function makeSite(t: Test, files: Record<string, string | Buffer> = {}): TestSite {
  const dir = t.testdir({ posts: {}, public: { css: {}, 'assets': { images: {} } } });
  const site: TestSite = {
    dir,
    postsDir: path.join(dir, 'posts'),
    publicDir: path.join(dir, 'public'),
    write(file, content) {
      const abs = path.join(dir, 'posts', file);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    },
  };
  fs.copyFileSync(path.join(ROOT, 'public/css/site.css'), path.join(site.publicDir, 'css/site.css'));
  fs.copyFileSync(path.join(ROOT, 'public/favicon.svg'), path.join(site.publicDir, 'favicon.svg'));
  // A real 1600x900 photo (11 KB): pages show public pictures only once their facts are read.
  fs.copyFileSync(LEAD_PHOTO, path.join(site.publicDir, 'assets/images/lead.jpg'));
  for (const [file, content] of Object.entries(files)) site.write(file, content);
  return site;
}

/**
 * Starts the shared worker threads (post parsing, search, Markdown) and waits until
 * they have loaded their modules, so a test that counts time does not count their
 * start-up (seconds under the TypeScript loader on a busy machine).
 */
export async function warmWorkers(t: Test): Promise<void> {
  const site = makeSite(t, { 'warm.md': postText({ title: 'Warm', date: '2025-01-01' }) });
  const { app } = await build(t, site);
  // A post page needs the Markdown worker; a search reaches every parse worker.
  await app.inject('/2025/01/01/warm/');
  await app.inject('/search/?q=warm');
  await app.close();
}

export interface BuiltApp {
  readonly app: Awaited<ReturnType<typeof buildApp>>;
  readonly logs: LogLine[];
}

/** Builds the app on `site` with a test configuration, loads the posts, closes on teardown. */
export async function build(
  t: Test,
  site: TestSite,
  env: Record<string, string | undefined> = {},
  options: {
    beforeReady?: (app: BuiltApp['app']) => void;
    waitForPosts?: boolean;
    purgeTuning?: BuildOptions['purgeTuning'];
    images?: BuildOptions['images'];
  } = {},
): Promise<BuiltApp> {
  const config = loadConfig({
    POSTS_DIR: site.postsDir,
    PUBLIC_DIR: site.publicDir,
    SITE_URL,
    SITE_TITLE: 'The Test Times',
    WATCH: 'false',
    IMAGE_CACHE_DIR: path.join(site.dir, 'image-cache'),
    POST_CACHE_DIR: POST_CACHES,
    ...env,
  });
  const logs: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const app = await buildApp(config, {
    logger: { level: 'debug', stream },
    ...(options.purgeTuning ? { purgeTuning: options.purgeTuning } : {}),
    ...(options.images ? { images: options.images } : {}),
  });
  t.teardown(() => app.close());
  options.beforeReady?.(app);
  await app.ready();
  if (options.waitForPosts !== false) await app.content.whenReady();
  return { app, logs };
}
