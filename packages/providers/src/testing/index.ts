export { startOpenAiWireServer, splitSseEvents } from './openai-wire-server.js';
export type { OpenAiWireServer, RecordedRequest, WireReply } from './openai-wire-server.js';
export { completionReply } from './wire-replies.js';
export type { WireUsage } from './wire-replies.js';
