/**
 * Where a stored event came from, as the server saw it arrive — not what the event says about
 * itself. Every source sets it (HTTP bulk, syslog listeners, agent telemetry, dead-letter
 * replay); it is stored beside the event, never inside it, so a record cannot forge its own.
 * Automatic containment reads it to tell a host's own testimony (its agent, a syslog sender
 * bound to it) from anyone who can send a log line naming that host (`provenanceConfirmsHost`).
 */

export const PROVENANCE_KINDS = ['agent', 'syslog', 'http', 'replay', 'unrecorded'] as const;
export type ProvenanceKind = (typeof PROVENANCE_KINDS)[number];

export type SyslogTransportKind = 'udp' | 'tcp' | 'tls';

export type EventProvenance =
  /** Telemetry an enrolled agent sent over its authenticated gateway connection. */
  | {
      readonly kind: 'agent';
      readonly agentId: string;
      /** The agent's host name in the registry when the telemetry arrived (for people). */
      readonly host: string | null;
    }
  | {
      readonly kind: 'syslog';
      /** The listener's address, `host:port`. */
      readonly listener: string;
      readonly transport: SyslogTransportKind;
      readonly senderAddress: string | null;
      /** UDP: the sender address is whatever the datagram claims. */
      readonly spoofable: boolean;
      /** `listener`: the listener takes one tenant from anyone; `sender`: the address is routed to it. */
      readonly tenantBinding: 'listener' | 'sender';
      /** Hosts the sender address is bound to in the configuration (`--syslog-host`). */
      readonly boundHosts: readonly string[];
      /**
       * Whether those bindings confirm a host: always for TCP/TLS; for UDP only when the
       * operator said so (`--syslog-udp-confirms-hosts`), knowing an address can be forged.
       */
      readonly bindingConfirms: boolean;
    }
  /** HTTP bulk ingest: `credential` is what authenticated the request, `id` its token/user id. */
  | {
      readonly kind: 'http';
      readonly credential: 'token' | 'session' | 'system';
      readonly id: string;
    }
  /** Parsed again from a dead letter; the original arrival is the letter's `source`. */
  | { readonly kind: 'replay'; readonly deadLetterId: string; readonly source: string }
  /** Stored before provenance was recorded (or by a caller that gave none). */
  | { readonly kind: 'unrecorded' };

export const UNRECORDED_PROVENANCE: EventProvenance = Object.freeze({ kind: 'unrecorded' });

/** A host the policy would isolate: its name in the alert and the agent that would do it. */
export interface ContainmentTargetHost {
  readonly host: string;
  readonly agentId: string;
}

const sameHost = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * True when this provenance is the target host's own testimony: telemetry of the very agent
 * that would isolate it, or a syslog sender bound to that host whose binding confirms.
 */
export function provenanceConfirmsHost(
  provenance: EventProvenance,
  target: ContainmentTargetHost,
): boolean {
  switch (provenance.kind) {
    case 'agent':
      return provenance.agentId === target.agentId;
    case 'syslog':
      return (
        provenance.bindingConfirms && provenance.boundHosts.some((h) => sameHost(h, target.host))
      );
    case 'http':
    case 'replay':
    case 'unrecorded':
      return false;
  }
}

/** A short phrase for reasons and logs: "ingest token t1", "UDP syslog from 198.18.0.9". */
export function describeProvenance(provenance: EventProvenance): string {
  switch (provenance.kind) {
    case 'agent':
      return `agent ${provenance.agentId}${provenance.host === null ? '' : ` of ${provenance.host}`}`;
    case 'syslog':
      return `${provenance.transport.toUpperCase()} syslog from ${provenance.senderAddress ?? 'an unknown sender'}${
        provenance.boundHosts.length > 0 ? ` (bound to ${provenance.boundHosts.join(', ')})` : ''
      }`;
    case 'http':
      return provenance.credential === 'token'
        ? `ingest token ${provenance.id}`
        : `HTTP ingest by ${provenance.credential} ${provenance.id}`;
    case 'replay':
      return `replay of dead letter ${provenance.deadLetterId}`;
    case 'unrecorded':
      return 'an unrecorded source';
  }
}

/** Reads a stored provenance back; anything unreadable is `unrecorded` (never trusted). */
export function parseEventProvenance(value: unknown): EventProvenance {
  if (typeof value !== 'object' || value === null) return UNRECORDED_PROVENANCE;
  const p = value as Record<string, unknown>;
  const text = (v: unknown): v is string => typeof v === 'string';
  switch (p['kind']) {
    case 'agent':
      return text(p['agentId'])
        ? { kind: 'agent', agentId: p['agentId'], host: text(p['host']) ? p['host'] : null }
        : UNRECORDED_PROVENANCE;
    case 'syslog': {
      const transport = p['transport'];
      if (
        !text(p['listener']) ||
        (transport !== 'udp' && transport !== 'tcp' && transport !== 'tls')
      )
        return UNRECORDED_PROVENANCE;
      const bound = Array.isArray(p['boundHosts']) ? p['boundHosts'].filter(text) : [];
      return {
        kind: 'syslog',
        listener: p['listener'],
        transport,
        senderAddress: text(p['senderAddress']) ? p['senderAddress'] : null,
        spoofable: p['spoofable'] !== false,
        tenantBinding: p['tenantBinding'] === 'sender' ? 'sender' : 'listener',
        boundHosts: bound,
        bindingConfirms: p['bindingConfirms'] === true,
      };
    }
    case 'http': {
      const credential = p['credential'];
      return text(p['id']) &&
        (credential === 'token' || credential === 'session' || credential === 'system')
        ? { kind: 'http', credential, id: p['id'] }
        : UNRECORDED_PROVENANCE;
    }
    case 'replay':
      return text(p['deadLetterId']) && text(p['source'])
        ? { kind: 'replay', deadLetterId: p['deadLetterId'], source: p['source'] }
        : UNRECORDED_PROVENANCE;
    default:
      return UNRECORDED_PROVENANCE;
  }
}
