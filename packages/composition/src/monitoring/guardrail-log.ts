import type { EventSink, RequestEvent } from '@llmops/monitoring';

/** The part of a pino logger the guardrail log writes to. */
export interface GuardrailLogger {
  info: (object: Record<string, unknown>, message: string) => void;
}

const messages = { block: 'guardrail blocked', redact: 'guardrail redacted' } as const;

/**
 * Logs what the guardrails did to a request, one line per (side, category, rule, action) that blocked or redacted:
 * the request id, the model version, the policy, the side, the category, the rule id, the action and how many
 * findings it stands for. Never any text: verdicts hold none (only categories, rule ids and positions), and
 * positions are not logged either. Flags are not logged (they are in the trace and the event).
 */
export function guardrailLogSink(logger: () => GuardrailLogger | undefined): EventSink {
  return {
    record(event: RequestEvent): void {
      const log = logger();
      if (!log) return;
      for (const verdict of event.guardrails) {
        if (verdict.action !== 'block' && verdict.action !== 'redact') continue;
        log.info(
          {
            requestId: event.requestId,
            model: event.modelVersion === null ? event.modelName : `${event.modelName}/${event.modelVersion}`,
            guardrail: {
              policy: verdict.policy ?? 'unknown',
              side: verdict.side,
              category: verdict.category,
              rule: verdict.rule ?? verdict.category,
              action: verdict.action,
              count: verdict.count ?? 1,
            },
          },
          messages[verdict.action],
        );
      }
    },
  };
}
