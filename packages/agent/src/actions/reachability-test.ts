/**
 * The `reachability-test` action: TCP connect probes from this host, all at once, each bounded by
 * the command's timeout, so a test of 64 probes takes at most one timeout. The agent reports what
 * happened to each probe (connected, refused, blocked by the local firewall, silent, no route);
 * whether that is what a fix should produce is the server's judgement.
 */
import type { ReachabilityTarget } from '@cordon/protocol';
import { probeTcp } from '../isolation/reachability.ts';
import type { ProbeResult } from '../isolation/reachability.ts';

export interface ReachabilityReport {
  readonly probes: readonly (ReachabilityTarget & ProbeResult)[];
}

export async function runReachabilityTest(
  probes: readonly ReachabilityTarget[],
  timeoutMs: number,
): Promise<ReachabilityReport> {
  const results = await Promise.all(
    probes.map(async (p) => ({ ...p, ...(await probeTcp(p.address, p.port, timeoutMs)) })),
  );
  return { probes: results };
}
