import { contentText, LlmopsError } from '@llmops/kernel';
import type { GuardrailVerdict as MonitoredVerdict, RequestEvent } from '@llmops/monitoring';
import { citedSourcesOf, hashQuestion, topicOf } from '@llmops/monitoring';
import type { ChatCompletion } from '@llmops/kernel';
import type { StepCall } from '@llmops/serving';

/** How a served call ended, as the monitoring step saw it. */
export interface CallOutcome {
  /** The endpoint that served the call; `chat` when absent. */
  endpoint?: 'chat' | 'embeddings';
  stream: boolean;
  /** The answer ran to its end. */
  completed: boolean;
  /** What failed, when something did. */
  error?: unknown;
  /** Streams: whether the first chunk had gone out when it failed (the status stays 200). */
  started?: boolean;
  /** The start of the answer's text (its first 300 characters are enough to spot a refusal). */
  answerHead: string;
  /** The model's own refusal field, when it set one. */
  modelRefusal?: string | null;
  /** Characters of the answer that went out (the whole content, or what a stream sent); absent when none did. */
  answerLength?: number;
}

/** Settings shared by every event the step builds. */
export interface RequestEventSettings {
  /** Keep the question's text in the event (the deployment opted in); only its hash otherwise. */
  keepQuestionText: boolean;
  /** Whether an answer's text refuses or says it does not know. */
  looksLikeRefusal: (text: string) => boolean;
}

/** Verdicts kept per event at most: a long answer full of redacted e-mails must not make a huge row. */
const maxVerdicts = 20;

const actionOf = { blocked: 'block', redacted: 'redact', flagged: 'flag' } as const;

type ServingVerdict = StepCall<unknown>['options']['recorder']['facts']['verdicts'][number];

/**
 * The findings of the checks that acted (passes are not recorded), one entry per (side, category, rule, action)
 * with the policy and how many findings it stands for (three redacted e-mails: one entry, `count: 3`).
 */
export function monitoredVerdicts(verdicts: readonly ServingVerdict[], policy?: string): MonitoredVerdict[] {
  const kept = new Map<string, MonitoredVerdict>();
  for (const verdict of verdicts) {
    if (verdict.outcome === 'pass') continue;
    const action = actionOf[verdict.outcome];
    const findings = verdict.findings.length > 0 ? verdict.findings : [{ category: verdict.check, rule: undefined }];
    for (const finding of findings) {
      const key = `${verdict.stage}\u0000${finding.category}\u0000${finding.rule ?? ''}\u0000${action}`;
      const seen = kept.get(key);
      if (seen) {
        seen.count = (seen.count ?? 1) + 1;
        continue;
      }
      if (kept.size >= maxVerdicts) continue;
      kept.set(key, {
        side: verdict.stage,
        category: finding.category,
        ...(finding.rule ? { rule: finding.rule } : {}),
        action,
        ...(policy && policy !== 'none' ? { policy } : {}),
        count: 1,
      });
    }
  }
  return [...kept.values()];
}

/**
 * The text of the last user message: the question monitoring hashes. An embeddings call's texts (one user message
 * each) are all of its question, joined by line breaks.
 */
export function questionOf(call: StepCall<unknown>, endpoint: CallOutcome['endpoint'] = 'chat'): string {
  if (endpoint === 'embeddings') return call.request.messages.map((message) => contentText(message.content)).join('\n');
  const messages = call.request.messages;
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message?.role === 'user') return contentText(message.content);
  }
  return '';
}

/**
 * Which of the caller's API key limits refused the call (the `limits` step's `rate_limited` or `budget_exceeded`,
 * whose details name the key and the limit); undefined for any other failure, a provider's 429 included.
 */
function keyLimitOf(failure: LlmopsError | undefined, call: StepCall<unknown>): string | undefined {
  if (failure?.code !== 'rate_limited' && failure?.code !== 'budget_exceeded') return undefined;
  const details = failure.details as { keyId?: unknown; limit?: unknown } | undefined;
  const keyId = call.options.caller?.keyId;
  if (keyId === undefined || details?.keyId !== keyId || typeof details.limit !== 'string') return undefined;
  return details.limit;
}

/**
 * The monitoring event of one served call, from what the chain wrote on the request's recorder
 * (usage, cost, verdicts, block, retrieval, citations, timing) and how the call ended. The topic and the cited
 * sources are monitoring's definitions (`topicOf`, `citedSourcesOf`) applied to the retrieval and the citations.
 */
export function requestEventOf(
  call: StepCall<unknown>,
  outcome: CallOutcome,
  settings: RequestEventSettings,
): RequestEvent {
  const recorder = call.options.recorder;
  const facts = recorder.facts;
  const answeredBy = facts.fallback?.answeredBy;
  const failure = outcome.error === undefined ? undefined : LlmopsError.fromUnknown(outcome.error);
  const keyLimit = keyLimitOf(failure, call);
  const endpoint = outcome.endpoint ?? 'chat';
  const question = questionOf(call, endpoint);
  const usage = facts.usage;
  const inputTokens = usage?.prompt_tokens ?? facts.promptTokens;
  // A cache hit ran no retrieval: the ranking stored with the answer says what the question was about.
  const ranked = facts.retrieval?.passages ?? facts.cache?.retrieved;
  let topScore: number | undefined;
  if (ranked) for (const passage of ranked) topScore = Math.max(topScore ?? 0, passage.score);
  const topic = ranked ? topicOf(ranked.map((passage) => passage.source)) : undefined;
  const refused =
    facts.blocked !== undefined ||
    (outcome.modelRefusal !== undefined && outcome.modelRefusal !== null) ||
    facts.finishReason === 'content_filter' ||
    (endpoint === 'chat' && settings.looksLikeRefusal(outcome.answerHead));
  return {
    at: recorder.startTimeMs,
    requestId: call.options.requestId ?? recorder.traceId,
    traceId: recorder.traceId,
    endpoint,
    modelRef: recorder.reference ?? `${call.model.name}/${call.model.version}`,
    // The version that answered: a fallback's when one took over.
    modelName: answeredBy?.name ?? call.model.name,
    modelVersion: answeredBy?.version ?? call.model.version,
    ...(answeredBy && facts.fallback ? { fallbackFrom: facts.fallback.from } : {}),
    // The key's public id, never its secret; absent for anonymous loopback inference.
    ...(call.options.caller ? { keyId: call.options.caller.keyId } : {}),
    status: failure && !outcome.started ? failure.httpStatus : 200,
    ...(failure ? { errorCode: failure.code } : {}),
    ...(keyLimit === undefined ? {} : { keyLimit }),
    stream: outcome.stream,
    completed: outcome.completed,
    latencyMs: recorder.elapsedMs(),
    ...(recorder.timing.generate > 0 ? { upstreamLatencyMs: recorder.timing.generate } : {}),
    ...(inputTokens > 0 ? { inputTokens } : {}),
    ...(usage && endpoint === 'chat' ? { outputTokens: usage.completion_tokens } : {}),
    ...(outcome.answerLength === undefined ? {} : { answerLength: outcome.answerLength }),
    ...(facts.costUsd === null ? {} : { costUsd: facts.costUsd }),
    ...(facts.cache ? { cache: facts.cache.status } : {}),
    ...(facts.cache?.savedCostUsd === undefined ? {} : { cacheSavedCostUsd: facts.cache.savedCostUsd }),
    guardrails: monitoredVerdicts(facts.verdicts, recorder.guardrailPolicyName),
    ...(ranked ? { citations: facts.blocked ? 0 : facts.citations.length } : {}),
    ...(topScore === undefined ? {} : { topRetrievalScore: topScore }),
    ...(ranked
      ? { citedSources: facts.blocked ? [] : citedSourcesOf(facts.citations.map((citation) => citation.source)) }
      : {}),
    ...(topic === undefined ? {} : { topic }),
    refused,
    questionHash: hashQuestion(question),
    ...(settings.keepQuestionText ? { question } : {}),
  };
}

/** The start of the answer's text, its length and the refusal field of a whole completion. */
export function answerOf(
  completion: ChatCompletion,
): Pick<CallOutcome, 'answerHead' | 'modelRefusal' | 'answerLength'> {
  const message = completion.choices[0]?.message;
  const content = message?.content ?? '';
  return { answerHead: content.slice(0, 300), modelRefusal: message?.refusal ?? null, answerLength: content.length };
}
