import type { Response } from 'express';
import { LRUCache } from 'lru-cache';

/** A view rendered to a string with the response's locals (its language and translator), not sent. */
export function renderToString(res: Response, view: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) => {
    res.render(view, locals, (error: Error | null, html?: string) => (error ? reject(error) : resolve(html ?? '')));
  });
}

export type FragmentCache = (key: string, render: () => Promise<string>) => Promise<string>;

/**
 * Rendered parts of pages that change only when their data does, kept by a key that names
 * everything they were made from (for the public statistics: the refresh time, the language and
 * the range). Bounded by size, least recently used first out; concurrent requests for a key not
 * yet made share one rendering. A rendering that fails is not kept.
 */
export function fragmentCache(options: { maxCharacters: number }): FragmentCache {
  const cache = new LRUCache<string, string, () => Promise<string>>({
    maxSize: options.maxCharacters,
    sizeCalculation: (html) => Math.max(1, html.length),
    fetchMethod: (_key, _stale, { context }) => context(),
  });
  return async (key, render) => (await cache.fetch(key, { context: render })) ?? render();
}
