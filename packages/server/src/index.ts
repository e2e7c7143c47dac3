/** @cordon/server public API: the composition root and its configuration. */
export { createServer } from './create-server.ts';
export type { CordonServer, CreateServerOptions, RegisteredRoute } from './create-server.ts';
export { defaultServerConfig, serverConfigFromEnv } from './server-config.ts';
export type { ServerConfig } from './server-config.ts';
export { parseTrustedProxies } from './http/trusted-proxies.ts';
export type { App, Services } from './routes/route-context.ts';
export * from './agents/index.ts';
export * from './ingest/index.ts';
export * from './journal/index.ts';
export type { FairnessConfig, IngestShare, RequestShare } from './fairness/fairness-config.ts';
export { defaultFairnessConfig } from './fairness/fairness-config.ts';
export { PlaybookService } from './playbooks/playbook.service.ts';
export { SHIPPED_PLAYBOOK_DIR, loadShippedPlaybooks } from './playbooks/shipped-playbooks.ts';
export { setUpDemo } from './demo/set-up-demo.ts';
export type { DemoSetup, DemoOptions } from './demo/set-up-demo.ts';
export { DEMO_TENANT_NAME, DEMO_USER_EMAIL } from './demo/demo-content.ts';
