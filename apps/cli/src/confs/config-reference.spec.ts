import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { loadConfigDocument } from '@llmops/kernel';
import { createCliJobCatalog } from '../jobs/cli-job-catalog.js';
import { anyJobSchemaFile, confSchemas, defaultSchemaFolder, deploymentFileSchemas } from './conf-schemas.js';
import { configReference } from './config-reference.js';

const root = resolve(__dirname, '..', '..', '..', '..');

describe('the configuration reference (wiki/Configuration-Reference.md)', () => {
  let generated: string;
  beforeAll(async () => {
    generated = configReference({
      schemas: confSchemas(await createCliJobCatalog()),
      schemaFolder: defaultSchemaFolder,
      skip: [anyJobSchemaFile],
    });
  });

  it('is the page the zod schemas generate today', () => {
    // Stale? Run `npx tsx --conditions=@llmops/source tools/docs/config-reference.ts` and commit the page.
    expect(readFileSync(join(root, 'wiki', 'Configuration-Reference.md'), 'utf8')).toBe(generated);
  });

  it('has a section for every job kind, the model spec and every deployment file', () => {
    const titles = [...generated.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(titles).toEqual(
      expect.arrayContaining([
        'llmops serve job',
        'llmops evaluate job',
        'llmops model spec',
        ...deploymentFileSchemas.map((entry) => entry.conf),
      ]),
    );
    expect(titles).not.toContain('llmops job');
  });

  it('documents nested fields with their type, requirement, default and bounds', () => {
    expect(generated).toContain('| `job.port` | integer | no | `8080` | >= 0, <= 65535 |');
    expect(generated).toMatch(/\| `pipeline\.retrieval\.k` \| kind: rag \| integer \| no \| `\d+` \|/);
    expect(generated).toMatch(/\| `credentials\.<name>\.env` \|/);
  });
});

describe('the shipped deployment files', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  it.each(deploymentFileSchemas.map((entry) => [entry.conf, entry.file]))(
    '%s names its JSON Schema (for editor completion), which accepts it',
    (conf, file) => {
      const path = join(root, conf);
      const declared = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(path, 'utf8'))?.[1];
      expect(declared && resolve(dirname(path), declared)).toBe(join(root, defaultSchemaFolder, file));
      const validate = ajv.compile(JSON.parse(readFileSync(join(root, defaultSchemaFolder, file), 'utf8')) as object);
      const document = loadConfigDocument({ files: [path], env: {} }).value ?? {};
      expect(validate(document) ? [] : validate.errors).toEqual([]);
    },
  );
});
