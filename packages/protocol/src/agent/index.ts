/** Agent ↔ server protocol: messages, signed commands and their verification, release codes. */
export { decodeAgentMessage, decodeServerMessage, helloSigningBytes } from './agent-message.ts';
export type { AgentMessage, Decoded, ServerMessage } from './agent-message.ts';
export { MAX_TELEMETRY_BATCH_EVENTS, HELLO_SIGNING_LABEL } from './agent-message.ts';
export { parseAllowRule } from './allow-rule.ts';
export {
  MIN_ALLOW_PREFIX_V4,
  MIN_ALLOW_PREFIX_V6,
  checkAllowListScope,
  checkAllowNetwork,
} from './allow-list-scope.ts';
export type { AllowRule, ParsedAllowRule } from './allow-rule.ts';
export { decodeBase32, encodeBase32 } from './base32.ts';
export { decodeBase64url, encodeBase64url } from './base64url.ts';
export {
  CANONICAL_JSON_MAX_DEPTH,
  CanonicalJsonError,
  canonicalJson,
  signingBytes,
} from './canonical-json.ts';
export {
  ACCOUNT_NAME_PATTERN,
  COMMAND_ACTION_KINDS,
  ED25519_PUBLIC_KEY_PATTERN,
  PROCESS_NAME_PATTERN,
  QUARANTINE_ID_PATTERN,
  isSafeAbsolutePath,
  parseCommandAction,
} from './command-action.ts';
export type { CommandAction, CommandActionKind, ReachabilityTarget } from './command-action.ts';
export { REACHABILITY_LIMITS } from './command-action.ts';
export {
  MAX_PERSISTENCE_LINE,
  PERSISTENCE_KINDS,
  SSH_FINGERPRINT_PATTERN,
  SYSTEMD_UNIT_NAME_PATTERN,
  isPersistenceLine,
  parsePersistenceTarget,
  persistenceLocation,
} from './persistence-target.ts';
export type {
  PersistenceKind,
  PersistenceLocation,
  PersistenceTarget,
} from './persistence-target.ts';
export type { CommandRejection, CommandRejectionReason } from './command-rejection.ts';
export { signCommandResult, verifyCommandResult } from './command-result.ts';
export type {
  CommandResultBody,
  CommandResultStatus,
  ResultVerification,
  SignedCommandResult,
} from './command-result.ts';
export { parseHostFacts } from './host-facts.ts';
export type { HostFacts } from './host-facts.ts';
export {
  networkBytes,
  networkContains,
  parseIpAddress,
  parseIpNetwork,
  prefixEqual,
} from './ip-network.ts';
export type { IpNetwork } from './ip-network.ts';
export { createReleaseCode, verifyReleaseCode } from './release-code.ts';
export type {
  ReleaseCodeClaims,
  ReleaseCodeRejection,
  ReleaseCodeVerification,
  VerifyReleaseCodeOptions,
} from './release-code.ts';
export { ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES } from './signature.ts';
export type { SignBytes, VerifyBytes } from './signature.ts';
export {
  COMMAND_SIGNING_LABEL,
  MAX_COMMAND_LIFETIME_MS,
  commandSigningBytes,
  signCommand,
} from './signed-command.ts';
export type { CommandBody, SignedCommand } from './signed-command.ts';
export { parseCommandBody, verifyCommand } from './verify-command.ts';
export type { CommandVerification, VerifyCommandOptions } from './verify-command.ts';
export { WireFormatError } from './wire-reader.ts';
export { formatEnrolmentToken, parseEnrolmentToken } from './enrolment-token.ts';
export type { EnrolmentToken } from './enrolment-token.ts';
