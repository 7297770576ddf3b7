// The messages between the render pool and its Markdown worker.
import type { MarkdownOptions } from './markdown.js';

export interface RenderJob {
  readonly id: number;
  readonly markdown: string;
  readonly options: MarkdownOptions;
}

export type RenderResult = { readonly id: number; readonly html: string } | { readonly id: number; readonly error: string };

/** Sent once, when the worker's modules are loaded: time limits count from then. */
export const READY = 'ready';
