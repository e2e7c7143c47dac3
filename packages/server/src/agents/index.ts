/** The agent gateway, action queue, agent registry and auto-containment (issue 6). */
export { ACTION_TRANSITIONS, canTransition } from './agent-action.ts';
export type { ActionState, ActionTransition, AgentAction } from './agent-action.ts';
export { AGENT_GATEWAY_PATH, AgentGateway, verifyEd25519Raw } from './agent-gateway.ts';
export type { AgentGatewayOptions } from './agent-gateway.ts';
export { InMemoryAgentRegistry, StoreAgentRegistry } from './agent-registry.ts';
export type { AgentRecord, AgentRegistry } from './agent-registry.ts';
export { InMemoryActionLedger, StoreActionLedger } from './action-ledger.ts';
export type { ActionLedger } from './action-ledger.ts';
export { ActionQueue } from './action-queue.ts';
export type { ActionChanges, ActionQueueOptions, ActionRequest } from './action-queue.ts';
export { InMemoryEnrolmentTokens, StoreEnrolmentTokens } from './enrolment-tokens.ts';
export type { EnrolmentTokenStore, IssueTokenOptions } from './enrolment-tokens.ts';
export {
  ASSET_ROLES,
  DEFAULT_CONTAINMENT_RULES,
  applyContainmentPolicy,
  containmentDecision,
} from './containment-policy.ts';
export type {
  AssetRole,
  ContainmentDecision,
  ContainmentPolicy,
  ContainmentRule,
} from './containment-policy.ts';
export { agentTelemetryRecords } from './agent-telemetry.ts';
export { createContainment } from './containment-wiring.ts';
export type { AgentTelemetrySink, Containment, ContainmentOptions } from './containment-wiring.ts';
export { ContainmentService } from './containment.service.ts';
