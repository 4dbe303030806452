/** One route as the server registered it: its method and Fastify's URL pattern (`/api/v1/models/:name`, `/ui/*`). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/** The order methods are listed in an `Allow` header. */
const methodOrder = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Whether a request path matches a route's URL pattern as Fastify's router reads it: a `:name` segment takes one
 * non-empty segment, a trailing `*` takes the rest of the path, every other segment must be equal.
 */
export function matchesPattern(pattern: string, path: string): boolean {
  const wanted = pattern.split('/');
  const given = path.split('/');
  for (const [index, segment] of wanted.entries()) {
    if (segment === '*' && index === wanted.length - 1) return true;
    const part = given[index];
    if (part === undefined) return false;
    if (segment.startsWith(':') ? part === '' : segment !== part) return false;
  }
  return wanted.length === given.length;
}

/**
 * The methods the server answers on a path (what a 405's `Allow` header lists), from the routes it registered: empty
 * when no route matches the path, whatever the method (a 404).
 */
export function allowedMethods(routes: readonly RegisteredRoute[], path: string): string[] {
  const methods = new Set(routes.filter((route) => matchesPattern(route.url, path)).map((route) => route.method));
  return [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function rank(method: string): number {
  const index = methodOrder.indexOf(method);
  return index === -1 ? methodOrder.length : index;
}
