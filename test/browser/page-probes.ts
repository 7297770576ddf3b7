// What the browser tests read from a loaded page: each picture as the browser chose it,
// the layout shifts since navigation, horizontal overflow, and the bytes images cost.
import type { BrowserContext, Page } from 'playwright-core';

export interface ImageProbe {
  readonly src: string;
  /** The URL the browser chose (srcset and <source> applied). */
  readonly currentSrc: string;
  /** The widths on offer for the chosen format, from its srcset; empty without one. */
  readonly offered: readonly number[];
  /** Width of the box it is shown in, CSS pixels. */
  readonly boxWidth: number;
  readonly complete: boolean;
  readonly naturalWidth: number;
  readonly loading: string;
  readonly fetchPriority: string;
  /** In the front page's lead story or the post's lead figure. */
  readonly lead: boolean;
}

/** Counts layout shifts from the first paint on (installed before any page script could run). */
export async function watchLayoutShifts(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __shift: number };
    w.__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!entry.hadRecentInput) w.__shift += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** Layout shift since the page began (the sum CLS is the worst window of). */
export function layoutShift(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __shift: number }).__shift);
}

/** Scrolls to the bottom a screen at a time, letting lazy pictures load, then back up. */
export async function scrollThrough(page: Page): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const step = page.viewportSize()!.height;
  for (let y = 0; y <= height; y += step) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    // The pictures on screen have arrived before the next screen.
    await page.waitForFunction(() =>
      [...document.images].every((img) => {
        const box = img.getBoundingClientRect();
        return box.top >= innerHeight || box.bottom <= 0 || img.complete;
      }),
    );
  }
  await page.waitForFunction(() => [...document.images].every((img) => img.complete), undefined, { timeout: 60_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
}

export function probeImages(page: Page): Promise<ImageProbe[]> {
  return page.evaluate(() =>
    [...document.images].map((img) => {
      const picture = img.parentElement?.tagName === 'PICTURE' ? img.parentElement : null;
      const chosen = picture
        ? [...picture.querySelectorAll('source')].find((s) => img.currentSrc && s.srcset.includes(img.currentSrc.replace(location.origin, '')))
        : null;
      const srcset = chosen?.srcset ?? img.srcset;
      return {
        src: img.getAttribute('src') ?? '',
        currentSrc: img.currentSrc.replace(location.origin, ''),
        offered: srcset ? srcset.split(',').map((c: string) => Number(c.trim().split(/\s+/)[1]!.replace('w', ''))) : [],
        boxWidth: img.getBoundingClientRect().width,
        complete: img.complete,
        naturalWidth: img.naturalWidth,
        loading: img.loading,
        fetchPriority: img.fetchPriority,
        lead: img.closest('.card--lead, .article__image') !== null,
      };
    }),
  );
}

/** The width a variant URL names (`/img/<fingerprint>/<width>/…`), or null. */
export function variantWidth(url: string): number | null {
  const match = /^\/img\/[0-9a-f]{16}\/(\d+)\//.exec(url);
  return match ? Number(match[1]) : null;
}

/** The smallest width on offer that covers `needed` device pixels (the widest if none does). */
export function rightWidth(offered: readonly number[], needed: number): number {
  const sorted = [...offered].sort((a, b) => a - b);
  // A pixel of rounding: a 359.98 px box is a 360 px one.
  return sorted.find((w) => w >= Math.floor(needed)) ?? sorted.at(-1)!;
}

export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Counts the bytes of every image response the page receives from now on. */
export function countImageBytes(page: Page): { readonly total: () => Promise<number> } {
  const sizes: Promise<number>[] = [];
  page.on('requestfinished', (request) => {
    if (request.resourceType() === 'image') sizes.push(request.sizes().then((s) => s.responseBodySize));
  });
  return { total: async () => (await Promise.all(sizes)).reduce((a, b) => a + b, 0) };
}
