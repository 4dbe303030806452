import { kettleWorkspace } from '../../__fixtures__/kettle-workspace.js';
import { startLlmopsServer } from '../llmops-server.js';
import type { RunningLlmopsServer } from '../llmops-server.js';
import { routeTable } from '../route-table.js';
import { renderApiDocsPage } from './api-docs-routes.js';

describe('GET /docs and GET / (no key)', () => {
  let running: RunningLlmopsServer;

  beforeAll(async () => {
    running = await startLlmopsServer({ port: 0, cwd: kettleWorkspace('llmops-api-docs-'), env: {}, logger: false });
  });
  afterAll(async () => {
    await running.close();
  });

  it('answers /docs with a page listing every route of the route table, the key it needs, and the OpenAPI link', async () => {
    const response = await fetch(`${running.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const page = await response.text();
    expect(page).toContain('<a href="/openapi.json">/openapi.json</a>');
    for (const route of routeTable)
      expect(page).toContain(`<tr><td><code>${route.method}</code></td><td><code>${route.url}</code></td>`);
    expect(page).toMatch(
      /<code>POST<\/code><\/td><td><code>\/v1\/chat\/completions<\/code><\/td><td>[^<]+<\/td><td>inference or admin key<\/td><td>JSON body<\/td>/,
    );
    expect(page).toMatch(
      /<code>POST<\/code><\/td><td><code>\/api\/v1\/keys<\/code><\/td><td>[^<]+<\/td><td>admin key<\/td>/,
    );
  });

  it('sends a browser at / to the console', async () => {
    const response = await fetch(`${running.url}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/ui');
  });

  it('escapes what it prints', () => {
    const page = renderApiDocsPage([
      {
        method: 'GET',
        url: '/x/<y>',
        access: 'public',
        summary: 'a & "b"',
        responses: [{ status: 200, description: '<ok>' }],
      },
    ]);
    expect(page).toContain('<code>/x/&#60;y&#62;</code>');
    expect(page).toContain('a &#38; &#34;b&#34;');
    expect(page).toContain('200 &#60;ok&#62;');
  });
});
