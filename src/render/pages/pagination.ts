// Slicing a list into pages, and the pagination view-model with rel=prev/next targets.

export interface PaginationView {
  readonly current: number;
  readonly total: number;
  /** Root-relative URLs, null at the ends. */
  readonly prev: string | null;
  readonly next: string | null;
  readonly pages: readonly { readonly number: number; readonly href: string; readonly current: boolean; readonly gapBefore: boolean }[];
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly pagination: PaginationView;
}

/** What paging needs of a list: an array, or a view of one (front-page.ts). */
export type Sliceable<T> = Pick<readonly T[], 'length' | 'slice'>;

/** Null when `page` is past the last page (page 1 always exists, even when empty). */
export function paginate<T>(
  items: Sliceable<T>,
  page: number,
  size: number,
  urlOf: (page: number) => string,
): Page<T> | null {
  const total = pageCount(items.length, size);
  if (!Number.isInteger(page) || page < 1 || page > total) return null;
  return {
    items: items.slice((page - 1) * size, page * size),
    pagination: {
      current: page,
      total,
      prev: page > 1 ? urlOf(page - 1) : null,
      next: page < total ? urlOf(page + 1) : null,
      pages: pageNumbers(page, total).map((n, i, all) => ({
        number: n,
        href: urlOf(n),
        current: n === page,
        gapBefore: i > 0 && n - all[i - 1]! > 1,
      })),
    },
  };
}

/** Pages that `count` items fill, `size` a page: at least one, even when empty. */
export function pageCount(count: number, size: number): number {
  return Math.max(1, Math.ceil(count / size));
}

/** First, last, and two either side of the current page: 1 … 4 5 6 7 8 … 40. */
function pageNumbers(current: number, total: number): number[] {
  const shown = new Set([1, total]);
  for (let n = current - 2; n <= current + 2; n++) if (n >= 1 && n <= total) shown.add(n);
  return [...shown].sort((a, b) => a - b);
}

/** `"2"` -> 2; anything but a plain positive whole number -> null (`0`, `02`, `x`). */
export function parsePageNumber(raw: string | undefined): number | null {
  if (raw === undefined) return 1;
  return /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : null;
}
