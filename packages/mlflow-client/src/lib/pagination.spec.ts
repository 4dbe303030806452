import { paginate } from './pagination.js';
import type { Page } from './pagination.js';

function pages(data: number[][]) {
  const asked: (string | undefined)[] = [];
  const fetchPage = async (token: string | undefined): Promise<Page<number>> => {
    asked.push(token);
    const index = token === undefined ? 0 : Number(token);
    return { items: data[index] ?? [], nextPageToken: index + 1 < data.length ? String(index + 1) : undefined };
  };
  return { asked, fetchPage };
}

async function collect(iterator: AsyncIterable<number>): Promise<number[]> {
  const items: number[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

describe('paginating a search', () => {
  it('walks every page in order, following the tokens', async () => {
    const { asked, fetchPage } = pages([[1, 2], [3, 4], [5]]);
    expect(await collect(paginate(fetchPage))).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toEqual([undefined, '1', '2']);
  });

  it('fetches no page more than the consumer needs', async () => {
    const { asked, fetchPage } = pages([[1, 2], [3, 4], [5]]);
    expect(await collect(paginate(fetchPage, { limit: 3 }))).toEqual([1, 2, 3]);
    expect(asked).toEqual([undefined, '1']);
  });

  it('starts from a given token and stops at an empty token', async () => {
    const { fetchPage } = pages([[1], [2], [3]]);
    expect(await collect(paginate(fetchPage, { pageToken: '1' }))).toEqual([2, 3]);
    const empty = paginate(async () => ({ items: [9], nextPageToken: '' }));
    expect(await collect(empty)).toEqual([9]);
  });
});
