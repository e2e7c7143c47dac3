/**
 * The provenance of a syslog record: the listener, the transport, the sender's address, how the
 * tenant was chosen (the listener's own tenant takes records from anyone; a `--syslog-map` route
 * binds the sender's address to the tenant), and the hosts the sender is bound to
 * (`--syslog-host`) in that tenant. UDP senders are marked spoofable, and their host binding
 * confirms nothing unless the operator opted in (`--syslog-udp-confirms-hosts`, documented as
 * weaker). Built per address and cached (bounded), like the tenant routes.
 */
import type { EventProvenance } from '@cordon/core';
import { parseIpAddress } from '@cordon/protocol';
import type { SyslogListenerSpec } from './listener-spec.ts';

/** A host binding with its tenant resolved to an id. */
export interface ResolvedHostBinding {
  readonly address: string;
  readonly tenantId: string;
  readonly hosts: readonly string[];
}

const CACHE_LIMIT = 10_000;

/** What a listener needs to build it once bound. */
export interface SenderBindingOptions {
  readonly hostBindings: readonly ResolvedHostBinding[];
  readonly udpConfirmsHosts: boolean;
}

export class SenderProvenance {
  readonly #spec: SyslogListenerSpec;
  readonly #port: () => number;
  #listener: string | undefined;
  readonly #bindings: readonly ResolvedHostBinding[];
  readonly #udpConfirms: boolean;
  readonly #cache = new Map<string, EventProvenance>();

  constructor(options: {
    readonly spec: SyslogListenerSpec;
    /** The bound port, read at the first record (for port 0: the one picked once bound). */
    readonly port: () => number;
    readonly bindings: readonly ResolvedHostBinding[];
    readonly udpConfirmsHosts: boolean;
  }) {
    this.#spec = options.spec;
    this.#port = options.port;
    this.#bindings = options.bindings;
    this.#udpConfirms = options.udpConfirmsHosts;
  }

  of(tenantId: string, senderAddress: string | undefined): EventProvenance {
    const key = `${tenantId}\u0000${senderAddress ?? ''}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const { transport, host } = this.#spec;
    this.#listener ??= `${host.includes(':') ? `[${host}]` : host}:${this.#port()}`;
    const address =
      senderAddress === undefined
        ? undefined
        : parseIpAddress(
            senderAddress.startsWith('::ffff:') ? senderAddress.slice(7) : senderAddress,
          )?.address;
    const boundHosts = this.#bindings
      .filter((b) => b.tenantId === tenantId && address !== undefined && b.address === address)
      .flatMap((b) => b.hosts);
    const provenance: EventProvenance = Object.freeze({
      kind: 'syslog',
      listener: this.#listener,
      transport,
      senderAddress: senderAddress ?? null,
      spoofable: transport === 'udp',
      tenantBinding: this.#spec.tenant === undefined ? 'sender' : 'listener',
      boundHosts,
      bindingConfirms: boundHosts.length > 0 && (transport !== 'udp' || this.#udpConfirms),
    });
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
    this.#cache.set(key, provenance);
    return provenance;
  }
}
