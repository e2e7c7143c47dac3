/**
 * Moving an incident back to an earlier phase because a verification check failed: the phase
 * times of the phases after it are dropped (they are entered again, and the metrics measure
 * the recovery that held), the move is kept as a transition with the reason, and journalled.
 * Done inside the caller's transaction.
 */
import type { Incident, Phase } from '../incidents/incident.ts';
import { PHASES, phaseIndex } from '../incidents/incident.ts';
import type { TenantScope } from '../ports/store.ts';

export async function reopenPhase(
  scope: TenantScope,
  incident: Incident,
  options: {
    readonly to: Phase;
    readonly reason: string;
    readonly actor: string;
    readonly now: number;
    readonly checkId: string;
    readonly runId: string;
  },
): Promise<boolean> {
  if (incident.phase === 'closed') return false;
  if (phaseIndex(options.to) >= phaseIndex(incident.phase)) return false;
  const phaseTimes = Object.fromEntries(
    PHASES.slice(0, phaseIndex(options.to) + 1).flatMap((p) => {
      const at = incident.phaseTimes[p];
      return at === undefined ? [] : [[p, at]];
    }),
  );
  await scope.incidents.update(incident.id, {
    phase: options.to,
    phaseTimes,
    updatedAt: options.now,
  });
  await scope.transitions.insert({
    tenantId: scope.tenantId,
    incidentId: incident.id,
    from: incident.phase,
    to: options.to,
    at: options.now,
    actor: options.actor,
    overrideJustification: null,
    unmetConditions: [options.reason],
  });
  await scope.journal.append({
    actor: options.actor,
    kind: 'incident.phase_reopened',
    incidentId: incident.id,
    payload: {
      from: incident.phase,
      to: options.to,
      reason: options.reason,
      checkId: options.checkId,
      runId: options.runId,
    },
  });
  return true;
}
