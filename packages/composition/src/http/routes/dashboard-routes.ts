import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { LlmopsError, parseWithSchema } from '@llmops/kernel';
import { parseSinceDuration } from '@llmops/monitoring';
import { buildDashboardData, dashboardMaxWindowMs } from '../../monitoring/dashboard-data.js';
import type { DashboardSources } from '../../monitoring/dashboard-data.js';
import { createDashboardAssetReader } from '../dashboard/dashboard-assets.js';

/**
 * The dashboard's Content-Security-Policy: its own scripts, styles and data only; no inline script or
 * style element, no frames, no forms, no plugins.
 */
export const dashboardContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The query of `GET /api/v1/dashboard`. */
export const dashboardQuerySchema = z.strictObject({ since: z.string().default('1h') });

function withPageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', dashboardContentSecurityPolicy)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
}

/**
 * `GET /dashboard` (the page), `GET /dashboard/assets/<file>` (its script and style, and uPlot from its
 * npm package) and `GET /api/v1/dashboard?since=1h` (what the page shows, as JSON: models and aliases,
 * latest evaluation runs and gates, traffic per minute, alerts). Read-only and open, as the registry's
 * reads are; it shows no secret and no question text.
 */
export function dashboardRoutes(sources: DashboardSources): (server: FastifyInstance) => void {
  const readAsset = createDashboardAssetReader();
  const sendAsset = async (name: string, reply: FastifyReply) => {
    const asset = await readAsset(name);
    if (!asset) throw new LlmopsError('not_found', `no dashboard file "${name}"`);
    return withPageHeaders(reply).header('content-type', asset.contentType).send(asset.body);
  };
  return (server) => {
    server.get('/dashboard', async (_request, reply) => sendAsset('index.html', reply));
    server.get<{ Params: { file: string } }>('/dashboard/assets/:file', async (request, reply) =>
      request.params.file === 'index.html'
        ? reply.redirect('/dashboard')
        : sendAsset(request.params.file, reply.header('cache-control', 'no-cache')),
    );
    server.get('/api/v1/dashboard', async (request, reply) => {
      const query = parseWithSchema(dashboardQuerySchema, request.query ?? {}, { where: 'invalid query string' });
      const windowMs = parseSinceDuration(query.since, 'since');
      if (windowMs > dashboardMaxWindowMs)
        throw new LlmopsError('invalid_input', `since "${query.since}" is longer than the dashboard's 24h`);
      const data = await buildDashboardData(sources, windowMs);
      return reply.header('cache-control', 'no-store').send(data);
    });
  };
}
