export type { CacheStatus, GuardrailVerdict, RequestEvent } from './domain/request-event.js';
