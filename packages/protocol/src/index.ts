/** @cordon/protocol public API: what crosses a process boundary. */
export * from './api/common.schema.ts';
export * from './api/access.schema.ts';
export * from './api/incident.schema.ts';
export * from './api/evidence.schema.ts';
export * from './agent/index.ts';
export * from './api/preparation.schema.ts';
export * from './api/ingest.schema.ts';
export * from './api/agent.schema.ts';
export * from './api/containment-option.schema.ts';
export * from './api/containment-decision.schema.ts';
export * from './api/detection.schema.ts';
export * from './api/event.schema.ts';
export * from './api/eradication.schema.ts';
export * from './api/overview.schema.ts';
export * from './api/recovery.schema.ts';
export * from './api/identification.schema.ts';
export * from './api/playbook.schema.ts';
