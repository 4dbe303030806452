import type { AlertNotifier } from '../../application/alerts/alert-ports.js';
import type { NotifyChannel, WebhookSettings } from '../../domain/alerts/alerts-config.js';
import { FileNotifier } from './file-notifier.js';
import type { AlertLogger } from './log-notifier.js';
import { LogNotifier } from './log-notifier.js';
import { WebhookNotifier } from './webhook-notifier.js';

/** What the notifiers of {@link createNotifierFactory} are built with. */
export interface NotifierFactoryOptions {
  logger: AlertLogger;
  /** The workspace folder alert files are confined to (with the data roots of `env`). */
  root: string;
  /** The deployment's environment: its `LLMOPS_DATA_ROOTS` are further folders alert files may be in. */
  env?: Record<string, string | undefined>;
  webhook: WebhookSettings;
  fetch?: typeof fetch;
}

/**
 * The notifier of each channel: `log` on the logger, `file` appended inside the workspace or a data root, `webhook` POSTed with
 * the configured time limit and retries.
 * @throws LlmopsError `forbidden` for a file outside the workspace and data roots, `invalid_input` for a non-http(s) webhook.
 */
export function createNotifierFactory(options: NotifierFactoryOptions): (channel: NotifyChannel) => AlertNotifier {
  return (channel) => {
    switch (channel.kind) {
      case 'log':
        return new LogNotifier(options.logger);
      case 'file':
        return new FileNotifier({
          root: options.root,
          path: channel.path,
          ...(options.env ? { env: options.env } : {}),
        });
      case 'webhook':
        return new WebhookNotifier({
          url: channel.url,
          timeoutMs: options.webhook.timeoutMs,
          retry: {
            maxAttempts: options.webhook.maxAttempts,
            baseDelayMs: options.webhook.baseDelayMs,
            maxDelayMs: options.webhook.maxDelayMs,
          },
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
    }
  };
}
