/** The agent gateway, action queue and dispatcher, agent identity and auto-containment. */
export { ACTION_TRANSITIONS, canTransition } from './agent-action.ts';
export type { ActionState, ActionTransition, AgentAction } from './agent-action.ts';
export { AGENT_GATEWAY_PATH, AgentGateway, verifyEd25519Raw } from './agent-gateway.ts';
export type { AgentGatewayOptions } from './agent-gateway.ts';
export { ActionQueue } from './action-queue.ts';
export type { ActionChanges, ActionQueueOptions, ActionRequest } from './action-queue.ts';
export { issueEnrolmentToken } from './enrolment-tokens.ts';
export type { IssueTokenOptions } from './enrolment-tokens.ts';
export { DEFAULT_PRE_AUTH_LIMITS } from './pre-auth-admission.ts';
export type { PreAuthLimits } from './pre-auth-admission.ts';
export { MAX_TELEMETRY_EVENT_BYTES } from './agent-message-limits.ts';
export { agentTelemetryRecords } from './agent-telemetry.ts';
export { ContainmentDispatcher } from './containment-dispatcher.ts';
export { createContainment } from './containment-wiring.ts';
export type { AgentTelemetrySink, Containment, ContainmentOptions } from './containment-wiring.ts';
export { ContainmentService } from './containment.service.ts';
