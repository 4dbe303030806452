/** Where a URL is in a text (`text.slice(start, end)`). */
export interface UrlMatch {
  url: string;
  start: number;
  end: number;
}

/** `http(s)://…` and `www.…` links, up to a space, a quote or a bracket. */
const urlPattern = /\b(?:https?:\/\/|www\.)[^\s<>()[\]{}"'`]+/gi;

/** The URLs of a text; trailing sentence punctuation is not part of a URL. */
export function findUrls(text: string): UrlMatch[] {
  const found: UrlMatch[] = [];
  for (const match of text.matchAll(urlPattern)) {
    const url = match[0].replace(/[.,;:!?]+$/, '');
    found.push({ url, start: match.index, end: match.index + url.length });
  }
  return found;
}

/** A URL compared by what it points to: lower case, without scheme, `www.`, trailing slash or fragment. */
function canonical(url: string): string {
  return url
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/#.*$/, '')
    .replace(/\/+$/, '');
}

/** A host pattern with `*` wildcards (`*.nimbusnotes.example`), as a test on a URL's host. */
function hostAllowed(patterns: readonly string[]): (url: string) => boolean {
  const tests = patterns.map(
    (pattern) =>
      new RegExp(
        `^${pattern
          .toLowerCase()
          .split('*')
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
  return (url) => {
    const host = canonical(url).split(/[/?]/)[0] ?? '';
    return tests.some((test) => test.test(host));
  };
}

/**
 * The URLs of an answer that none of its sources contains (the conversation, the retrieved passages)
 * and whose host is not allowed: links a model made up or carried in from somewhere the user never saw.
 */
export function unsourcedUrls(text: string, sources: readonly string[], allow: readonly string[] = []): UrlMatch[] {
  const known = new Set(sources.flatMap((source) => findUrls(source).map((match) => canonical(match.url))));
  const allowed = hostAllowed(allow);
  return findUrls(text).filter((match) => !known.has(canonical(match.url)) && !allowed(match.url));
}
