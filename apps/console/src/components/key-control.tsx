import { useEffect, useState } from 'preact/hooks';
import { hasApiKey, onApiKeyChange, setApiKey } from '../api/api-client.js';

/** Whether a key is set in this tab, re-rendering when it changes. */
export function useHasKey(): boolean {
  const [has, setHas] = useState(hasApiKey());
  useEffect(() => onApiKeyChange(() => setHas(hasApiKey())), []);
  return has;
}

/**
 * Where the user types an llmops API key (an admin key to promote or roll back; any key to read off loopback). The
 * field is a password field that is emptied once the key is kept: the key is never shown again.
 */
export function KeyControl() {
  const has = useHasKey();
  const [typed, setTyped] = useState('');
  if (has)
    return (
      <div class="key-control">
        <span>API key set for this tab</span>
        <button type="button" onClick={() => setApiKey(null)}>
          Forget key
        </button>
      </div>
    );
  return (
    <form
      class="key-control"
      onSubmit={(event) => {
        event.preventDefault();
        setApiKey(typed);
        setTyped('');
      }}
    >
      <label for="api-key">API key</label>
      <input
        id="api-key"
        type="password"
        autocomplete="off"
        spellcheck={false}
        value={typed}
        onInput={(event) => setTyped(event.currentTarget.value)}
      />
      <button type="submit" disabled={typed.trim() === ''}>
        Use key
      </button>
    </form>
  );
}
