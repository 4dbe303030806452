/** A man page's section number after its name: `du(1)`, `skerry.conf(5)`. */
const manualSectionNumber = /\(\w+\)\s*$/;

/** The terms of a page's name: its title without a man page's section number (`git-commit(1)` gives `git`, `commit`). */
export function pageNameTerms(title: string, terms: (text: string) => string[]): string[] {
  return terms(title.replace(manualSectionNumber, ''));
}

/**
 * How rare each term is among a corpus's page titles, in [0, 1]: its BM25 IDF over the distinct
 * titles, divided by the IDF of a term of one title (so a term of one title gives 1, a term of every
 * title about 0, a term of no title 0). The passages of one page all carry its title, so a term's IDF
 * over passages says little about whether it names a page: `rsync` is in 402 of 1,912 passages of the
 * real man pages, yet only one page is rsync's.
 */
export function titleRarity(titles: readonly string[], terms: (text: string) => string[]): (term: string) => number {
  const distinct = [...new Set(titles)];
  const counts = new Map<string, number>();
  for (const title of distinct) for (const term of new Set(terms(title))) counts.set(term, (counts.get(term) ?? 0) + 1);
  const idf = (count: number) => Math.log(1 + (distinct.length - count + 0.5) / (count + 0.5));
  const highest = idf(1);
  return (term) => {
    const count = counts.get(term);
    return count === undefined || highest <= 0 ? 0 : idf(count) / highest;
  };
}

/**
 * How strongly a question names a page, in [0, 1]: 0 unless the terms of the page's name (see
 * {@link pageNameTerms}) stand in the question's terms one after the other (`du`, `git commit`,
 * `skerry depot`), then the title rarity of the rarest of them, so that a name every page shares
 * (`skerry`) names none. Reference questions name the tool they ask about; its page's passages
 * should come before another tool's passage that happens to share more of the other words.
 */
export function namesPage(
  queryTerms: readonly string[],
  title: string,
  tools: { terms: (text: string) => string[]; titleRarity: (term: string) => number },
): number {
  const name = pageNameTerms(title, tools.terms);
  if (name.length === 0) return 0;
  for (let start = 0; start + name.length <= queryTerms.length; start += 1) {
    if (name.every((term, offset) => queryTerms[start + offset] === term))
      return Math.max(...name.map((term) => tools.titleRarity(term)));
  }
  return 0;
}
