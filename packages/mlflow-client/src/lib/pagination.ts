import { LlmopsError } from '@llmops/kernel';

/** One page of a search, with the token of the next page when there is one. */
export interface Page<Item> {
  items: Item[];
  /** Pass as `pageToken` to get the next page; undefined on the last page. */
  nextPageToken: string | undefined;
}

/** Paging options shared by the search methods. */
export interface PageOptions {
  /** Results per request (MLflow's `max_results`). */
  pageSize?: number;
  /** The token of the page to start from. */
  pageToken?: string;
  /** Stop after this many results in all (iterators only). */
  limit?: number;
  signal?: AbortSignal;
}

/**
 * Checks a page size against the server's maximum.
 * @throws LlmopsError `invalid_input` naming `field` when it is not a whole number in 1..maximum.
 */
export function checkPageSize(pageSize: number | undefined, options: { field: string; maximum: number }): void {
  if (pageSize === undefined) return;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > options.maximum) {
    throw new LlmopsError(
      'invalid_input',
      `${options.field} is ${pageSize}; expected a whole number from 1 to ${options.maximum}`,
    );
  }
}

/** Walks all pages of a search, yielding items one by one and fetching the next page lazily. */
export async function* paginate<Item>(
  fetchPage: (pageToken: string | undefined) => Promise<Page<Item>>,
  options: { pageToken?: string; limit?: number } = {},
): AsyncGenerator<Item, void, undefined> {
  let token = options.pageToken;
  let yielded = 0;
  const limit = options.limit ?? Infinity;
  while (yielded < limit) {
    const page = await fetchPage(token);
    for (const item of page.items) {
      if (yielded >= limit) return;
      yield item;
      yielded += 1;
    }
    if (page.nextPageToken === undefined || page.nextPageToken === '') return;
    token = page.nextPageToken;
  }
}
