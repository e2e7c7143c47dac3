/** The agent gateway and action queue (issue 6). */
export { ACTION_TRANSITIONS, canTransition } from './agent-action.ts';
export type { ActionState, ActionTransition, AgentAction } from './agent-action.ts';
export { AGENT_GATEWAY_PATH, AgentGateway, verifyEd25519Raw } from './agent-gateway.ts';
export type { AgentGatewayOptions } from './agent-gateway.ts';
export { InMemoryAgentRegistry } from './agent-registry.ts';
export type { AgentRecord, AgentRegistry } from './agent-registry.ts';
export { journalActionTransitions } from './action-journal.ts';
export { ActionQueue } from './action-queue.ts';
export type { ActionQueueOptions } from './action-queue.ts';
export { InMemoryEnrolmentTokens } from './enrolment-tokens.ts';
export type { EnrolmentTokenStore } from './enrolment-tokens.ts';
export {
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
