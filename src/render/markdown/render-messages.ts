// The messages between the render pool and its Markdown worker.
import type { MessagePort } from 'node:worker_threads';
import type { BodySource } from '../../content/post-body.js';
import type { LoadOptions } from '../../content/load-posts.js';
import type { BodyOptions, MarkdownOptions } from './markdown.js';

export interface WorkerData {
  /** Where results go (the pool can drain it synchronously). */
  readonly results: MessagePort;
  /** Sample bodies to render once loaded, so V8 optimises the code before readers need it (jit-warm-up.ts). */
  readonly warmUpRenders: number;
}

/** Where the worker reads a post's body: the file, as the index parsed it. */
export interface BodyRequest {
  readonly source: BodySource;
  readonly from: Pick<LoadOptions, 'postsDir' | 'maxPostBytes'>;
  /** The post's table of contents and resolved Liquid links; none when absent. */
  readonly page?: BodyOptions;
}

export interface RenderJob {
  readonly id: number;
  readonly body: BodyRequest;
  readonly options: MarkdownOptions;
}

export type RenderResult =
  | { readonly id: number; readonly html: string }
  | { readonly id: number; readonly error: string }
  /** The file could not be read just now (replaced or removed meanwhile). */
  | { readonly id: number; readonly unavailable: string };

/** Sent once, when the worker's modules are loaded: time limits count from then. */
export const READY = 'ready';
