import OpenAI from 'openai';
import { runLlmops } from './run-cli.js';
import { exited, registeredWorkspace, startServing } from './serving-workspace.js';

interface IssuedKey {
  key: { id: string; role: string; limits: Record<string, number> };
  apiKey: string;
}

describe('llmops keys create|list|revoke|rotate (built bin)', () => {
  const workdir = registeredWorkspace();
  const llmops = (args: readonly string[]) => runLlmops(args, { cwd: workdir });

  it('creates a key whose secret is printed once, lists it without the secret, rotates and revokes it', () => {
    const created = llmops([
      '--json',
      'keys',
      'create',
      '--role',
      'inference',
      '--name',
      'ci',
      '--rpm',
      '60',
      '--budget-usd-day',
      '2.5',
    ]);
    expect([created.status, created.stderr]).toEqual([0, '']);
    const issued = JSON.parse(created.stdout) as IssuedKey;
    expect(issued.apiKey).toMatch(new RegExp(`^llmops-${issued.key.id}-[A-Za-z0-9_-]{43}$`));
    expect(issued.key).toMatchObject({ role: 'inference', limits: { rpm: 60, budgetUsdDay: 2.5 } });

    const listed = llmops(['keys', 'list']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(`${issued.key.id}  inference ci`);
    expect(listed.stdout).toContain('limits: 60 rpm, $2.5/day; spent today $0.000000');
    expect(listed.stdout).not.toContain(issued.apiKey.slice(20));

    const rotated = llmops(['keys', 'rotate', issued.key.id]);
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toContain(`rotated key ${issued.key.id} (ci); the old secret no longer works`);
    expect(rotated.stdout).toMatch(new RegExp(`^llmops-${issued.key.id}-`, 'm'));

    const revoked = llmops(['keys', 'revoke', issued.key.id]);
    expect([revoked.status, revoked.stdout]).toEqual([0, `revoked key ${issued.key.id} (ci)\n`]);
    expect(llmops(['keys', 'list']).stdout).toContain(`${issued.key.id}  inference ci (revoked `);
  });

  it('refuses bad input with exit 2 and a message naming what is wrong', () => {
    const cases: Array<[string[], string]> = [
      [['keys', 'create', '--role', 'root'], 'new API key: role:'],
      [['keys', 'create', '--role', 'inference', '--rpm', '0'], '--rpm "0" is not a whole number from 1'],
      [['keys', 'create', '--role', 'inference', '--tpm', '1e3'], '--tpm "1e3" is not a whole number from 1'],
      [
        ['keys', 'create', '--role', 'admin', '--budget-usd-day', 'lots'],
        '--budget-usd-day "lots" is not a positive amount',
      ],
      [['keys', 'create', '--role', 'admin', '--name', 'a/b'], 'new API key: name:'],
      [['keys', 'revoke', 'nope'], 'key id "nope" is malformed; expected 12 hex characters'],
      [['keys', 'rotate', '0123456789ab'], 'no API key with id 0123456789ab'],
    ];
    for (const [args, message] of cases) {
      const result = llmops(args);
      expect([args.join(' '), result.status]).toEqual([args.join(' '), 2]);
      expect(result.stderr).toContain(message);
    }
    const missingRole = llmops(['keys', 'create']);
    expect(missingRole.status).toBe(2);
    expect(missingRole.stderr).toContain("required option '--role <role>' not specified");
  });

  it('a key created or revoked by the CLI is accepted or refused by a running server at once', async () => {
    const issued = JSON.parse(llmops(['--json', 'keys', 'create', '--role', 'inference']).stdout) as IssuedKey;
    const { child, url } = await startServing(['serve', '--port', '0', '--quiet'], workdir, {
      LLMOPS_ANONYMOUS_INFERENCE: '',
    });
    try {
      const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: issued.apiKey, maxRetries: 0 });
      const answer = await client.chat.completions.create({
        model: 'kettle-help@champion',
        messages: [{ role: 'user', content: 'Is limescale damage covered by the warranty?' }],
      });
      expect(answer.choices[0]?.message.content).toContain('Limescale damage is not covered');
      const anonymous = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
      await expect(anonymous.models.list()).rejects.toMatchObject({ status: 401 });

      expect(llmops(['keys', 'revoke', issued.key.id]).status).toBe(0);
      await expect(client.models.list()).rejects.toMatchObject({ status: 401 });
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
  });

  it('a reader key reads and changes nothing; with --anonymous-reads loopback the reads need no key from this machine', async () => {
    const reader = JSON.parse(
      llmops(['--json', 'keys', 'create', '--role', 'reader', '--name', 'console']).stdout,
    ) as IssuedKey;
    expect(reader.key.role).toBe('reader');
    expect(llmops(['keys', 'list']).stdout).toContain(`${reader.key.id}  reader    console`);
    const { child, url } = await startServing(
      ['serve', '--port', '0', '--quiet', '--anonymous-reads', 'loopback'],
      workdir,
      { LLMOPS_ANONYMOUS_INFERENCE: '' },
    );
    try {
      const withReader = { authorization: `Bearer ${reader.apiKey}` };
      expect((await fetch(`${url}/api/v1/models`, { headers: withReader })).status).toBe(200);
      const promote = await fetch(`${url}/api/v1/models/kettle-help/promote`, {
        method: 'POST',
        headers: { ...withReader, 'content-type': 'application/json' },
        body: JSON.stringify({ version: 1, force: true }),
      });
      expect(promote.status).toBe(403);
      expect((await fetch(`${url}/api/v1/evaluations`)).status).toBe(200);
      expect((await fetch(`${url}/api/v1/keys`)).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
    const refused = llmops(['serve', '--port', '0', '--anonymous-reads', 'everyone']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--anonymous-reads "everyone" is not off or loopback');
  });
});
