import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { LlmopsError } from '@llmops/kernel';

/** The environment variable holding the admin token that registry mutations need. */
export const adminTokenEnv = 'LLMOPS_ADMIN_TOKEN';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Makes the check registry mutations run first: `Authorization: Bearer <admin token>`. Compared in
 * constant time; the token never appears in a message or log.
 * @returns a function that throws LlmopsError `unauthorized` when the request does not carry the token
 * (always, when no token is configured: mutations are then disabled).
 */
export function createAdminCheck(adminToken: string | undefined): (request: FastifyRequest) => void {
  const expected = adminToken && adminToken.length > 0 ? digest(adminToken) : undefined;
  return (request) => {
    if (!expected) {
      throw new LlmopsError(
        'unauthorized',
        `registry changes are disabled: the server has no admin token (set ${adminTokenEnv})`,
      );
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match)
      throw new LlmopsError(
        'unauthorized',
        'this request changes the registry and needs an admin token: send Authorization: Bearer <token>',
      );
    if (!timingSafeEqual(digest((match[1] as string).trim()), expected)) {
      throw new LlmopsError('unauthorized', 'the admin token is not valid');
    }
  };
}
