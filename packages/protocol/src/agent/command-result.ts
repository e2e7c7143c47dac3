/**
 * What an agent reports back for a command, signed with the agent's own Ed25519 key so the
 * server's record of "applied" or "rolled back" is attributable to that agent. A refused
 * command is reported the same way, with status `rejected` and the reason.
 */
import { decodeBase64url, encodeBase64url } from './base64url.ts';
import { signingBytes } from './canonical-json.ts';
import type { CommandRejectionReason } from './command-rejection.ts';
import { ED25519_SIGNATURE_BYTES } from './signature.ts';
import type { SignBytes, VerifyBytes } from './signature.ts';
import {
  ID_PATTERN,
  WireFormatError,
  asRecord,
  readInteger,
  readOptionalString,
  readString,
} from './wire-reader.ts';

export const RESULT_SIGNING_LABEL = 'cordon-result-v1';

export type CommandResultStatus = 'applied' | 'failed' | 'rolled-back' | 'rejected';

export interface CommandResultBody {
  readonly version: 1;
  readonly tenantId: string;
  readonly agentId: string;
  /** Absent only for a rejected command whose id could not be read. */
  readonly commandId?: string;
  readonly status: CommandResultStatus;
  readonly rejectionReason?: CommandRejectionReason;
  readonly completedAt: number;
  readonly detail: string;
  /** Action output (triage document, killed process record …), plain JSON. */
  readonly output?: unknown;
}

export interface SignedCommandResult {
  readonly body: CommandResultBody;
  readonly signature: string;
}

export function signCommandResult(body: CommandResultBody, sign: SignBytes): SignedCommandResult {
  return { body, signature: encodeBase64url(sign(signingBytes(RESULT_SIGNING_LABEL, body))) };
}

const STATUSES: readonly CommandResultStatus[] = ['applied', 'failed', 'rolled-back', 'rejected'];
const REJECTION_REASONS: readonly CommandRejectionReason[] = [
  'malformed',
  'unsigned',
  'bad-signature',
  'wrong-tenant',
  'wrong-agent',
  'expired',
  'not-yet-valid',
  'replayed-nonce',
];

export type ResultVerification =
  | { readonly ok: true; readonly result: CommandResultBody }
  | { readonly ok: false; readonly error: string };

/** Server side: checks shape and the agent's signature over the body as received. */
export function verifyCommandResult(
  value: unknown,
  options: { readonly agentPublicKey: Uint8Array; readonly verifySignature: VerifyBytes },
): ResultVerification {
  try {
    const record = asRecord(value, 'result');
    const body = asRecord(record.body, 'result body');
    if (body.version !== 1) throw new WireFormatError('unsupported result version');
    readString(body, 'tenantId', { pattern: ID_PATTERN });
    readString(body, 'agentId', { pattern: ID_PATTERN });
    readOptionalString(body, 'commandId', { pattern: ID_PATTERN });
    const status = readString(body, 'status', { max: 16 });
    if (!STATUSES.includes(status as CommandResultStatus)) {
      throw new WireFormatError(`unknown result status ${JSON.stringify(status)}`);
    }
    const reason = readOptionalString(body, 'rejectionReason', { max: 32 });
    if (reason !== undefined && !REJECTION_REASONS.includes(reason as CommandRejectionReason)) {
      throw new WireFormatError(`unknown rejection reason ${JSON.stringify(reason)}`);
    }
    readInteger(body, 'completedAt', { min: 0, max: Number.MAX_SAFE_INTEGER });
    if (typeof body.detail !== 'string') throw new WireFormatError('detail must be a string');
    const signature =
      typeof record.signature === 'string' ? decodeBase64url(record.signature) : undefined;
    if (signature?.length !== ED25519_SIGNATURE_BYTES) {
      return { ok: false, error: 'result is unsigned or its signature is not Ed25519' };
    }
    const valid = options.verifySignature(
      signingBytes(RESULT_SIGNING_LABEL, body),
      signature,
      options.agentPublicKey,
    );
    if (!valid) return { ok: false, error: 'result signature does not match the agent key' };
    return { ok: true, result: body as unknown as CommandResultBody };
  } catch (error) {
    if (error instanceof WireFormatError || error instanceof TypeError) {
      return { ok: false, error: error.message };
    }
    throw error;
  }
}
