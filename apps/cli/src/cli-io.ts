import type { ResolvedStore } from '@llmops/kernel';

/** What the CLI reads from and writes to, injectable so commands can run in process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** True when stderr is a terminal (progress bars, colours). */
  interactive: boolean;
}

/** Options every command can read (`llmops --json --store … <command>`). */
export interface GlobalOptions {
  json: boolean;
  /** The chosen store's URI (see {@link CommandContext.store} for why it is that one). */
  store: string;
  verbose: boolean;
  /** `--create`: a `--store sqlite:<path>` may start a new store in a folder that does not exist. */
  create: boolean;
}

/** What a command is given to do its work. */
export interface CommandContext {
  io: CliIo;
  globals: GlobalOptions;
  /** The store, where it was chosen from, and the workspace found above the working folder. */
  store: ResolvedStore;
}
