import { LlmopsError } from '@llmops/kernel';
import type { HttpToolSpec, ProviderCredentials } from '@llmops/kernel';
import { upstreamRequester } from '@llmops/providers';
import type { UpstreamAnswer, UpstreamPools } from '@llmops/providers';
import { z } from 'zod';
import type { AgentTool } from '../agent-tool.js';

/** What {@link httpTool} needs besides its spec. */
export interface HttpToolOptions {
  /** Where the credential of `auth.env` is read, when the tool is called. */
  env: Record<string, string | undefined>;
  /** The keys the deployment allows: `auth.env` must be one bound to the tool's host. */
  credentials: ProviderCredentials;
  /** A fetch for the calls (tests, proxies); without one the calls go on `pools`. */
  fetch?: typeof globalThis.fetch;
  /**
   * The keep-alive connection pools to call on (the provider registry's, closed with it). Without them each call
   * opens its own connection, closed after the answer.
   */
  pools?: UpstreamPools;
}

const placeholder = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The URL of a call: placeholders filled with URL-encoded values; the origin must be the conf's. */
function callUrl(spec: HttpToolSpec, args: Record<string, unknown>): { url: URL; used: Set<string> } {
  const used = new Set<string>();
  const text = spec.url.replace(placeholder, (_match, name: string) => {
    used.add(name);
    const value = args[name];
    return encodeURIComponent(value === undefined || value === null ? '' : String(value));
  });
  const url = new URL(text);
  const bound = new URL(/^(https?:\/\/[^/?#]*)/i.exec(spec.url)?.[1] as string);
  if (url.origin !== bound.origin) {
    throw new LlmopsError('invalid_input', `tool ${spec.name}: the call left its host ${bound.host}`);
  }
  return { url, used };
}

/**
 * The `http` tool: one request to an endpoint whose scheme and host are fixed in the conf. Arguments
 * (checked with the zod schema made from the conf's JSON Schema) fill the URL's placeholders,
 * URL-encoded; the others go in the query (GET) or a JSON body (POST). The credential of `auth` is
 * read from the environment at call time and sent only to that host: redirects are refused, so it
 * never follows one elsewhere. Calls go on the pool of the host's origin (which carries no credentials and follows
 * no redirect; a `3xx` is an error) or on an injected `fetch` (`redirect: 'error'`). The response text is cut to
 * `maxResponseChars`.
 * @throws LlmopsError `invalid_input` when `auth.env` is not a declared credential bound to the tool's host.
 */
export function httpTool(spec: HttpToolSpec, options: HttpToolOptions): AgentTool {
  if (spec.auth)
    options.credentials.check({ variable: spec.auth.env, url: spec.url, field: `tool ${spec.name}: auth.env` });
  const argumentsSchema = z.fromJSONSchema(spec.parameters as Parameters<typeof z.fromJSONSchema>[0]);
  const send = upstreamRequester({ fetch: options.fetch, pools: options.pools, redirect: 'error' });
  const host = new URL(/^(https?:\/\/[^/?#]*)/i.exec(spec.url)?.[1] as string).host;
  return {
    name: spec.name,
    kind: 'http',
    arguments: argumentsSchema,
    definition: {
      type: 'function',
      function: {
        name: spec.name,
        description: spec.description ?? `Calls ${spec.method} ${host}.`,
        parameters: spec.parameters,
      },
    },
    async run(args, callOptions) {
      const values = (args ?? {}) as Record<string, unknown>;
      const { url, used } = callUrl(spec, values);
      const rest = Object.fromEntries(Object.entries(values).filter(([name]) => !used.has(name)));
      if (spec.method === 'GET')
        for (const [name, value] of Object.entries(rest)) url.searchParams.set(name, String(value));
      const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9', ...spec.headers };
      if (spec.auth) {
        const secret = options.env[spec.auth.env]?.trim();
        if (!secret) {
          throw new LlmopsError('invalid_input', `tool ${spec.name}: environment variable ${spec.auth.env} is not set`);
        }
        headers[spec.auth.header] = spec.auth.scheme === '' ? secret : `${spec.auth.scheme} ${secret}`;
      }
      if (spec.method === 'POST') headers['content-type'] = 'application/json';
      const timeout = AbortSignal.timeout(spec.timeoutMs);
      const signals = [timeout, ...(callOptions.signal ? [callOptions.signal] : [])];
      let response: UpstreamAnswer;
      try {
        response = await send({
          method: spec.method,
          url,
          headers,
          signal: AbortSignal.any(signals),
          ...(spec.method === 'POST' ? { body: JSON.stringify(rest) } : {}),
        });
      } catch (error) {
        const timedOut = timeout.aborted || (error instanceof Error && error.name === 'TimeoutError');
        throw new LlmopsError(
          timedOut ? 'timeout' : 'upstream_error',
          `tool ${spec.name}: ${spec.method} ${url.host}${url.pathname} ${timedOut ? `took longer than ${spec.timeoutMs} ms` : 'failed (network error or redirect)'}`,
        );
      }
      const text = response.text.slice(0, spec.maxResponseChars);
      if (response.status < 200 || response.status >= 300) {
        throw new LlmopsError(
          'upstream_error',
          `tool ${spec.name}: HTTP ${response.status} from ${url.host}: ${text.slice(0, 500)}`,
        );
      }
      return text;
    },
  };
}
