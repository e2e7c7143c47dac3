/**
 * A command from the server to one agent, signed with the server's Ed25519 key. The signature
 * covers tenant, agent, command id, nonce, validity window and the action, so a captured
 * command cannot be replayed, retargeted at another agent or tenant, or used after expiry.
 */
import { encodeBase64url } from './base64url.ts';
import { signingBytes } from './canonical-json.ts';
import type { CommandAction } from './command-action.ts';
import type { SignBytes } from './signature.ts';

export const COMMAND_SIGNING_LABEL = 'cordon-command-v1';

/** Commands may live at most this long; it also bounds how long an agent keeps nonces. */
export const MAX_COMMAND_LIFETIME_MS = 60 * 60 * 1000;

export interface CommandBody {
  readonly version: 1;
  readonly tenantId: string;
  readonly agentId: string;
  readonly commandId: string;
  /** Random, unique per command; agents refuse a nonce they have seen before. */
  readonly nonce: string;
  /** Milliseconds since the Unix epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly action: CommandAction;
}

export interface SignedCommand {
  readonly body: CommandBody;
  /** Ed25519 signature of `commandSigningBytes(body)`, base64url. */
  readonly signature: string;
}

export function commandSigningBytes(body: CommandBody): Uint8Array {
  return signingBytes(COMMAND_SIGNING_LABEL, body);
}

export function signCommand(body: CommandBody, sign: SignBytes): SignedCommand {
  return { body, signature: encodeBase64url(sign(commandSigningBytes(body))) };
}
