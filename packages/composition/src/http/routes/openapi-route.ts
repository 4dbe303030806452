import type { FastifyInstance } from 'fastify';
import { createOpenApiDocument } from '../openapi-document.js';
import { routeTable } from '../route-table.js';

/**
 * `GET /openapi.json` (public): the OpenAPI 3.1 document of the API, generated once from the route table.
 */
export function openApiRoute(): (server: FastifyInstance) => void {
  return (server) => {
    let document: Record<string, unknown> | undefined;
    server.get('/openapi.json', async (_request, reply) => {
      document ??= createOpenApiDocument(routeTable, { version: '1' });
      return reply.header('cache-control', 'no-cache').send(document);
    });
  };
}
