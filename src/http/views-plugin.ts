// Eta templates through @fastify/view: one Eta instance per app, escaping on by default,
// compiled templates cached. Templates only print what the view-models computed.
import { fileURLToPath } from 'node:url';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

/** views/ at the package root, from both src/http and dist/http. */
const VIEWS_DIR = fileURLToPath(new URL('../../views/', import.meta.url));

async function viewsPlugin(app: FastifyInstance, options: { production: boolean }): Promise<void> {
  const eta = new Eta({
    views: VIEWS_DIR,
    cache: options.production,
    autoEscape: true,
    autoTrim: [false, 'nl'],
  });
  await app.register(fastifyView, {
    engine: { eta },
    templates: VIEWS_DIR,
    viewExt: 'eta',
    production: options.production,
  });
}

export default fp(viewsPlugin, { name: 'views' });
