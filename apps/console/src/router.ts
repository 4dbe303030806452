import { useEffect, useState } from 'preact/hooks';

/** Where the console is served: every client route is under it (`/ui/runs/…`). */
export const basePath = '/ui';

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

/** The console's current location: the path under {@link basePath} (`/runs/abc`) and its query parameters. */
export interface Location {
  path: string;
  params: URLSearchParams;
}

function currentLocation(): Location {
  const { pathname, search } = window.location;
  const path = pathname.startsWith(basePath) ? pathname.slice(basePath.length) || '/' : '/';
  return { path, params: new URLSearchParams(search) };
}

/** The link of a console path (`/runs` → `/ui/runs`). */
export function href(path: string): string {
  return `${basePath}${path === '/' ? '/' : path}`;
}

/** Goes to a console path without reloading the page; `replace` keeps the history entry (filters, pages). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = href(path);
  if (options.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  notify();
}

/** The current location, re-rendering the caller when it changes. */
export function useLocation(): Location {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const update = () => setLocation(currentLocation());
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return location;
}

/** Replaces some query parameters of the current path (empty values are removed), as filters do. */
export function setParams(location: Location, changes: Record<string, string | number | null | undefined>): void {
  const params = new URLSearchParams(location.params);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === null || value === '') params.delete(name);
    else params.set(name, String(value));
  }
  const search = params.toString();
  navigate(`${location.path}${search ? `?${search}` : ''}`, { replace: true });
}

/**
 * Matches a path against a pattern with `:name` segments.
 * @returns the named segments (decoded), or `null` when the path does not match.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return null;
  const found: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    const actual = pathParts[index] as string;
    if (part.startsWith(':')) found[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return null;
  }
  return found;
}
