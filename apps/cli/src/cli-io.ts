import type { ResolvedStore } from '@llmops/kernel';
import type { CliStyle } from './cli-style.js';

/** What the CLI reads from and writes to, injectable so commands can run in process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** True when stderr is a terminal (progress bars, colours). */
  interactive: boolean;
  /**
   * Whether stdout and stderr may be coloured (a terminal, `NO_COLOR` and `FORCE_COLOR` applied); no colour when
   * absent. `--json` turns colour off whatever this says.
   */
  color?: { stdout: boolean; stderr: boolean };
  /**
   * stderr even under `--quiet`, for the few lines scripts wait for (`llmops serve: listening on …`); `stderr` when
   * absent.
   */
  announce?: (text: string) => void;
}

/** Options every command can read (`llmops --json --store … <command>`). */
export interface GlobalOptions {
  json: boolean;
  /** The chosen store's URI (see {@link CommandContext.store} for why it is that one). */
  store: string;
  verbose: boolean;
  /** `--create`: a `--store sqlite:<path>` may start a new store in a folder that does not exist. */
  create: boolean;
  /** `--quiet`: no progress or informational lines on stderr (errors and results are still printed). */
  quiet: boolean;
}

/** What a command is given to do its work. */
export interface CommandContext {
  io: CliIo;
  globals: GlobalOptions;
  /** The store, where it was chosen from, and the workspace found above the working folder. */
  store: ResolvedStore;
  /** How to colour lines written to stdout (plain unless stdout may be coloured and `--json` is off). */
  style: CliStyle;
}
