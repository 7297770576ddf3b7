// Files from public/: @fastify/static serves them with their own validators (no
// listings, no dotfiles, no way out of the folder), and the stylesheet is served from
// memory under a fingerprinted URL, compressed once and cacheable for a year.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { isInside } from '../content/paths.js';
import { createRepresentation, type Representation } from './representation.js';
import { sendRepresentation } from './send-representation.js';

/** The stylesheet that ships with the app, used when PUBLIC_DIR has none of its own. */
const BUNDLED_PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));
const STYLESHEET = 'css/site.css';

export interface Stylesheet {
  /** `/assets/css/site.<hash>.css` */
  readonly url: string;
  readonly rep: Representation;
}

/** Reads the stylesheet (PUBLIC_DIR's own, else the bundled one) and fingerprints it. */
export function loadStylesheet(publicDir: string): Stylesheet {
  const own = path.join(publicDir, STYLESHEET);
  const file = fs.existsSync(own) ? own : path.join(BUNDLED_PUBLIC_DIR, STYLESHEET);
  const stat = fs.statSync(file);
  const rep = createRepresentation(fs.readFileSync(file), {
    contentType: 'text/css; charset=utf-8',
    lastModified: stat.mtime,
    brotliQuality: 11,
  });
  return { url: `/assets/css/site.${rep.hash.slice(0, 12)}.css`, rep };
}

async function staticPlugin(app: FastifyInstance, options: { publicDir: string; stylesheet: Stylesheet }): Promise<void> {
  const { stylesheet } = options;
  app.get(stylesheet.url, (request, reply) =>
    sendRepresentation(request, reply, stylesheet.rep, { cacheControl: app.cachePolicy.asset }),
  );

  // Encapsulated, so the hook below only sees requests that reached the static files.
  await app.register(publicFiles, { publicDir: options.publicDir });
}

async function publicFiles(app: FastifyInstance, options: { publicDir: string }): Promise<void> {
  const realPublicDir = fs.realpathSync(options.publicDir);
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    // Folders are never served (no index files, no listings), and every URL that no
    // other route took lands here, post permalinks and 404s included: skip the disk.
    // A symbolic link in public/ that leads outside it is not followed either.
    if (path.endsWith('/') || !(await staysInside(realPublicDir, path))) {
      reply.callNotFound();
      return reply;
    }
  });
  await app.register(fastifyStatic, {
    root: options.publicDir,
    prefix: '/',
    wildcard: true,
    index: false,
    list: false,
    redirect: false,
    dotfiles: 'ignore',
    serveDotFiles: false,
    etag: true,
    lastModified: true,
    cacheControl: false,
    setHeaders: (reply) => {
      reply.header('cache-control', app.cachePolicy.static);
    },
  });
}

/**
 * Whether the file a URL path names, symbolic links resolved, is inside `root`. A path
 * that does not exist (or does not decode) is left to @fastify/static to refuse.
 */
async function staysInside(root: string, urlPath: string): Promise<boolean> {
  let real: string;
  try {
    real = await fs.promises.realpath(path.join(root, decodeURIComponent(urlPath)));
  } catch {
    return true;
  }
  return isInside(real, root);
}

export default fp(staticPlugin, { name: 'static' });
