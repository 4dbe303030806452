/**
 * How the console talks to the llmops API: same-origin JSON over fetch, with the user's key (if one was typed) as a
 * bearer. The key lives in this module and in sessionStorage only; no page renders it.
 */

const keyStorageName = 'llmops-console-key';
let memoryKey: string | null = readStoredKey();
const keyListeners = new Set<() => void>();

function readStoredKey(): string | null {
  try {
    return globalThis.sessionStorage?.getItem(keyStorageName) ?? null;
  } catch {
    return null;
  }
}

/** Whether the user typed a key in this tab (the key itself is never returned to a page). */
export function hasApiKey(): boolean {
  return memoryKey !== null;
}

/** Keeps `key` for this tab (sessionStorage), or forgets it with `null`. */
export function setApiKey(key: string | null): void {
  memoryKey = key && key.trim() !== '' ? key.trim() : null;
  try {
    if (memoryKey) sessionStorage.setItem(keyStorageName, memoryKey);
    else sessionStorage.removeItem(keyStorageName);
  } catch {
    // sessionStorage may be refused (private mode): the key stays in memory for this page.
  }
  for (const listener of keyListeners) listener();
}

/** Calls `listener` whenever a key is set or forgotten; returns the unsubscribe function. */
export function onApiKeyChange(listener: () => void): () => void {
  keyListeners.add(listener);
  return () => keyListeners.delete(listener);
}

/** An answer of the API that is not a success, with OpenAI's error shape's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function send<Result>(method: string, path: string, body?: unknown): Promise<Result> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (memoryKey) headers['authorization'] = `Bearer ${memoryKey}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  if (!response.ok) {
    const message =
      (json as { error?: { message?: string } } | null)?.error?.message ??
      `${method} ${path} answered ${response.status}`;
    throw new ApiError(response.status, message);
  }
  return json as Result;
}

/** `GET path` as JSON. @throws ApiError when the API answers an error. */
export function getJson<Result>(path: string): Promise<Result> {
  return send<Result>('GET', path);
}

/** `POST path` with a JSON body. @throws ApiError when the API answers an error. */
export function postJson<Result>(path: string, body: unknown): Promise<Result> {
  return send<Result>('POST', path, body);
}

/** A query string from the parameters that have a value (`?a=1&b=x`), or `''`. */
export function query(parameters: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
