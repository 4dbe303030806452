import type { FastifyInstance } from 'fastify';
import type { RouteDefinition } from '../route-table.js';
import { routeTable } from '../route-table.js';

/** Who may call a route, in words, for the docs page. */
const accessWords: Record<RouteDefinition['access'], string> = {
  public: 'no key',
  inference: 'inference or admin key',
  reader: 'reader or admin key',
  admin: 'admin key',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** What a route takes, in words: its JSON body and query string, when it has them. */
function inputsOf(route: RouteDefinition): string {
  const inputs = [route.body ? 'JSON body' : '', route.query ? 'query string' : ''].filter((input) => input !== '');
  return inputs.length === 0 ? '-' : inputs.join(', ');
}

/**
 * The API reference as one HTML page, generated from the route table (the same one `GET /openapi.json` is generated
 * from): every route with its method, path, the key it needs, what it takes and what it answers. The schemas
 * themselves are in the OpenAPI document the page links to.
 */
export function renderApiDocsPage(routes: readonly RouteDefinition[]): string {
  const rows = routes
    .map(
      (route) =>
        `<tr><td><code>${route.method}</code></td><td><code>${escapeHtml(route.url)}</code></td>` +
        `<td>${escapeHtml(route.summary)}</td><td>${accessWords[route.access]}</td><td>${inputsOf(route)}</td>` +
        `<td>${route.responses.map((response) => `${response.status} ${escapeHtml(response.description)}`).join('<br>')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>llmops API</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
</style>
</head>
<body>
<h1>llmops API</h1>
<p>OpenAI-compatible inference under <code>/v1</code>; the registry, evaluations, monitoring, traces and keys under
<code>/api/v1</code>. Send keys as <code>Authorization: Bearer &lt;key&gt;</code>. Every error has OpenAI's shape
(<code>{"error": {"message", "type", "code", "param"}}</code>). The schemas of every body, query and answer are in the
OpenAPI 3.1 document: <a href="/openapi.json">/openapi.json</a>. The console: <a href="/ui">/ui</a>.</p>
<table>
<thead><tr><th>Method</th><th>Path</th><th>What</th><th>Needs</th><th>Takes</th><th>Answers</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}

/**
 * `GET /docs` (public): the API reference page ({@link renderApiDocsPage}); `GET /` (public) redirects a browser to
 * the console at `/ui`. Neither holds data: the page lists routes, not their content.
 */
export function apiDocsRoutes(): (server: FastifyInstance) => void {
  return (server) => {
    let page: string | undefined;
    server.get('/docs', async (_request, reply) => {
      page ??= renderApiDocsPage(routeTable);
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('x-content-type-options', 'nosniff')
        .send(page);
    });
    server.get('/', async (_request, reply) => reply.redirect('/ui', 302));
  };
}
