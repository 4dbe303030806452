import type { AlertNotifier } from '../../application/alerts/alert-ports.js';
import type { NotifyChannel, WebhookSettings } from '../../domain/alerts/alerts-config.js';
import { FileNotifier } from './file-notifier.js';
import type { AlertLogger } from './log-notifier.js';
import { LogNotifier } from './log-notifier.js';
import { WebhookNotifier } from './webhook-notifier.js';

/** What the notifiers of {@link createNotifierFactory} are built with. */
export interface NotifierFactoryOptions {
  logger: AlertLogger;
  /** The workspace folder alert files are confined to. */
  root: string;
  webhook: WebhookSettings;
  fetch?: typeof fetch;
}

/**
 * The notifier of each channel: `log` on the logger, `file` appended inside the workspace, `webhook` POSTed with
 * the configured time limit and retries.
 * @throws LlmopsError `forbidden` for a file outside the workspace, `invalid_input` for a non-http(s) webhook.
 */
export function createNotifierFactory(options: NotifierFactoryOptions): (channel: NotifyChannel) => AlertNotifier {
  return (channel) => {
    switch (channel.kind) {
      case 'log':
        return new LogNotifier(options.logger);
      case 'file':
        return new FileNotifier({ root: options.root, path: channel.path });
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
