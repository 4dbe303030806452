import type { FastifyInstance } from 'fastify';
import type { ApiKeys } from '@llmops/serving';
import { newApiKeySchema } from '@llmops/serving';
import { parseBody } from './request-parsing.js';

type IdParams = { Params: { id: string } };

/**
 * Key management under `/api/v1/keys` (admin keys only, by the access table): `GET` lists keys with their spend (never
 * a secret), `POST {name, role, limits}` creates one and answers 201 with its secret (shown this once),
 * `POST /:id/revoke` and `POST /:id/rotate` (a new secret; the old one stops working at once).
 */
export function keyRoutes(options: { keys: ApiKeys }): (server: FastifyInstance) => void {
  const { keys } = options;
  return (server) => {
    server.get('/api/v1/keys', async () => ({ object: 'list', data: await keys.list() }));
    server.post('/api/v1/keys', async (request, reply) =>
      reply.status(201).send(await keys.create(parseBody(newApiKeySchema, request.body))),
    );
    server.post<IdParams>('/api/v1/keys/:id/revoke', async (request) => keys.revoke(request.params.id));
    server.post<IdParams>('/api/v1/keys/:id/rotate', async (request) => keys.rotate(request.params.id));
  };
}
