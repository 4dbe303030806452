import type { Command } from 'commander';
import { LlmopsError } from '@llmops/kernel';
import type { ApiKeyLimits, ApiKeys, ApiKeyView } from '@llmops/serving';
import type { CommandContext } from '../cli-io.js';
import { printResult } from '../registry/command-helpers.js';

/** Serving's key store, imported when a subcommand runs: `llmops keys --help` loads none of it. */
const servingModule = () => import('@llmops/serving');

/** Runs an action on the API keys of `--store` (the SQLite file, or `.llmops/keys.db` beside MLflow), then closes them. */
async function withKeys<T>(context: CommandContext, action: (keys: ApiKeys) => Promise<T>): Promise<T> {
  const opened = (await servingModule()).openApiKeys(context.globals.store, {
    cwd: context.io.cwd,
    env: context.io.env,
  });
  try {
    return await action(opened.keys);
  } finally {
    await opened.close();
  }
}

/**
 * Reads a number option (`--rpm 60`, `--budget-usd-day 2.5`).
 * @throws LlmopsError `invalid_input` naming the option and what it expects.
 */
function numberOption(option: string, text: string | undefined, kind: 'whole' | 'decimal'): number | undefined {
  if (text === undefined) return undefined;
  const pattern = kind === 'whole' ? /^[1-9][0-9]{0,9}$/ : /^(0|[1-9][0-9]{0,9})(\.[0-9]{1,9})?$/;
  if (!pattern.test(text) || Number(text) <= 0)
    throw new LlmopsError(
      'invalid_input',
      `${option} "${text}" is not ${kind === 'whole' ? 'a whole number from 1' : 'a positive amount in USD such as 2.5'}`,
    );
  return Number(text);
}

function formatLimits(limits: ApiKeyLimits): string {
  const parts = [
    limits.rpm === undefined ? undefined : `${limits.rpm} rpm`,
    limits.tpm === undefined ? undefined : `${limits.tpm} tpm`,
    limits.budgetUsdDay === undefined ? undefined : `$${limits.budgetUsdDay}/day`,
    limits.budgetUsdMonth === undefined ? undefined : `$${limits.budgetUsdMonth}/month`,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? 'no limits' : parts.join(', ');
}

function formatKeys(keys: readonly ApiKeyView[]): string {
  if (keys.length === 0) return 'no API keys (create one with llmops keys create --role admin|reader|inference)\n';
  const when = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString().slice(0, 19) + 'Z');
  return keys
    .map(
      (key) =>
        `${key.id}  ${key.role.padEnd(9)} ${key.name}${key.revokedAt === undefined ? '' : ` (revoked ${when(key.revokedAt)})`}\n` +
        `    limits: ${formatLimits(key.limits)}; spent today $${key.spend.dayUsd.toFixed(6)}, this month $${key.spend.monthUsd.toFixed(6)}\n` +
        `    created ${when(key.createdAt)}, last used ${when(key.lastUsedAt)}${key.rotatedAt === undefined ? '' : `, rotated ${when(key.rotatedAt)}`}\n`,
    )
    .join('');
}

/**
 * `llmops keys create|list|revoke|rotate`: the API keys of the store of `--store`, managed on the store itself (no
 * server needed). A new or rotated key's secret is printed once and stored only as its SHA-256.
 */
export function registerKeysCommand(program: Command, options: { context: () => CommandContext }): void {
  const keys = program.command('keys').description('create, list, revoke and rotate API keys (roles, limits, budgets)');

  keys
    .command('create')
    .description('create an API key; its secret is printed once')
    .requiredOption(
      '--role <role>',
      'inference (the /v1 routes), reader (the reads of the console, no change) or admin (every route)',
    )
    .option('--name <name>', 'what the key is for', 'key')
    .option('--rpm <n>', 'requests per minute')
    .option('--tpm <n>', 'tokens per minute (counted from each answer)')
    .option('--budget-usd-day <usd>', 'USD per UTC day')
    .option('--budget-usd-month <usd>', 'USD per UTC calendar month')
    .action(
      async (commandOptions: {
        role: string;
        name: string;
        rpm?: string;
        tpm?: string;
        budgetUsdDay?: string;
        budgetUsdMonth?: string;
      }) => {
        const context = options.context();
        const limits = Object.fromEntries(
          Object.entries({
            rpm: numberOption('--rpm', commandOptions.rpm, 'whole'),
            tpm: numberOption('--tpm', commandOptions.tpm, 'whole'),
            budgetUsdDay: numberOption('--budget-usd-day', commandOptions.budgetUsdDay, 'decimal'),
            budgetUsdMonth: numberOption('--budget-usd-month', commandOptions.budgetUsdMonth, 'decimal'),
          }).filter(([, value]) => value !== undefined),
        );
        const issued = await withKeys(context, (store) =>
          store.create({ name: commandOptions.name, role: commandOptions.role as 'admin', limits }),
        );
        printResult(context, {
          value: issued,
          text: () =>
            `created ${issued.key.role} key ${issued.key.id} (${issued.key.name}; ${formatLimits(issued.key.limits)})\n` +
            `${issued.apiKey}\n` +
            'this secret is shown once: keep it now (clients send it as Authorization: Bearer <key>)\n',
        });
      },
    );

  keys
    .command('list')
    .description('list API keys with their role, limits, spend and last use (never a secret)')
    .action(async () => {
      const context = options.context();
      const listed = await withKeys(context, (store) => store.list());
      printResult(context, { value: listed, text: () => formatKeys(listed) });
    });

  keys
    .command('revoke')
    .description('revoke an API key: refused from now on')
    .argument('<id>', 'the key id (12 hex characters, from keys list)')
    .action(async (id: string) => {
      const context = options.context();
      const revoked = await withKeys(context, (store) => store.revoke(id));
      printResult(context, { value: revoked, text: () => `revoked key ${revoked.id} (${revoked.name})\n` });
    });

  keys
    .command('rotate')
    .description('give an API key a new secret (same id, role and limits); the old secret stops working at once')
    .argument('<id>', 'the key id (12 hex characters, from keys list)')
    .action(async (id: string) => {
      const context = options.context();
      const rotated = await withKeys(context, (store) => store.rotate(id));
      printResult(context, {
        value: rotated,
        text: () =>
          `rotated key ${rotated.key.id} (${rotated.key.name}); the old secret no longer works\n${rotated.apiKey}\n` +
          'this secret is shown once: keep it now\n',
      });
    });
}
