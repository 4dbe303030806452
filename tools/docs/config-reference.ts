/**
 * Writes wiki/Configuration-Reference.md from the zod schemas, through the JSON Schemas `llmops confs schema` writes
 * (every job kind, the model spec, credentials and the files the server reads).
 *
 * Usage: npx tsx --conditions=@llmops/source tools/docs/config-reference.ts [--check]
 * With --check it writes nothing and exits 1 when the page is stale (apps/cli/src/confs/config-reference.spec.ts
 * checks the same in `npm test`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configReference } from '../../apps/cli/src/confs/config-reference.js';
import { anyJobSchemaFile, confSchemas, defaultSchemaFolder } from '../../apps/cli/src/confs/conf-schemas.js';
import { createCliJobCatalog } from '../../apps/cli/src/jobs/cli-job-catalog.js';

const root = resolve(import.meta.dirname, '..', '..');
const page = join(root, 'wiki', 'Configuration-Reference.md');

const text = configReference({
  schemas: confSchemas(await createCliJobCatalog()),
  schemaFolder: defaultSchemaFolder,
  skip: [anyJobSchemaFile],
});
if (process.argv.includes('--check')) {
  const stale = readFileSync(page, 'utf8') !== text;
  console.log(stale ? 'wiki/Configuration-Reference.md is stale: run tools/docs/config-reference.ts' : 'up to date');
  process.exitCode = stale ? 1 : 0;
} else {
  writeFileSync(page, text);
  console.log(`wrote ${page}`);
}
