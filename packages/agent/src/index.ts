/** @cordon/agent public API: the endpoint agent, its executors and its local state. */
export { AgentError } from './agent-error.ts';
export type { AgentErrorCode } from './agent-error.ts';
export { BLOCKLIST_TABLE, BlockList, blockListScript } from './isolation/block-list.ts';
export type { BlockListOptions } from './isolation/block-list.ts';
export { HostIsolation } from './isolation/host-isolation.ts';
export type { HostIsolationOptions, IsolationReport } from './isolation/host-isolation.ts';
export { parseEndpoint, parseIsolationPolicy } from './isolation/isolation-policy.ts';
export type { Endpoint, IsolationPolicy } from './isolation/isolation-policy.ts';
export {
  ISOLATION_TABLE,
  isolationScript,
  removeTableScript,
} from './isolation/nft-isolation-script.ts';
export { applyNftScript, listNftTable, nftTableExists } from './isolation/nft.ts';
export { probeTcp, provesUnreachable } from './isolation/reachability.ts';
export type { ProbeOutcome, ProbeResult } from './isolation/reachability.ts';
export { writeFileAtomic } from './state/atomic-write.ts';
export { AgentStateStore, INITIAL_AGENT_STATE } from './state/agent-state.ts';
export type { AgentState, IsolationIntent } from './state/agent-state.ts';
export { runProgram } from './system/run-program.ts';
export type { ProgramResult, RunProgramOptions } from './system/run-program.ts';
export { executeAction } from './actions/action-executor.ts';
export type { ActionContext, ActionOutcome } from './actions/action-executor.ts';
export { disableAccount, enableAccount } from './actions/account-lock.ts';
export type { AccountLockReport, DisableAccountOptions } from './actions/account-lock.ts';
export {
  DEFAULT_UID_MIN,
  accountRefusal,
  accountSafeguards,
  parseUidMin,
} from './actions/account-safeguards.ts';
export type { AccountSafeguards } from './actions/account-safeguards.ts';
export { FileQuarantine, sha256File } from './actions/file-quarantine.ts';
export type { FileQuarantineOptions, QuarantineRecord } from './actions/file-quarantine.ts';
export { QuarantineGuard } from './actions/quarantine-guard.ts';
export type { FileIdentity, QuarantineGuardOptions } from './actions/quarantine-guard.ts';
export { killProcesses } from './actions/kill-process.ts';
export { listPersistence } from './actions/persistence-listing.ts';
export type { PersistenceEntry, PersistenceListing } from './actions/persistence-listing.ts';
export { removePersistence } from './actions/persistence-removal.ts';
export type {
  PersistenceOptions,
  PersistenceRemoval,
  SystemctlCall,
} from './actions/persistence-removal.ts';
export { MAX_PERSISTENCE_FILE_BYTES } from './actions/persistence-file.ts';
export { parseAuthorizedKey } from './actions/ssh-key-fingerprint.ts';
export type { AuthorizedKey } from './actions/ssh-key-fingerprint.ts';
export type { KillReport } from './actions/kill-process.ts';
export { collectPersistence, collectTriage } from './triage/collect-triage.ts';
export type {
  PathHash,
  PersistenceFile,
  TriageDocument,
  TriageOptions,
} from './triage/collect-triage.ts';
export { parseUtmp, readLoggedInUsers } from './triage/utmp.ts';
export type { LoginRecord } from './triage/utmp.ts';
export {
  decodeProcNetAddress,
  parseProcNet,
  readSockets,
  socketOwners,
} from './system/proc-net.ts';
export type { SocketRecord } from './system/proc-net.ts';
export { listPids, readPasswd, readProcess } from './system/proc.ts';
export type { PasswdEntry, ProcessRecord } from './system/proc.ts';
export { parseAgentConfig, loadAgentConfig } from './runtime/agent-config.ts';
export type { AgentConfig } from './runtime/agent-config.ts';
export { decodePublicKey, loadOrCreateAgentKey, verifyEd25519 } from './runtime/agent-keys.ts';
export type { AgentKey } from './runtime/agent-keys.ts';
export {
  AgentRuntime,
  releaseWithOfflineCode,
  serverEndpoints,
  stderrLogger,
} from './runtime/agent-runtime.ts';
export type { AgentLogger, AgentRuntimeOptions } from './runtime/agent-runtime.ts';
export { enrolmentPath, loadEnrolment, saveEnrolment } from './runtime/enrolment.ts';
export type { Enrolment } from './runtime/enrolment.ts';
export { AGENT_VERSION, collectHostFacts } from './runtime/host-facts.ts';
export { NonceStore } from './runtime/nonce-store.ts';
export { ServerConnection, backoffDelay } from './runtime/server-connection.ts';
export type { ServerConnectionOptions } from './runtime/server-connection.ts';
export { ConnectionWatch } from './telemetry/connection-watch.ts';
export { LogTail } from './telemetry/log-tail.ts';
export { ProcessWatch } from './telemetry/process-watch.ts';
export type { TelemetryCollector, TelemetryEvent } from './telemetry/telemetry-event.ts';
export { TelemetrySpool } from './telemetry/telemetry-spool.ts';
export type { SpooledBatch } from './telemetry/telemetry-spool.ts';
export { ResultOutbox } from './runtime/result-outbox.ts';
