import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import {
  loadConfig,
  loadConfigDocument,
  loadProviderCredentials,
  modelSpecSchema,
  workspaceFileSchema,
} from '@llmops/kernel';
import { loadGateFile } from '@llmops/evaluation';
import { loadMonitoringConf } from '@llmops/monitoring';
import { loadPricingTable } from '@llmops/providers';
import { promotionPolicySchema } from '@llmops/registry';
import { loadGuardrailPolicies } from '@llmops/serving';
import { createCliJobCatalog } from '../jobs/cli-job-catalog.js';
import type { JobCatalog } from '../jobs/job-catalog.js';
import { confSchemas, defaultSchemaFolder, modelSpecSchemaFile, schemaText } from './conf-schemas.js';

/**
 * Every YAML conf the workspace ships is loaded here with the loader llmops reads it with, and the committed JSON
 * Schemas (`llmops confs schema`) are the ones the zod schemas generate today, so neither can rot silently.
 */
const root = resolve(__dirname, '..', '..', '..', '..');
const confs = join(root, 'confs');
let catalog: JobCatalog;
beforeAll(async () => {
  catalog = await createCliJobCatalog();
});
// The values the shipped confs read from the environment, as a fresh shell has them (none set).
const env: Record<string, string | undefined> = {};

function yamlFiles(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => join(folder, name));
}

/** The `$schema` a conf names on its `# yaml-language-server:` line, resolved from the conf's folder. */
function declaredSchema(file: string): string | undefined {
  const match = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(file, 'utf8'));
  return match?.[1] === undefined ? undefined : resolve(dirname(file), match[1]);
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
function schemaErrors(schemaFile: string, value: unknown): string[] {
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

describe('the shipped confs', () => {
  it('keeps the committed JSON Schemas equal to what `llmops confs schema` generates', () => {
    const generated = confSchemas(catalog);
    const committed = readdirSync(join(root, defaultSchemaFolder)).sort();
    expect(committed).toEqual([...generated.keys()].sort());
    for (const [file, schema] of generated) {
      // Run `npx llmops confs schema` after changing a job's or the model spec's zod schema.
      expect(readFileSync(join(root, defaultSchemaFolder, file), 'utf8')).toBe(schemaText(schema));
    }
  });

  const jobConfs = yamlFiles(confs).filter((file) => /^job:/m.test(readFileSync(file, 'utf8')));
  it.each(jobConfs.map((file) => [relative(root, file), file]))(
    'loads %s as llmops run does, and it names the JSON Schema of its kind, which accepts it',
    (_name, file) => {
      const job = loadConfig({ files: [file], env, schema: catalog.confSchema }).job;
      expect(declaredSchema(file)).toBe(join(confs, 'schemas', `job-${job.kind}.schema.json`));
      const document = loadConfigDocument({ files: [file], env }).value;
      expect(schemaErrors(declaredSchema(file) as string, document)).toEqual([]);
    },
  );

  const modelSpecs = yamlFiles(join(confs, 'models'));
  it.each(modelSpecs.map((file) => [relative(root, file), file]))(
    'loads the model spec %s, which names the model spec JSON Schema, which accepts it',
    (_name, file) => {
      const spec = loadConfig({ files: [file], env, schema: modelSpecSchema });
      expect(spec.name).toMatch(/^support-/);
      expect(declaredSchema(file)).toBe(join(confs, 'schemas', modelSpecSchemaFile));
      expect(schemaErrors(declaredSchema(file) as string, loadConfigDocument({ files: [file], env }).value)).toEqual(
        [],
      );
    },
  );

  it('loads every other shipped conf with its own loader', () => {
    const others = yamlFiles(confs)
      .filter((file) => !jobConfs.includes(file))
      .map((file) => basename(file))
      .sort();
    expect(others).toEqual([
      'credentials.yaml',
      'gates.yaml',
      'guardrails.yaml',
      'monitoring.yaml',
      'pricing.yaml',
      'promotion-policy.yaml',
      'quickstart-monitoring.yaml',
    ]);
    const credentials = loadProviderCredentials({ root, env, file: 'confs/credentials.yaml' });
    expect(credentials.allows('OPENAI_API_KEY', 'https://api.openai.com/v1')).toBe(true);
    expect(loadGateFile(join(confs, 'gates.yaml'), { env, cwd: root }).length).toBeGreaterThan(0);
    expect(loadGuardrailPolicies(join(confs, 'guardrails.yaml'), { env }).names()).toContain('default');
    expect(loadMonitoringConf(join(confs, 'monitoring.yaml'), { env }).slos.length).toBeGreaterThan(0);
    // The quickstart's rules: the drift rollback acts (it is rehearsed in monitoring.yaml).
    const quickstart = loadMonitoringConf(join(confs, 'quickstart-monitoring.yaml'), { env });
    expect(quickstart.alerts?.rules.find((rule) => rule.name === 'drift-rollback')).toMatchObject({
      actions: ['reevaluate', 'rollback'],
    });
    expect(quickstart.alerts?.rules.find((rule) => rule.name === 'drift-rollback')?.dryRun).not.toBe(true);
    expect(loadPricingTable(join(confs, 'pricing.yaml'), { env }).models()).toContain('offline/extractive');
    expect(
      loadConfig({ files: [join(confs, 'promotion-policy.yaml')], env, schema: promotionPolicySchema }).criteria.length,
    ).toBeGreaterThan(0);
    expect(loadConfig({ files: [join(root, 'llmops.yaml')], env, schema: workspaceFileSchema })).toEqual({});
  });
});
