import type { IntegrationGlobals } from './global-setup.js';

/** Stops the MLflow servers of the global setup and drops the PostgreSQL database. */
export default async function globalTeardown(): Promise<void> {
  const servers = (globalThis as IntegrationGlobals).llmopsMlflowServers ?? [];
  delete (globalThis as IntegrationGlobals).llmopsMlflowServers;
  await Promise.all(servers.map((server) => server.stop()));
}
