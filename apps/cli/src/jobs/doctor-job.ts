import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { LlmopsError, openSqliteFile, parseStoreUri } from '@llmops/kernel';
import type { JobKind } from './job-kind.js';

const doctorSchema = z.strictObject({
  kind: z.literal('doctor'),
  /** Also open the store (creating the SQLite file) to prove it is usable. */
  checkStore: z.boolean().default(true),
});

/** `kind: doctor`: reports the runtime and the store, and proves an embedded store opens. */
export const doctorJob: JobKind<typeof doctorSchema> = {
  kind: 'doctor',
  description: 'checks the runtime and the store and prints what llmops will use',
  schema: doctorSchema,
  run: async (job, context) => {
    const store = parseStoreUri(context.globals.store);
    const facts: Record<string, string> = {
      node: process.versions.node,
      store: context.globals.store,
      confs: context.confFiles.join(', '),
    };
    if (job.checkStore && store.kind === 'sqlite' && store.path !== ':memory:') {
      const path = resolve(context.io.cwd, store.path);
      try {
        mkdirSync(dirname(path), { recursive: true });
        openSqliteFile({ path }).close();
      } catch (cause) {
        throw new LlmopsError('unavailable', `store ${context.globals.store} cannot be opened at ${path}`, { cause });
      }
      facts['storeFile'] = path;
    }
    facts['storeFrom'] = context.store.source;
    return {
      kind: 'doctor',
      summary: Object.entries(facts)
        .map(([key, value]) => `${key}=${value}`)
        .join(' '),
      data: facts,
    };
  },
};
