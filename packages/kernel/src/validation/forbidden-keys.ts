/** Whether an object is one of the two forbidden shapes (its own keys only). */
function isForbiddenNode(node: object): boolean {
  if (Object.prototype.hasOwnProperty.call(node, '__proto__')) return true;
  if (!Object.prototype.hasOwnProperty.call(node, 'constructor')) return false;
  const constructor = (node as Record<string, unknown>)['constructor'];
  return (
    constructor !== null &&
    typeof constructor === 'object' &&
    Object.prototype.hasOwnProperty.call(constructor, 'prototype')
  );
}

/** Whether `value` holds a forbidden key anywhere: the walk of {@link forbiddenKeyPath} without its paths. */
function holdsForbiddenKey(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) pending.push(item);
      continue;
    }
    if (isForbiddenNode(node)) return true;
    for (const key of Object.keys(node)) pending.push((node as Record<string, unknown>)[key]);
  }
  return false;
}

/**
 * Where a parsed value holds a key that could change object prototypes once copied (an own `__proto__` key, or a
 * `constructor` object with a `prototype`), as a path from `root` (`body.messages[0].__proto__`, or
 * `metadata.__proto__` from an empty root); undefined when it holds none. zod and object spreads drop or misread such
 * keys, so parsers refuse them by name instead of losing them silently.
 */
export function forbiddenKeyPath(value: unknown, root = ''): string | undefined {
  // Nearly every value holds none: look first without building a path for every node (this runs on each request).
  if (!holdsForbiddenKey(value)) return undefined;
  const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
  const pending: Array<{ node: unknown; path: string }> = [{ node: value, path: root }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node, path } = next;
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      node.forEach((item, index) => pending.push({ node: item, path: `${path}[${index}]` }));
      continue;
    }
    const own = (key: string) => Object.prototype.hasOwnProperty.call(node, key);
    if (own('__proto__')) return join(path, '__proto__');
    const constructor = (node as Record<string, unknown>)['constructor'];
    if (own('constructor') && constructor !== null && typeof constructor === 'object') {
      if (Object.prototype.hasOwnProperty.call(constructor, 'prototype')) return join(path, 'constructor.prototype');
    }
    for (const [key, item] of Object.entries(node)) pending.push({ node: item, path: join(path, key) });
  }
  return undefined;
}
