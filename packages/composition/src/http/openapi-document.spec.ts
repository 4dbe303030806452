import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { kettleWorkspace } from '../__fixtures__/kettle-workspace.js';
import { startLlmopsServer } from './llmops-server.js';
import type { RunningLlmopsServer } from './llmops-server.js';
import { routeTable } from './route-table.js';

const run = promisify(execFile);
/** The validator's command-line tool (ESM only, so it runs in its own process rather than in Jest's sandbox). */
const validateApi = resolve(
  __dirname,
  '../../../../node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js',
);

type Operation = {
  'x-llmops-access': string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, unknown>;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

describe('GET /openapi.json', () => {
  let running: RunningLlmopsServer;
  let document: Document;

  beforeAll(async () => {
    running = await startLlmopsServer({ port: 0, cwd: kettleWorkspace('llmops-openapi-'), env: {}, logger: false });
    const response = await fetch(`${running.url}/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as Document;
  });
  afterAll(async () => {
    await running.close();
  });

  it('is a valid OpenAPI 3.1 document, by an OpenAPI schema validator', async () => {
    expect(document.openapi).toBe('3.1.0');
    const file = join(mkdtempSync(join(tmpdir(), 'llmops-openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const { stdout } = await run(process.execPath, [validateApi, file]);
    expect(JSON.parse(stdout)).toMatchObject({ valid: true });
  });

  it('rejects a broken document (the validator can fail)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'llmops-openapi-')), 'broken.json');
    writeFileSync(file, JSON.stringify({ ...document, paths: { '/x': { get: { responses: 'none' } } } }));
    const failed = await run(process.execPath, [validateApi, file]).catch((error: { stdout: string }) => error);
    expect(JSON.parse(failed.stdout)).toMatchObject({ valid: false });
  });

  it('has every route of the route table, with its access, path parameters and error responses', () => {
    for (const route of routeTable) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = document.paths[path]?.[route.method.toLowerCase()];
      expect([route.method, route.url, operation === undefined]).toEqual([route.method, route.url, false]);
      const defined = operation as Operation;
      expect(defined['x-llmops-access']).toBe(route.access);
      expect(defined.security).toEqual(route.access === 'public' ? [] : undefined);
      const pathParameters = (defined.parameters ?? []).filter((parameter) => parameter.in === 'path');
      expect(pathParameters.map((parameter) => parameter.name)).toEqual(
        [...route.url.matchAll(/:(\w+)/g)].map((match) => match[1]),
      );
      expect(Object.keys(defined.responses)).toEqual(expect.arrayContaining(['4XX', '5XX']));
    }
    const operations = Object.values(document.paths).flatMap((item) => Object.keys(item));
    expect(operations).toHaveLength(routeTable.length);
  });

  it('describes request bodies with the zod schemas the routes parse with', () => {
    for (const route of routeTable.filter((entry) => entry.body)) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const schema =
        document.paths[path]?.[route.method.toLowerCase()]?.requestBody?.content['application/json']?.schema;
      const expected = z.toJSONSchema(route.body as z.ZodType, {
        target: 'draft-2020-12',
        io: 'input',
        unrepresentable: 'any',
      }) as Record<string, unknown>;
      delete expected['$schema'];
      expect([route.url, schema]).toEqual([route.url, expected]);
    }
    const chat = document.paths['/v1/chat/completions']?.['post']?.requestBody?.content['application/json']?.schema;
    expect(chat?.['required']).toEqual(expect.arrayContaining(['model', 'messages']));
  });
});
