import { useCallback, useEffect, useState } from 'preact/hooks';
import { getJson, onApiKeyChange } from './api/api-client.js';

/** What a page knows about one API read: its data once loaded, or the error it failed with. */
export interface ApiRead<Result> {
  data: Result | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Reads `path` (a same-origin API path) and re-reads it when the path changes, or every `refreshMs` when given.
 * A `null` path reads nothing (the page lacks what it needs yet); a new `generation` reads again (after a change), and
 * so does a key typed or forgotten.
 */
export function useApi<Result>(
  path: string | null,
  options: { refreshMs?: number; generation?: number } = {},
): ApiRead<Result> {
  const [state, setState] = useState<{ data?: Result; error?: Error; loading: boolean }>({ loading: path !== null });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  useEffect(() => {
    if (path === null) return undefined;
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    getJson<Result>(path).then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) =>
        current && setState({ error: error instanceof Error ? error : new Error(String(error)), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [path, generation, options.generation]);
  // A key typed or forgotten changes what the API answers: read again.
  useEffect(() => {
    const unsubscribe = onApiKeyChange(reload);
    return () => {
      unsubscribe();
    };
  }, [reload]);
  useEffect(() => {
    if (!options.refreshMs) return undefined;
    const timer = setInterval(reload, options.refreshMs);
    return () => clearInterval(timer);
  }, [options.refreshMs, reload]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
