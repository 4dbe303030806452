import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { confinedOperatorFile, LlmopsError } from '@llmops/kernel';
import type { AlertNotifier, AlertPayload } from '../../application/alerts/alert-ports.js';
import type { NotificationOutcome } from '../../domain/alerts/alert-record.js';

/** Options of {@link FileNotifier}. */
export interface FileNotifierOptions {
  /** The workspace folder: the file must be inside it or a data root, symbolic links followed. */
  root: string;
  /** The file, relative to `root` (or absolute, inside it or a data root). */
  path: string;
  /** The deployment's environment, whose `LLMOPS_DATA_ROOTS` adds folders the file may be in; none without it. */
  env?: Record<string, string | undefined>;
}

/**
 * Appends each alert as one JSON line to a file inside the workspace or a data root (`LLMOPS_DATA_ROOTS`), confined
 * as every file an operator names ({@link confinedOperatorFile}). The file's real path (symbolic links followed) is
 * checked on every write, so a link swapped in later cannot move it out.
 */
export class FileNotifier implements AlertNotifier {
  readonly channel = 'file' as const;
  readonly target: string;
  private readonly root: string;
  private readonly env: Record<string, string | undefined>;

  /**
   * @throws LlmopsError `forbidden` naming the file and the allowed folders when it is outside the workspace and the
   * data roots; `invalid_input` for a relative data root.
   */
  constructor(options: FileNotifierOptions) {
    this.root = resolve(options.root);
    this.target = options.path;
    this.env = options.env ?? {};
    this.confined();
  }

  private confined(): string {
    return confinedOperatorFile({ root: this.root, file: this.target, what: 'alert file', env: this.env });
  }

  async send(payload: AlertPayload): Promise<Pick<NotificationOutcome, 'status' | 'attempts' | 'error'>> {
    try {
      const file = this.confined();
      await mkdir(dirname(file), { recursive: true });
      await appendFile(file, `${JSON.stringify(payload)}\n`, 'utf8');
      return { status: 'sent', attempts: 1 };
    } catch (error) {
      return { status: 'failed', attempts: 1, error: LlmopsError.fromUnknown(error).message };
    }
  }
}
