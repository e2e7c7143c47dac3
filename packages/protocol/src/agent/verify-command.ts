/**
 * Agent-side verification of a signed command. Order matters: shape first, then the signature
 * (nothing in the body is trusted before it), then binding (tenant, agent), then time, then
 * the nonce. The caller records the nonce only after it accepts the command.
 */
import { decodeBase64url } from './base64url.ts';
import { parseCommandAction } from './command-action.ts';
import type { CommandRejection, CommandRejectionReason } from './command-rejection.ts';
import { signingBytes } from './canonical-json.ts';
import { COMMAND_SIGNING_LABEL, MAX_COMMAND_LIFETIME_MS } from './signed-command.ts';
import type { CommandBody } from './signed-command.ts';
import { ED25519_SIGNATURE_BYTES } from './signature.ts';
import type { VerifyBytes } from './signature.ts';
import { ID_PATTERN, WireFormatError, asRecord, readInteger, readString } from './wire-reader.ts';

export interface VerifyCommandOptions {
  /** The server's raw Ed25519 public key (32 bytes). */
  readonly serverPublicKey: Uint8Array;
  readonly verifySignature: VerifyBytes;
  readonly tenantId: string;
  readonly agentId: string;
  /** Milliseconds since the Unix epoch. */
  readonly now: number;
  readonly seenNonces: { has(nonce: string): boolean };
  /** Tolerated clock difference for `issuedAt` in the future; default 30 s. */
  readonly clockSkewMs?: number;
}

export type CommandVerification =
  | { readonly ok: true; readonly command: CommandBody }
  | { readonly ok: false; readonly rejection: CommandRejection };

export function verifyCommand(
  envelope: unknown,
  options: VerifyCommandOptions,
): CommandVerification {
  const reject = (
    reason: CommandRejectionReason,
    detail: string,
    commandId?: string,
  ): CommandVerification => ({
    ok: false,
    rejection: commandId === undefined ? { reason, detail } : { reason, detail, commandId },
  });

  let body: CommandBody;
  let signatureText: unknown;
  let signedBytes: Uint8Array;
  try {
    const record = asRecord(envelope, 'command envelope');
    signatureText = record.signature;
    body = parseCommandBody(record.body);
    // The signature covers the body exactly as received, not the parsed (normalised) copy.
    signedBytes = signingBytes(COMMAND_SIGNING_LABEL, record.body);
  } catch (error) {
    if (error instanceof TypeError) return reject('malformed', error.message);
    if (error instanceof WireFormatError) return reject('malformed', error.message);
    throw error;
  }
  const { commandId } = body;
  if (signatureText === undefined || signatureText === null || signatureText === '') {
    return reject('unsigned', 'command carries no signature', commandId);
  }
  const signature = typeof signatureText === 'string' ? decodeBase64url(signatureText) : undefined;
  if (signature?.length !== ED25519_SIGNATURE_BYTES) {
    return reject('bad-signature', 'signature is not a base64url Ed25519 signature', commandId);
  }
  let valid: boolean;
  try {
    valid = options.verifySignature(signedBytes, signature, options.serverPublicKey);
  } catch {
    valid = false;
  }
  if (!valid) return reject('bad-signature', 'signature does not match the server key', commandId);
  if (body.tenantId !== options.tenantId) {
    return reject('wrong-tenant', `command is for tenant ${body.tenantId}`, commandId);
  }
  if (body.agentId !== options.agentId) {
    return reject('wrong-agent', `command is for agent ${body.agentId}`, commandId);
  }
  const skew = options.clockSkewMs ?? 30_000;
  if (body.issuedAt > options.now + skew) {
    return reject(
      'not-yet-valid',
      `issued ${body.issuedAt - options.now} ms in the future`,
      commandId,
    );
  }
  if (body.expiresAt <= options.now) {
    return reject('expired', `expired ${options.now - body.expiresAt} ms ago`, commandId);
  }
  if (options.seenNonces.has(body.nonce)) {
    return reject('replayed-nonce', `nonce ${body.nonce} was already used`, commandId);
  }
  return { ok: true, command: body };
}

/** Parses a command body; throws `WireFormatError` when any field is missing or invalid. */
export function parseCommandBody(value: unknown): CommandBody {
  const record = asRecord(value, 'command body');
  if (record.version !== 1) throw new WireFormatError('unsupported command version');
  const issuedAt = readInteger(record, 'issuedAt', { min: 0, max: Number.MAX_SAFE_INTEGER });
  const expiresAt = readInteger(record, 'expiresAt', { min: 0, max: Number.MAX_SAFE_INTEGER });
  if (expiresAt <= issuedAt) throw new WireFormatError('expiresAt must be after issuedAt');
  if (expiresAt - issuedAt > MAX_COMMAND_LIFETIME_MS) {
    throw new WireFormatError(`command lifetime exceeds ${MAX_COMMAND_LIFETIME_MS} ms`);
  }
  return {
    version: 1,
    tenantId: readString(record, 'tenantId', { pattern: ID_PATTERN }),
    agentId: readString(record, 'agentId', { pattern: ID_PATTERN }),
    commandId: readString(record, 'commandId', { pattern: ID_PATTERN }),
    nonce: readString(record, 'nonce', { pattern: ID_PATTERN }),
    issuedAt,
    expiresAt,
    action: parseCommandAction(record.action),
  };
}
