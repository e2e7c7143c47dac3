/**
 * Messages on the agent's WebSocket, one JSON object per frame, tagged by `kind`.
 *
 * Connection: the server opens with `challenge`; a new agent answers `enrol` (one-time tenant
 * token + its public key) and gets `enrolled`; a known agent answers `hello`, signing the
 * challenge with its key, and gets `welcome`. Then the agent sends heartbeats, telemetry
 * batches and signed results; the server sends signed commands and acknowledgements.
 *
 * Telemetry is at-least-once: batches carry a per-agent sequence number that only grows; the
 * agent keeps a batch in its spool until `telemetry-ack` with a `seq` at or above it arrives
 * (acks are cumulative), and resends unacknowledged batches after reconnecting. The server
 * drops a batch whose `seq` it has already stored.
 */
import { signingBytes } from './canonical-json.ts';
import type { SignedCommandResult } from './command-result.ts';
import { parseHostFacts } from './host-facts.ts';
import type { HostFacts } from './host-facts.ts';
import {
  ID_PATTERN,
  WireFormatError,
  asRecord,
  readArray,
  readInteger,
  readString,
} from './wire-reader.ts';

export const HELLO_SIGNING_LABEL = 'cordon-hello-v1';
export const MAX_TELEMETRY_BATCH_EVENTS = 1000;

export type AgentMessage =
  | {
      readonly kind: 'enrol';
      readonly token: string;
      /** Raw Ed25519 public key, base64url. */
      readonly publicKey: string;
      readonly facts: HostFacts;
    }
  | {
      readonly kind: 'hello';
      readonly tenantId: string;
      readonly agentId: string;
      readonly challenge: string;
      /** Ed25519 over `helloSigningBytes`, base64url. */
      readonly signature: string;
    }
  | { readonly kind: 'heartbeat'; readonly sentAt: number; readonly facts: HostFacts }
  | {
      readonly kind: 'telemetry';
      readonly seq: number;
      readonly events: readonly Readonly<Record<string, unknown>>[];
    }
  | { readonly kind: 'result'; readonly result: SignedCommandResult };

export type ServerMessage =
  | { readonly kind: 'challenge'; readonly nonce: string }
  | {
      readonly kind: 'enrolled';
      readonly tenantId: string;
      readonly agentId: string;
      readonly serverPublicKey: string;
    }
  | { readonly kind: 'welcome'; readonly serverTime: number }
  | { readonly kind: 'telemetry-ack'; readonly seq: number }
  /** `command` is a `SignedCommand`; left unknown here because the agent verifies it whole. */
  | { readonly kind: 'command'; readonly command: unknown }
  | { readonly kind: 'result-ack'; readonly commandId: string }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

export function helloSigningBytes(hello: {
  readonly tenantId: string;
  readonly agentId: string;
  readonly challenge: string;
}): Uint8Array {
  return signingBytes(HELLO_SIGNING_LABEL, {
    tenantId: hello.tenantId,
    agentId: hello.agentId,
    challenge: hello.challenge,
  });
}

export type Decoded<T> =
  { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: string };

/** Server side: decodes one frame from an agent. Results are checked by `verifyCommandResult`. */
export function decodeAgentMessage(text: string): Decoded<AgentMessage> {
  return decode(text, (record) => {
    const kind = readString(record, 'kind', { max: 32 });
    switch (kind) {
      case 'enrol':
        return {
          kind,
          token: readString(record, 'token', { max: 512 }),
          publicKey: readString(record, 'publicKey', { max: 64, pattern: /^[A-Za-z0-9_-]{43}$/ }),
          facts: parseHostFacts(record.facts),
        };
      case 'hello':
        return {
          kind,
          tenantId: readString(record, 'tenantId', { pattern: ID_PATTERN }),
          agentId: readString(record, 'agentId', { pattern: ID_PATTERN }),
          challenge: readString(record, 'challenge', { pattern: ID_PATTERN }),
          signature: readString(record, 'signature', { max: 128 }),
        };
      case 'heartbeat':
        return {
          kind,
          sentAt: readInteger(record, 'sentAt', { min: 0, max: Number.MAX_SAFE_INTEGER }),
          facts: parseHostFacts(record.facts),
        };
      case 'telemetry':
        return {
          kind,
          seq: readInteger(record, 'seq', { min: 1, max: Number.MAX_SAFE_INTEGER }),
          events: readArray(record, 'events', MAX_TELEMETRY_BATCH_EVENTS).map((event) =>
            asRecord(event, 'telemetry event'),
          ),
        };
      case 'result':
        asRecord(record.result, 'result');
        return { kind, result: record.result as SignedCommandResult };
      default:
        throw new WireFormatError(`unknown agent message ${JSON.stringify(kind)}`);
    }
  });
}

/** Agent side: decodes one frame from the server. */
export function decodeServerMessage(text: string): Decoded<ServerMessage> {
  return decode(text, (record) => {
    const kind = readString(record, 'kind', { max: 32 });
    switch (kind) {
      case 'challenge':
        return { kind, nonce: readString(record, 'nonce', { pattern: ID_PATTERN }) };
      case 'enrolled':
        return {
          kind,
          tenantId: readString(record, 'tenantId', { pattern: ID_PATTERN }),
          agentId: readString(record, 'agentId', { pattern: ID_PATTERN }),
          serverPublicKey: readString(record, 'serverPublicKey', {
            pattern: /^[A-Za-z0-9_-]{43}$/,
          }),
        };
      case 'welcome':
        return {
          kind,
          serverTime: readInteger(record, 'serverTime', { min: 0, max: Number.MAX_SAFE_INTEGER }),
        };
      case 'telemetry-ack':
        return { kind, seq: readInteger(record, 'seq', { min: 0, max: Number.MAX_SAFE_INTEGER }) };
      case 'command':
        return { kind, command: record.command };
      case 'result-ack':
        return { kind, commandId: readString(record, 'commandId', { pattern: ID_PATTERN }) };
      case 'error':
        return {
          kind,
          code: readString(record, 'code', { max: 64 }),
          message: readString(record, 'message', { max: 1024 }),
        };
      default:
        throw new WireFormatError(`unknown server message ${JSON.stringify(kind)}`);
    }
  });
}

const MAX_FRAME_CHARS = 16 * 1024 * 1024;

function decode<T>(
  text: string,
  read: (record: Readonly<Record<string, unknown>>) => T,
): Decoded<T> {
  if (text.length > MAX_FRAME_CHARS) return { ok: false, error: 'frame too large' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'frame is not JSON' };
  }
  try {
    return { ok: true, message: read(asRecord(value, 'message')) };
  } catch (error) {
    if (error instanceof WireFormatError) return { ok: false, error: error.message };
    throw error;
  }
}
