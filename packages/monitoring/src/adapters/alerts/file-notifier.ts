import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { confinedPath, LlmopsError } from '@llmops/kernel';
import type { AlertNotifier, AlertPayload } from '../../application/alerts/alert-ports.js';
import type { NotificationOutcome } from '../../domain/alerts/alert-record.js';

/** Options of {@link FileNotifier}. */
export interface FileNotifierOptions {
  /** The workspace folder: the file must be inside it, symbolic links followed. */
  root: string;
  /** The file, relative to `root` (or absolute, inside it). */
  path: string;
}

/**
 * Appends each alert as one JSON line to a file inside the workspace. The file's real path (symbolic links
 * followed) is checked against the workspace's on every write, so a link swapped in later cannot move it out.
 */
export class FileNotifier implements AlertNotifier {
  readonly channel = 'file' as const;
  readonly target: string;
  private readonly root: string;

  /** @throws LlmopsError `forbidden` when the file is outside the workspace. */
  constructor(options: FileNotifierOptions) {
    this.root = resolve(options.root);
    this.target = options.path;
    this.confined();
  }

  private confined(): string {
    return confinedPath({ root: this.root, file: this.target, what: 'alert file', confine: true });
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
