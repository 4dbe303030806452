import type { AlertNotifier, AlertPayload } from '../../application/alerts/alert-ports.js';
import type { NotificationOutcome } from '../../domain/alerts/alert-record.js';

/** The part of a pino logger the log notifier uses (pino's `(object, message)` call form). */
export interface AlertLogger {
  warn(object: object, message: string): void;
}

/** Writes each alert as one warning on the logger (pino's JSON line in the server). */
export class LogNotifier implements AlertNotifier {
  readonly channel = 'log' as const;
  readonly target = 'log';

  constructor(private readonly logger: AlertLogger) {}

  async send(payload: AlertPayload): Promise<Pick<NotificationOutcome, 'status' | 'attempts' | 'error'>> {
    this.logger.warn(
      { alert: payload },
      `alert ${payload.rule} (${payload.severity}): ${payload.signal.source} ${payload.signal.name} breached`,
    );
    return { status: 'sent', attempts: 1 };
  }
}
