import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/api-client.js';
import type { ApiRead } from '../use-api.js';
import { KeyControl } from './key-control.js';

/** A verdict or status as a badge whose meaning is in its text, not only its colour. */
export function Badge({ value }: { value: string | boolean | null | undefined }) {
  const text = value === true ? 'pass' : value === false ? 'fail' : (value ?? 'none');
  const tone = /^(pass|passed|ok|hit|done|no_drift|met|ready|better)$/.test(text)
    ? 'good'
    : /^(fail|failed|error|blocked|drift|breached|critical|interrupted|abandoned|worse)$/.test(text)
      ? 'bad'
      : 'neutral';
  return <span class={`badge ${tone}`}>{text}</span>;
}

/** Shows a read's error or a loading line, else its children with the data. */
export function Loaded<Result>(props: {
  read: ApiRead<Result>;
  what: string;
  children: (data: Result) => ComponentChildren;
}) {
  const { read, what, children } = props;
  if (read.error && read.data === undefined) {
    const needsKey = read.error instanceof ApiError && (read.error.status === 401 || read.error.status === 403);
    return (
      <>
        <p class="error" role="alert">
          Could not load {what}: {read.error.message}
        </p>
        {needsKey && (
          <>
            <p>Reads without a key are answered on loopback only (llmops ui). Type a reader or admin key:</p>
            <KeyControl />
          </>
        )}
      </>
    );
  }
  if (read.data === undefined) return <p class="loading">Loading {what}…</p>;
  return <>{children(read.data)}</>;
}
