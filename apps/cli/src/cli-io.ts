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
  store: string;
  verbose: boolean;
}

/** What a command is given to do its work. */
export interface CommandContext {
  io: CliIo;
  globals: GlobalOptions;
}
