/**
 * Judges the outcomes an agent reported for reachability probes against what was expected.
 * The agent reports what happened (`connected`, `refused`, `blocked`, `timeout`, `unreachable`,
 * `error`); whether that is what the fix should produce is decided here, on the server.
 */
import type { ProbeExpectation, ReachabilityProbe } from './verification-check.ts';

export interface ProbeFinding extends ReachabilityProbe {
  readonly outcome: string;
  readonly passed: boolean;
}

export function probeMeetsExpectation(expect: ProbeExpectation, outcome: string): boolean {
  switch (expect) {
    case 'open':
      return outcome === 'connected';
    case 'closed':
      return (
        outcome === 'refused' ||
        outcome === 'blocked' ||
        outcome === 'timeout' ||
        outcome === 'unreachable'
      );
    case 'unreachable':
      return outcome === 'blocked' || outcome === 'timeout' || outcome === 'unreachable';
  }
}

export function judgeProbes(
  probes: readonly ReachabilityProbe[],
  reported: readonly {
    readonly address: string;
    readonly port: number;
    readonly outcome: string;
  }[],
): ProbeFinding[] {
  return probes.map((probe) => {
    const match = reported.find((r) => r.address === probe.address && r.port === probe.port);
    const outcome = match?.outcome ?? 'missing';
    return { ...probe, outcome, passed: probeMeetsExpectation(probe.expect, outcome) };
  });
}
