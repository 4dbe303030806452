import { parse as parseYaml } from 'yaml';
import { LlmopsError } from '../errors/llmops-error.js';

const placeholder = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const wholePlaceholder = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/;

/**
 * Reads a YAML scalar the way a YAML file would (`8080` → number, `true` → boolean, `[a, b]` → list);
 * text that is not valid YAML, or parses to a mapping, stays a string.
 */
export function parseScalar(text: string): unknown {
  if (text.trim() === '') return text;
  try {
    const value: unknown = parseYaml(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return text;
    return value;
  } catch {
    return text;
  }
}

/** Where a value came from, for error messages: a file (and line) or a command-line override. */
export interface ValueLocation {
  source: string;
  path: string;
}

/**
 * Replaces `${env:VAR}` and `${env:VAR:-default}` in every string of `value`. A string that is a
 * single placeholder takes the type of what it expands to (`${env:PORT:-8080}` → 8080).
 * @throws LlmopsError `invalid_input` naming the source, the key path and the unset variable.
 */
export function interpolateEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  location: ValueLocation,
): unknown {
  if (typeof value === 'string') return interpolateString(value, env, location);
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolateEnv(item, env, { ...location, path: `${location.path}[${index}]` }));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        interpolateEnv(item, env, { ...location, path: location.path ? `${location.path}.${key}` : key }),
      ]),
    );
  }
  return value;
}

function interpolateString(text: string, env: Record<string, string | undefined>, location: ValueLocation): unknown {
  const lookup = (name: string, fallback: string | undefined): string => {
    const found = env[name];
    if (found !== undefined) return found;
    if (fallback !== undefined) return fallback;
    throw new LlmopsError(
      'invalid_input',
      `${location.source}: ${location.path || '(top level)'}: environment variable ${name} is not set and has no default; ` +
        `set it, or write \${env:${name}:-default}`,
    );
  };
  const whole = wholePlaceholder.exec(text);
  if (whole) return parseScalar(lookup(whole[1] as string, whole[2]));
  return text.replace(placeholder, (_match, name: string, fallback: string | undefined) => lookup(name, fallback));
}
