/**
 * TCP reachability probe. The outcome distinguishes "refused" (a RST came back, so packets do
 * flow) from "blocked" (our own output hook dropped the SYN: EPERM) and from silence: for a
 * forbidden target only the last two prove isolation.
 *
 * With isolation on, an IPv4 probe fails in about a millisecond (our output chain rejects with
 * an ICMP error delivered locally). IPv6 errors to a non-loopback address are rate-limited by
 * the kernel (net.ipv6.icmp.ratelimit, 1 s), so repeated IPv6 probes may end in a timeout
 * instead: still a proof, only slower.
 */
import { connect } from 'node:net';

export type ProbeOutcome =
  'connected' | 'refused' | 'blocked' | 'timeout' | 'unreachable' | 'error';

export interface ProbeResult {
  readonly outcome: ProbeOutcome;
  readonly detail: string;
  readonly elapsedMs: number;
}

export function probeTcp(address: string, port: number, timeoutMs = 2000): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const finish = (outcome: ProbeOutcome, detail: string): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ outcome, detail, elapsedMs: Math.round(performance.now() - started) });
    };
    const timer = setTimeout(
      () => finish('timeout', `no answer within ${timeoutMs} ms`),
      timeoutMs,
    );
    socket.once('connect', () => finish('connected', 'connected'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      switch (error.code) {
        case 'ECONNREFUSED':
          finish('refused', 'connection refused');
          break;
        case 'EPERM':
        case 'EACCES':
          finish('blocked', `${error.code}: dropped by the local firewall`);
          break;
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
          finish('unreachable', error.code);
          break;
        default:
          finish('error', error.message);
      }
    });
  });
}

/** Whether a probe result proves that traffic to the target does not flow. */
export function provesUnreachable(result: ProbeResult): boolean {
  return (
    result.outcome === 'blocked' || result.outcome === 'timeout' || result.outcome === 'unreachable'
  );
}
