import { Command, Help } from 'commander';
import type { CommandContext } from './cli-io.js';
import { commandTable, invokedCommand, jobKinds } from './command-table.js';
import { createCliJobCatalog } from './jobs/cli-job-catalog.js';

const wiring = {
  context: (): CommandContext => {
    throw new Error('no command runs in this test');
  },
  setExitCode: () => undefined,
  io: { stdout: () => undefined, stderr: () => undefined, env: {}, cwd: '.', interactive: false },
};

describe('the lazy command table', () => {
  it.each(commandTable.map((entry) => [entry.name, entry] as const))(
    'lists %s in the root help exactly as the command registers itself',
    async (name, entry) => {
      const program = new Command('llmops');
      await entry.register(program, wiring);
      const registered = program.commands.find((command) => command.name() === name);
      expect(registered).toBeDefined();
      expect(entry.description).toBe(registered?.description());
      expect(entry.term).toBe(new Help().subcommandTerm(registered as Command));
    },
  );

  it('names the job kinds of the catalog the run command loads', async () => {
    const catalog = await createCliJobCatalog();
    expect([...jobKinds]).toEqual([...catalog.kinds.keys()].sort());
  });

  it('finds the command argv runs, past global options and after help', () => {
    expect(invokedCommand(['models', 'list'])).toBe('models');
    expect(invokedCommand(['--store', 'sqlite:x.db', '--json', 'keys', 'list'])).toBe('keys');
    expect(invokedCommand(['--verbose', 'help', 'eval'])).toBe('eval');
    expect(invokedCommand(['--help'])).toBeUndefined();
    expect(invokedCommand(['help'])).toBeUndefined();
    expect(invokedCommand([])).toBeUndefined();
  });
});
