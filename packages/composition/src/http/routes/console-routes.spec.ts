import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiServer } from '../api-server.js';
import { findRoute } from '../route-table.js';
import { consoleContentSecurityPolicy, consoleRoutes } from './console-routes.js';

/** A console bundle as `nx run console:build` lays it out: a page naming two content-hashed assets. */
function builtBundle(): string {
  const folder = mkdtempSync(join(tmpdir(), 'llmops-console-bundle-'));
  mkdirSync(join(folder, 'assets'));
  writeFileSync(
    join(folder, 'index.html'),
    '<!doctype html><html lang="en"><head><link rel="stylesheet" href="/ui/assets/main-AB12.css"></head><body><div id="app"></div><script type="module" src="/ui/assets/main-CD34.js"></script></body></html>',
  );
  writeFileSync(join(folder, 'assets', 'main-CD34.js'), 'console.log("console");');
  writeFileSync(join(folder, 'assets', 'main-AB12.css'), 'body{margin:0}');
  writeFileSync(join(folder, 'assets', 'notes.exe'), 'not served');
  return folder;
}

describe('the console routes (/ui)', () => {
  it('answers the page at /ui and at every client route under it, never cached, with a strict policy', async () => {
    const server = await createApiServer({ routes: [consoleRoutes({ folder: builtBundle() })] });
    for (const url of ['/ui', '/ui/', '/ui/runs', '/ui/runs/abc/examples/3?sort=index', '/ui/registry/models/x']) {
      const page = await server.inject({ method: 'GET', url });
      expect([url, page.statusCode, page.headers['content-type']]).toEqual([url, 200, 'text/html; charset=utf-8']);
      expect(page.body).toContain('<div id="app"></div>');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-security-policy']).toBe(consoleContentSecurityPolicy);
    }
    expect(consoleContentSecurityPolicy).toMatch(/^default-src 'none'; script-src 'self';/);
    await server.close();
  });

  it('serves the hashed assets as immutable for a year, with their content types, and nothing else', async () => {
    const server = await createApiServer({ routes: [consoleRoutes({ folder: builtBundle() })] });
    const script = await server.inject({ method: 'GET', url: '/ui/assets/main-CD34.js' });
    expect([script.statusCode, script.headers['content-type'], script.body]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'console.log("console");',
    ]);
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const style = await server.inject({ method: 'GET', url: '/ui/assets/main-AB12.css' });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    for (const name of ['notes.exe', 'main-XXXX.js', '..%2Findex.html', '..%2F..%2Fetc%2Fpasswd']) {
      const missing = await server.inject({ method: 'GET', url: `/ui/assets/${name}` });
      expect([name, missing.statusCode]).toEqual([name, 404]);
      expect(missing.json()).toEqual({ error: expect.objectContaining({ code: 'not_found' }) });
    }
    await server.close();
  });

  it('answers 503 naming the build command when the console is not built, and serves it once built', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'llmops-console-unbuilt-'));
    const server = await createApiServer({ routes: [consoleRoutes({ folder: join(folder, 'missing') })] });
    const page = await server.inject({ method: 'GET', url: '/ui' });
    expect(page.statusCode).toBe(503);
    expect(page.json().error.message).toContain('nx run console:build');
    // Built afterwards: the next request finds it (a failed read is not kept).
    const built = builtBundle();
    renameSync(built, join(folder, 'missing'));
    expect((await server.inject({ method: 'GET', url: '/ui/runs' })).statusCode).toBe(200);
    await server.close();
  });

  it('is in the route table as public (the page holds no data; the API it reads keeps its own access)', () => {
    for (const url of ['/ui', '/ui/assets/:file', '/ui/*']) expect(findRoute('GET', url)?.access).toBe('public');
  });
});
