import type { FastifyRequest } from 'fastify';
import { LlmopsError } from '@llmops/kernel';
import { apiKeyPrefix, ApiKeys } from '@llmops/serving';
import type { ApiKeyRecord, ApiKeyRole, ServingCaller } from '@llmops/serving';
import { findRoute } from './route-table.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key the request was authenticated with; absent on public routes and anonymous inference. */
    apiKey?: ApiKeyRecord;
  }
}

/** Who may call a route: anyone (`public`), a key of a role (`admin` keys may call everything). */
export type RouteAccess = 'public' | ApiKeyRole;

/**
 * The access a route needs, by its method and URL pattern (`GET`, `/api/v1/models/:name`): the route table's (probes,
 * the dashboard's page and assets and `/openapi.json` public; `/v1/*` inference; the console's reads reader; the rest
 * admin). A route the table
 * does not list needs `admin`: a new route is closed until it is listed.
 */
export function routeAccess(method: string, url: string): RouteAccess {
  return findRoute(method, url)?.access ?? 'admin';
}

/** Settings of {@link createAccessControl}. */
export interface AccessControlOptions {
  keys: ApiKeys;
  /**
   * Requests without an llmops key (no `Authorization`, or a bearer that does not start with `llmops-`, such as the
   * placeholder an OpenAI client needs) may call `inference` routes. The server must be on loopback (`startLlmopsServer`).
   */
  anonymousInference?: boolean;
  /**
   * `loopback`: requests without an `Authorization` header from a loopback address (127.0.0.0/8, ::1) may call `reader`
   * routes (the console's reads); `off` (the default): they need a key like any other.
   */
  anonymousReads?: AnonymousReads;
}

/** Who may read without a key: nobody (`off`), or clients on the server's own machine (`loopback`). */
export type AnonymousReads = 'off' | 'loopback';

/** Whether a remote address is loopback: 127.0.0.0/8, ::1, or 127.x.x.x mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/** The only Authorization header accepted: the case-sensitive `Bearer` scheme, one space, a token without spaces. */
const bearerPattern = /^Bearer ([^\s]+)$/;

/** Checks one request against the access its route needs; remembers its key on `request.apiKey`. */
export type AccessCheck = (request: FastifyRequest) => Promise<void>;

/**
 * The check the API server runs on every request before its handler: `Authorization: Bearer <API key>` (the official
 * `openai` client's `apiKey`; the scheme case-sensitive, one space, the token exact), authenticated against the key store and compared with the role the route needs.
 * Requests to unknown routes pass (they get 404).
 * @returns a check that throws LlmopsError `unauthorized` (401) without a valid key (OpenAI's `invalid_api_key` when a
 * key or a malformed header was sent), `forbidden` (403) for a key whose role does not cover the route; messages never
 * repeat the key.
 */
export function createAccessControl(options: AccessControlOptions): AccessCheck {
  const { keys } = options;
  return async (request) => {
    const url = request.routeOptions.url;
    if (url === undefined) return;
    const required = routeAccess(request.method, url);
    if (required === 'public') return;
    const header = request.headers.authorization;
    // A browser on the server's machine reads the console without a key when the server allows it.
    if (
      header === undefined &&
      required === 'reader' &&
      options.anonymousReads === 'loopback' &&
      isLoopbackAddress(request.socket.remoteAddress)
    )
      return;
    // Exactly `Bearer <token>` (RFC 6750's scheme, case as sent by every client we know, one space, no padding): a
    // header of any other shape is refused rather than read leniently or ignored as anonymous.
    const match = header === undefined ? null : bearerPattern.exec(header);
    if (header !== undefined && !match) {
      throw new LlmopsError(
        'unauthorized',
        `${request.method} ${url}: the Authorization header is malformed; expected exactly "Bearer <key>" (one space, no padding)`,
        { openaiCode: 'invalid_api_key' },
      );
    }
    // OpenAI's clients always send some key: with anonymous inference on, one that is not an llmops key is ignored.
    const anonymous = !match || !(match[1] as string).startsWith(apiKeyPrefix);
    if (anonymous && required === 'inference' && options.anonymousInference) return;
    if (!match) {
      throw new LlmopsError(
        'unauthorized',
        `${request.method} ${url} needs an API key with role ${required}: send Authorization: Bearer <key> (create one with llmops keys create --role ${required})`,
      );
    }
    const key = await keys.authenticate(match[1] as string);
    if (!ApiKeys.allows(key.role, required))
      throw new LlmopsError(
        'forbidden',
        `API key ${key.id} has role ${key.role}; ${request.method} ${url} needs role ${required}`,
      );
    request.apiKey = key;
  };
}

/** The caller serving's limits step charges: the request's key, when it has one. */
export function callerOf(request: FastifyRequest): ServingCaller | undefined {
  return request.apiKey ? { keyId: request.apiKey.id, limits: request.apiKey.limits } : undefined;
}
