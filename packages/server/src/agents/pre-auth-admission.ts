/**
 * What a peer may do on the agent gateway before it has authenticated (issue 13 item 12: the
 * gateway parsed 9 MB frames from anyone who connected). `ws` fixes `maxPayload` per server at
 * the upgrade, so it cannot be small before authentication and large after; instead the raw
 * socket's bytes are counted until the peer is authenticated, and the connection is cut once
 * they pass `maxBytes` (ws holds at most one more socket read beyond that, and never parses a
 * frame it has not received whole). Also bounded: the time to authenticate, and how many
 * unauthenticated connections there are, in all and per remote address (an upgrade beyond
 * either is answered 503 before ws sees it). The protocol needs one frame before `welcome`
 * (`enrol` or `hello`); the gateway refuses a second, so no message rate is needed here.
 * No agent change is needed: an honest agent sends well under 2 KiB before `welcome`.
 */
import type { Duplex } from 'node:stream';

export interface PreAuthLimits {
  /** Bytes (frames and their headers) a peer may send before it has authenticated. */
  readonly maxBytes: number;
  /** Time from the upgrade to authentication. */
  readonly timeoutMs: number;
  /** Unauthenticated connections at once, from everyone. */
  readonly maxPending: number;
  /** Unauthenticated connections at once from one remote address. */
  readonly maxPendingPerAddress: number;
}

export const DEFAULT_PRE_AUTH_LIMITS: PreAuthLimits = {
  maxBytes: 64 * 1024,
  timeoutMs: 10_000,
  maxPending: 256,
  maxPendingPerAddress: 32,
};

/** One unauthenticated connection's budget; `authenticated()` lifts it. */
export interface PreAuthTicket {
  authenticated(): void;
}

export class PreAuthAdmission {
  readonly #limits: PreAuthLimits;
  #pending = 0;
  readonly #byAddress = new Map<string, number>();

  constructor(limits: PreAuthLimits) {
    this.#limits = limits;
  }

  get pending(): number {
    return this.#pending;
  }

  /**
   * Admits a socket that is about to be upgraded; undefined when either limit on
   * unauthenticated connections is reached. Call it in the tick that hands the socket to ws:
   * the bytes read past the upgrade request (`head`) are pushed back into the socket by ws and
   * counted here as they come out again.
   */
  admit(socket: Duplex, address: string): PreAuthTicket | undefined {
    const fromAddress = this.#byAddress.get(address) ?? 0;
    if (this.#pending >= this.#limits.maxPending) return undefined;
    if (fromAddress >= this.#limits.maxPendingPerAddress) return undefined;
    this.#pending += 1;
    this.#byAddress.set(address, fromAddress + 1);
    let received = 0;
    let open = true;
    const release = (): void => {
      if (!open) return;
      open = false;
      clearTimeout(timer);
      socket.off('data', count);
      socket.off('close', release);
      this.#pending -= 1;
      const left = (this.#byAddress.get(address) ?? 1) - 1;
      if (left === 0) this.#byAddress.delete(address);
      else this.#byAddress.set(address, left);
    };
    const cut = (): void => {
      release();
      socket.destroy();
    };
    const count = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > this.#limits.maxBytes) cut();
    };
    const timer = setTimeout(cut, this.#limits.timeoutMs);
    timer.unref();
    // Registered before ws's own listener, so a chunk over the budget is seen here first.
    socket.on('data', count);
    socket.once('close', release);
    return { authenticated: release };
  }
}
