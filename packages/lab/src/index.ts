/** @cordon/lab public API: network-namespace test hosts on a bridge. */
export { DEFAULT_LAB_STATE_DIR, Lab, labNamespaces, removeLabNamespaces } from './lab.ts';
export type { ExecResult, LabDeployment, LabListener, LabState, ProbeOutcome } from './lab.ts';
export {
  LAB_GATEWAY_PATH,
  LAB_GATEWAY_PORT,
  connectLabGateway,
  labAgentPaths,
  startLabAgent,
  writeLabAgentConfig,
} from './lab-agents.ts';
export type { LabAgent, LabAgentOptions } from './lab-agents.ts';
export { LAB_NAME_PATTERN, MAX_LAB_HOSTS, labLayout, namespacePrefix } from './lab-layout.ts';
export type { LabHostLayout, LabLayout } from './lab-layout.ts';
export { describeAttack, runAttack } from './lab-attack.ts';
export type { AttackOptions, AttackReport } from './lab-attack.ts';
