/** How often each category occurs in the reference and in the current sample, over the union of categories. */
export interface CategoryCounts {
  /** Categories in first-seen order (reference first). */
  categories: string[];
  reference: number[];
  current: number[];
}

/** Counts the categories of two samples on one shared axis. */
export function countCategories(reference: Iterable<string>, current: Iterable<string>): CategoryCounts {
  const positions = new Map<string, number>();
  const counts: CategoryCounts = { categories: [], reference: [], current: [] };
  const add = (category: string, side: 'reference' | 'current'): void => {
    let position = positions.get(category);
    if (position === undefined) {
      position = counts.categories.length;
      positions.set(category, position);
      counts.categories.push(category);
      counts.reference.push(0);
      counts.current.push(0);
    }
    counts[side][position]++;
  };
  for (const category of reference) add(category, 'reference');
  for (const category of current) add(category, 'current');
  return counts;
}
