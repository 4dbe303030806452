import { confinedOperatorFile } from '@llmops/kernel';
import type { CliIo } from './cli-io.js';

/**
 * The path of a file the operator or a conf names (a conf given to `llmops run` and the files it references, a
 * `--context-file`, a report to write), confined by its real path to the working folder or a data root
 * (`LLMOPS_DATA_ROOTS`).
 * @throws LlmopsError `forbidden` (exit 2) naming the file and the folders files may be read from and written to.
 */
export function workspaceFile(io: Pick<CliIo, 'cwd' | 'env'>, file: string, what: string): string {
  return confinedOperatorFile({ root: io.cwd, file, what, env: io.env });
}
