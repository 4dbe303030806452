export { startOpenAiWireServer, splitSseEvents } from './openai-wire-server.js';
export type { OpenAiWireServer, RecordedRequest, WireReply } from './openai-wire-server.js';
