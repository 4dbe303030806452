export { createApiServer } from './api-server.js';
export type { ApiServerOptions, ReadinessCheck } from './api-server.js';
export { startApiServer } from './start-api-server.js';
export type { StartApiServerOptions, RunningApiServer } from './start-api-server.js';
