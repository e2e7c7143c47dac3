/**
 * Checks that the fixes hold, kept on the incident with the history of their runs:
 *
 * - `rehunt`: the incident's observables (and origins) and the rules that fired, searched and
 *   run over the telemetry since recovery; it passes when nothing is found. The rules page
 *   through the window within a per-run budget: a run that stops short is `incomplete` and may
 *   be resumed from its cursor. It may repeat on a schedule for some days (`schedule`, with the
 *   next run persisted so it survives restarts).
 * - `reachability`: TCP connect probes run by an agent — blocked addresses unreachable, closed
 *   ports closed, service ports open — only towards addresses the tenant documents.
 * - `detection_replay`: the rules that opened the incident re-run over its alerts' events; they
 *   must still fire (nobody weakened the detection).
 *
 * A failing run moves the incident back to `reopens` (an earlier phase) with the reason.
 */
import type { Phase } from '../incidents/incident.ts';
import type { ObservableKind } from '../incidents/incident-records.ts';

export const VERIFICATION_KINDS = ['rehunt', 'reachability', 'detection_replay'] as const;
export type VerificationKind = (typeof VERIFICATION_KINDS)[number];

export const PROBE_EXPECTATIONS = ['open', 'closed', 'unreachable'] as const;
/**
 * `open`: the connection succeeds. `closed`: it does not (refused, dropped, silent).
 * `unreachable`: no packet gets through at all (dropped, silent, no route) — a refusal proves
 * packets flow, so it fails this expectation.
 */
export type ProbeExpectation = (typeof PROBE_EXPECTATIONS)[number];

export interface ReachabilityProbe {
  readonly address: string;
  readonly port: number;
  readonly expect: ProbeExpectation;
}

export type VerificationSpec =
  | {
      readonly kind: 'rehunt';
      /** Observable kinds searched (host names are not indicators: left out by default). */
      readonly observableKinds: readonly ObservableKind[];
      /** Rule ids run again; default: the rules of the incident's alerts. */
      readonly ruleIds: readonly string[];
    }
  | {
      readonly kind: 'reachability';
      /** The agent that runs the probes. */
      readonly agentId: string;
      readonly probes: readonly ReachabilityProbe[];
      readonly timeoutMs: number;
    }
  | { readonly kind: 'detection_replay' };

export interface CheckSchedule {
  readonly intervalMinutes: number;
  /** No runs after this time, epoch ms. */
  readonly untilAt: number;
  /** Null once the schedule is over. */
  readonly nextRunAt: number | null;
}

/**
 * `incomplete`: a re-hunt that ran out of its budget (events or time) before the end of its
 * window; never a pass. Its findings keep the cursor it reached, and a resumed run continues
 * from there.
 */
export const RUN_STATUSES = ['running', 'passed', 'failed', 'incomplete', 'error'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface VerificationCheck {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly title: string;
  readonly spec: VerificationSpec;
  readonly reopens: Phase;
  readonly schedule: CheckSchedule | null;
  /** The status of the latest run; null before the first. */
  readonly lastStatus: RunStatus | null;
  readonly createdBy: string;
  readonly createdAt: number;
}

export interface VerificationRun {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly checkId: string;
  readonly status: RunStatus;
  readonly actor: string;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  /** The telemetry window searched (re-hunt), epoch ms. */
  readonly windowFrom: number | null;
  readonly windowTo: number | null;
  /** What was found or measured: hits, probe outcomes, rules that fired. */
  readonly findings: unknown;
  readonly reason: string | null;
  /** The agent action that runs a reachability test. */
  readonly actionId: string | null;
}

/** Phases a failing check may send the incident back to. */
export const REOPENABLE_PHASES: readonly Phase[] = [
  'identified',
  'contained',
  'analysed',
  'eradicated',
  'recovered',
];

export function defaultReopens(kind: VerificationKind): Phase {
  switch (kind) {
    case 'rehunt':
      // The threat is back or was never gone: analyse again and eradicate.
      return 'analysed';
    case 'reachability':
    case 'detection_replay':
      // A change did not hold: recover again.
      return 'eradicated';
  }
}
