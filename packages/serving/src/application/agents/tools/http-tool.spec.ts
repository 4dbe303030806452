import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ProviderCredentials, toolSpecSchema } from '@llmops/kernel';
import type { HttpToolSpec } from '@llmops/kernel';
import { createProviderRegistry } from '@llmops/providers';
import type { ProviderRegistry } from '@llmops/providers';
import { httpTool } from './http-tool.js';

/** A local HTTP service a tool calls: it records each request with the number of the connection it came on. */
interface ToolService {
  url: string;
  requests: Array<{ path: string; headers: IncomingHttpHeaders; connection: number }>;
  openConnections: () => number;
  /** Answers every request with this status and `location` header (a redirect) instead of the JSON weather. */
  redirectTo?: string;
  /** Never answers (a service that hangs). */
  hang?: boolean;
  close: () => Promise<void>;
}

async function startToolService(): Promise<ToolService> {
  const numbers = new WeakMap<Socket, number>();
  const open = new Set<Socket>();
  let accepted = 0;
  const service: ToolService = {
    url: '',
    requests: [],
    openConnections: () => open.size,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((request, response) => {
    service.requests.push({
      path: request.url ?? '',
      headers: request.headers,
      connection: numbers.get(request.socket) ?? 0,
    });
    request.resume();
    request.on('end', () => {
      if (service.hang) return;
      if (service.redirectTo) {
        response.writeHead(302, { location: service.redirectTo });
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ city: 'Oslo', celsius: 4 }));
    });
  });
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    numbers.set(socket, accepted);
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return service;
}

const env = { LLMOPS_PROVIDER_KEY_WEATHER: 'weather-secret-9876' };

function weatherTool(service: ToolService, extra: { timeoutMs?: number } = {}): HttpToolSpec {
  return toolSpecSchema.parse({
    ...extra,
    kind: 'http',
    name: 'weather',
    url: `${service.url}/weather/{city}`,
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    auth: { env: 'LLMOPS_PROVIDER_KEY_WEATHER' },
  }) as HttpToolSpec;
}

function credentialsFor(service: ToolService): ProviderCredentials {
  return ProviderCredentials.from({
    env: { ...env, LLMOPS_PROVIDER_KEY_WEATHER_HOSTS: new URL(service.url).host },
  });
}

async function allClosed(service: ToolService): Promise<number> {
  const deadline = Date.now() + 1_000;
  while (service.openConnections() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  return service.openConnections();
}

let service: ToolService;
let providers: ProviderRegistry;

beforeEach(async () => {
  service = await startToolService();
  providers = createProviderRegistry({ credentials: credentialsFor(service) });
});

afterEach(async () => {
  await providers.close();
  await service.close();
});

describe('the agents’ http tool on the upstream pools', () => {
  it('calls on the pool of its origin: one keep-alive connection, its key on each call, closed with the registry', async () => {
    const tool = httpTool(weatherTool(service), { env, credentials: credentialsFor(service), pools: providers.pools });
    const pool = await providers.pools.pool(new URL(service.url).origin);
    expect(await tool.run({ city: 'Oslo' }, {})).toBe('{"city":"Oslo","celsius":4}');
    while (pool.stats.free === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    await tool.run({ city: 'Bergen' }, {});

    expect(
      service.requests.map((request) => [request.path, request.connection, request.headers.authorization]),
    ).toEqual([
      ['/weather/Oslo', 1, 'Bearer weather-secret-9876'],
      ['/weather/Bergen', 1, 'Bearer weather-secret-9876'],
    ]);
    expect(providers.pools.origins()).toEqual([new URL(service.url).origin]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(service.openConnections()).toBe(1);

    await providers.close();
    expect(await allClosed(service)).toBe(0);
    await expect(tool.run({ city: 'Oslo' }, {})).rejects.toMatchObject({ code: 'upstream_error' });
  });

  it('keeps its confinement: an argument cannot leave the host, and a redirect is refused with the key kept', async () => {
    const elsewhere = await startToolService();
    try {
      const tool = httpTool(weatherTool(service), {
        env,
        credentials: credentialsFor(service),
        pools: providers.pools,
      });
      // The value is URL-encoded into the path: it stays on the tool's host.
      await tool.run({ city: '@evil.example/x?y=1#' }, {});
      expect(service.requests[0]?.path).toBe('/weather/%40evil.example%2Fx%3Fy%3D1%23');

      service.redirectTo = `${elsewhere.url}/weather/Oslo`;
      await expect(tool.run({ city: 'Oslo' }, {})).rejects.toMatchObject({
        code: 'upstream_error',
        message: expect.stringContaining('HTTP 302'),
      });
      expect(elsewhere.requests).toHaveLength(0);
      expect(providers.pools.origins()).toEqual([new URL(service.url).origin]);
    } finally {
      await elsewhere.close();
    }
  });

  it('keeps no connection without pools: each call asks the service to close its own', async () => {
    const tool = httpTool(weatherTool(service), { env, credentials: credentialsFor(service) });
    await tool.run({ city: 'Oslo' }, {});
    await tool.run({ city: 'Bergen' }, {});

    expect(service.requests.map((request) => [request.connection, request.headers.connection])).toEqual([
      [1, 'close'],
      [2, 'close'],
    ]);
    expect(await allClosed(service)).toBe(0);
  });

  it('ends a call past its timeout as a timeout on the pool, and the pool goes on serving', async () => {
    const tool = httpTool(weatherTool(service, { timeoutMs: 100 }), {
      env,
      credentials: credentialsFor(service),
      pools: providers.pools,
    });
    service.hang = true;
    await expect(tool.run({ city: 'Oslo' }, {})).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringContaining('took longer than 100 ms'),
    });
    service.hang = false;
    expect(await tool.run({ city: 'Bergen' }, {})).toBe('{"city":"Oslo","celsius":4}');
  });
});
