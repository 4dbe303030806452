import { errorResponseSchema } from '@llmops/kernel';
import {
  kettleAdminHeaders,
  kettleAdminToken,
  kettleWorkspace,
  seedKettleAdminKey,
} from '../__fixtures__/kettle-workspace.js';
import { routeAccess } from './access-control.js';
import type { RouteAccess } from './access-control.js';
import { routeTable } from './route-table.js';
import { startLlmopsServer } from './llmops-server.js';
import type { RunningLlmopsServer } from './llmops-server.js';

/** A concrete path for a route pattern: every `:parameter` filled with something plausible. */
function pathOf(url: string): string {
  return url
    .replace(/:version/g, '1')
    .replace(/:file/g, 'dashboard.js')
    .replace(/:(\w+)/g, 'x');
}

describe('access to every route of the llmops server', () => {
  let running: RunningLlmopsServer;
  let inferenceKey: string;
  let readerKey: string;

  beforeAll(async () => {
    const cwd = kettleWorkspace('llmops-access-');
    await seedKettleAdminKey(cwd);
    running = await startLlmopsServer({ port: 0, cwd, env: {}, logger: false });
    const created = await fetch(`${running.url}/api/v1/keys`, {
      method: 'POST',
      headers: { ...kettleAdminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'app', role: 'inference' }),
    });
    inferenceKey = ((await created.json()) as { apiKey: string }).apiKey;
    const reader = await fetch(`${running.url}/api/v1/keys`, {
      method: 'POST',
      headers: { ...kettleAdminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'console', role: 'reader' }),
    });
    readerKey = ((await reader.json()) as { apiKey: string }).apiKey;
  });
  afterAll(async () => {
    await running.close();
  });

  const call = (method: string, url: string, key?: string) =>
    running.server.inject({
      method: method as 'GET',
      url: pathOf(url),
      headers: key ? { authorization: `Bearer ${key}` } : {},
      ...(method === 'GET' || method === 'HEAD' ? {} : { payload: {} }),
    });

  it('lists every route of this server in the route table, and the table has no route the server lacks', () => {
    const registered = [
      ...new Set(
        running.server.llmopsRoutes.filter((route) => route.method !== 'HEAD').map((r) => `${r.method} ${r.url}`),
      ),
    ].sort();
    const listed = routeTable.map((route) => `${route.method} ${route.url}`).sort();
    expect(registered).toEqual(listed);
    const byAccess = (access: string) =>
      [...new Set(routeTable.filter((route) => route.access === access).map((route) => route.url))].sort();
    expect(byAccess('public')).toEqual([
      '/',
      '/dashboard',
      '/dashboard/assets/:file',
      '/docs',
      '/healthz',
      '/openapi.json',
      '/readyz',
      '/ui',
      '/ui/*',
      '/ui/assets/:file',
    ]);
    expect(byAccess('inference')).toEqual([
      '/v1/chat/completions',
      '/v1/embeddings',
      '/v1/models',
      '/v1/models/:model',
    ]);
    // The reader role reads, never writes, and never sees the keys.
    const readerRoutes = routeTable.filter((route) => route.access === 'reader');
    expect(readerRoutes.every((route) => route.method === 'GET' && route.url.startsWith('/api/v1/'))).toBe(true);
    expect(readerRoutes.map((route) => route.url)).not.toContain('/api/v1/keys');
    expect(readerRoutes.map((route) => route.url)).not.toContain('/api/v1/monitoring/events');
    expect(readerRoutes.map((route) => route.url)).toEqual(
      expect.arrayContaining(['/api/v1/evaluations', '/api/v1/traces/:id', '/api/v1/models/:name/promotions']),
    );
    expect(routeAccess('GET', '/api/v1/not-in-the-table')).toBe('admin');
  });

  // The matrix is generated from the route table: a route added to it is in the matrix, and a route the server
  // registers without a table entry fails the test above.
  type Caller = 'none' | 'inference' | 'reader' | 'admin';
  const expectedStatus = (access: RouteAccess, caller: Caller): 'allowed' | 401 | 403 => {
    if (access === 'public' || caller === 'admin') return 'allowed';
    if (caller === 'none') return 401;
    return access === caller ? 'allowed' : 403;
  };
  const matrix = routeTable.flatMap((route) =>
    (['none', 'inference', 'reader', 'admin'] as const).map((caller) => ({ ...route, caller })),
  );
  const keyOf = (caller: Caller) =>
    ({ none: undefined, inference: inferenceKey, reader: readerKey, admin: kettleAdminToken })[caller];

  it.each(matrix)('$method $url with caller $caller', async ({ method, url, access, caller }) => {
    const key = keyOf(caller);
    const response = await call(method, url, key);
    const expected = expectedStatus(access, caller);
    if (expected === 'allowed') {
      expect([method, url, caller, response.statusCode]).not.toContain(401);
      expect([method, url, caller, response.statusCode]).not.toContain(403);
      expect(response.statusCode).toBeLessThan(500);
      return;
    }
    expect([method, url, caller, response.statusCode]).toEqual([method, url, caller, expected]);
    const body = errorResponseSchema.parse(response.json());
    expect(body.error.code).toBe(expected === 401 ? 'unauthorized' : 'forbidden');
    if (expected === 401) expect(body.error.message).toContain(`needs an API key with role ${access}`);
    const head = method === 'GET' ? await call('HEAD', url, key) : undefined;
    if (head) expect(head.statusCode).toBe(expected);
  });

  it('refuses a key with a wrong secret on every non-public route', async () => {
    for (const { method, url, access } of routeTable) {
      if (access === 'public') continue;
      const wrongSecret = await call(method, url, `${inferenceKey.slice(0, -3)}AAA`);
      expect([method, url, wrongSecret.statusCode]).toEqual([method, url, 401]);
    }
  });

  it('refuses reads of the registry, the audit trail and evaluations without a key (401) and to an inference key (403), answers a reader key', async () => {
    for (const url of [
      '/api/v1/models',
      '/api/v1/prompts',
      '/api/v1/models/support-rag/versions',
      '/api/v1/models/support-rag/audit',
      '/api/v1/evaluations/0123456789abcdef',
    ]) {
      expect([url, (await running.server.inject({ method: 'GET', url })).statusCode]).toEqual([url, 401]);
      const inference = await running.server.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${inferenceKey}` },
      });
      expect([url, inference.statusCode]).toEqual([url, 403]);
      const admin = await running.server.inject({ method: 'GET', url, headers: kettleAdminHeaders });
      expect([url, admin.statusCode]).not.toContain(401);
      expect([url, admin.statusCode]).not.toContain(403);
      const reader = await running.server.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${readerKey}` },
      });
      expect([url, reader.statusCode]).toEqual([url, admin.statusCode]);
    }
  });

  it('lets a reader key change nothing: promotions, registrations, evaluations and keys answer 403', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/models/support-rag/promote'],
      ['POST', '/api/v1/models'],
      ['POST', '/api/v1/evaluations'],
      ['GET', '/api/v1/keys'],
      ['POST', '/api/v1/keys'],
      ['GET', '/metrics'],
    ] as const) {
      const answer = await running.server.inject({
        method,
        url,
        headers: { authorization: `Bearer ${readerKey}` },
        ...(method === 'POST' ? { payload: {} } : {}),
      });
      expect([method, url, answer.statusCode]).toEqual([method, url, 403]);
      expect(errorResponseSchema.parse(answer.json()).error.message).toContain('has role reader');
    }
  });

  it.each([
    ['a lower-case scheme', `bearer ${kettleAdminToken}`],
    ['an upper-case scheme', `BEARER ${kettleAdminToken}`],
    ['two spaces and a trailing one', `Bearer  ${kettleAdminToken} `],
    ['a trailing space', `Bearer ${kettleAdminToken} `],
    ['a trailing tab', `Bearer ${kettleAdminToken}\t`],
    ['a leading space', ` Bearer ${kettleAdminToken}`],
    ['another scheme', `Basic ${kettleAdminToken}`],
    ['no token', 'Bearer '],
  ])('refuses an admin key sent with %s (401, the key not repeated)', async (_case, authorization) => {
    const answer = await running.server.inject({ method: 'GET', url: '/api/v1/models', headers: { authorization } });
    expect(answer.statusCode).toBe(401);
    expect(errorResponseSchema.parse(answer.json()).error.code).toBe('invalid_api_key');
    expect(answer.body).not.toContain(kettleAdminToken);
    const exact = await running.server.inject({
      method: 'GET',
      url: '/api/v1/models',
      headers: { authorization: `Bearer ${kettleAdminToken}` },
    });
    expect(exact.statusCode).toBe(200);
  });

  it('lets anyone call the probes and the dashboard page, and an admin key call the rest', async () => {
    for (const url of ['/healthz', '/readyz', '/dashboard', '/dashboard/assets/dashboard.js'])
      expect([url, (await running.server.inject({ method: 'GET', url })).statusCode]).toEqual([url, 200]);
    const metrics = await running.server.inject({ method: 'GET', url: '/metrics', headers: kettleAdminHeaders });
    expect(metrics.statusCode).toBe(200);
  });
});

describe('anonymous inference', () => {
  it('refuses to start when it is on and the server is not bound to loopback', async () => {
    const cwd = kettleWorkspace('llmops-anonymous-');
    await expect(
      startLlmopsServer({ port: 0, host: '0.0.0.0', cwd, env: { LLMOPS_ANONYMOUS_INFERENCE: 'true' }, logger: false }),
    ).rejects.toThrow(/anonymous inference \(LLMOPS_ANONYMOUS_INFERENCE\) is only allowed on a loopback address/);
  });

  it('refuses to start on a value that is not a boolean, instead of silently keeping keys required', async () => {
    // The walkthrough set LLMOPS_ANONYMOUS_INFERENCE=yes: the server started with anonymous inference off, saying nothing.
    const cwd = kettleWorkspace('llmops-anonymous-');
    await expect(
      startLlmopsServer({ port: 0, cwd, env: { LLMOPS_ANONYMOUS_INFERENCE: 'on please' }, logger: false }),
    ).rejects.toThrow('LLMOPS_ANONYMOUS_INFERENCE "on please" is not true or false');
  });

  it('on loopback, answers /v1 without a key but still refuses admin routes', async () => {
    const cwd = kettleWorkspace('llmops-anonymous-');
    const running = await startLlmopsServer({
      port: 0,
      cwd,
      env: { LLMOPS_ANONYMOUS_INFERENCE: '1' },
      logger: false,
    });
    try {
      expect(running.warnings).toContain(
        'anonymous inference is on (LLMOPS_ANONYMOUS_INFERENCE): /v1/* answers requests without a key',
      );
      expect((await running.server.inject({ method: 'GET', url: '/v1/models' })).statusCode).toBe(200);
      const placeholder = { authorization: 'Bearer sk-placeholder' };
      expect((await running.server.inject({ method: 'GET', url: '/v1/models', headers: placeholder })).statusCode).toBe(
        200,
      );
      expect((await running.server.inject({ method: 'GET', url: '/api/v1/models' })).statusCode).toBe(401);
      const padded = { authorization: 'bearer  sk-placeholder ' };
      expect((await running.server.inject({ method: 'GET', url: '/v1/models', headers: padded })).statusCode).toBe(401);
    } finally {
      await running.close();
    }
  });
});

describe('anonymous reads', () => {
  it('answers the console reads without a key from loopback only, and nothing else', async () => {
    const cwd = kettleWorkspace('llmops-anonymous-reads-');
    const running = await startLlmopsServer({ port: 0, cwd, env: {}, logger: false, anonymousReads: 'loopback' });
    try {
      expect(running.warnings.some((warning) => warning.startsWith('anonymous reads are on for loopback'))).toBe(true);
      const fromHere = (method: 'GET' | 'POST', url: string) =>
        running.server.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}) });
      expect((await fromHere('GET', '/api/v1/evaluations')).statusCode).toBe(200);
      expect((await fromHere('GET', '/api/v1/models')).statusCode).toBe(200);
      expect((await fromHere('GET', '/api/v1/traces')).statusCode).toBe(200);
      // Over a real socket too: the remote address is the client's.
      expect((await fetch(`${running.url}/api/v1/evaluations?limit=1`)).status).toBe(200);
      for (const [method, url] of [
        ['POST', '/api/v1/models'],
        ['POST', '/api/v1/evaluations'],
        ['GET', '/api/v1/keys'],
        ['GET', '/metrics'],
      ] as const)
        expect([method, url, (await fromHere(method, url)).statusCode]).toEqual([method, url, 401]);
      const fromElsewhere = await running.server.inject({
        method: 'GET',
        url: '/api/v1/evaluations',
        remoteAddress: '10.1.2.3',
      });
      expect(fromElsewhere.statusCode).toBe(401);
      const wrongKey = await running.server.inject({
        method: 'GET',
        url: '/api/v1/evaluations',
        headers: { authorization: 'Bearer llmops-000000000000-wrong' },
      });
      expect(wrongKey.statusCode).toBe(401);
    } finally {
      await running.close();
    }
  });

  it('is off unless asked for: the same read from loopback needs a key', async () => {
    const cwd = kettleWorkspace('llmops-anonymous-reads-off-');
    const running = await startLlmopsServer({ port: 0, cwd, env: {}, logger: false });
    try {
      expect((await running.server.inject({ method: 'GET', url: '/api/v1/evaluations' })).statusCode).toBe(401);
    } finally {
      await running.close();
    }
  });
});
