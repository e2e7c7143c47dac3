/**
 * The guard of each phase transition: what must be recorded before an incident may move on.
 * Guards return every unmet condition (not just the first), so the analyst sees the whole
 * list at once. An incident lead may override a failing guard with a written justification.
 */
import type { ClosureReason, Incident, Phase } from './incident.ts';
import { PHASES, phaseIndex } from './incident.ts';
import type { IncidentTask } from './incident-task.ts';
import { eradicationUnmet } from '../eradication/eradication-steps.ts';
import type { EradicationActionStep } from '../eradication/eradication-steps.ts';
import type { PendingContainment } from '../containment/pending-containment.ts';

export interface TransitionRequest {
  readonly to: Phase;
  readonly closureReason?: ClosureReason;
  readonly duplicateOf?: string;
}

export interface GuardContext {
  readonly incident: Incident;
  readonly tasks: readonly IncidentTask[];
  /** The incident's containment still under way or failed (the *contained* guard reads it). */
  readonly pendingContainment?: PendingContainment;
  /** The incident's agent actions with their waivers (the eradicated guard counts its own). */
  readonly eradicationActions?: readonly EradicationActionStep[];
  /** Recovery records (change records, isolations still in force, failed restores). */
  readonly recovery?: {
    readonly changeRecords: number;
    readonly isolationsInForce: number;
    readonly failedRestores: number;
  };
  /** The incident's verification checks with their latest result. */
  readonly verificationChecks?: readonly {
    readonly title: string;
    readonly lastStatus: string | null;
  }[];
  /** Whether a closing review (lessons learned) is recorded. */
  readonly closingReview?: boolean;
}

export type TransitionCheck =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'guarded'; readonly unmet: readonly string[] };

function tasksOf(context: GuardContext, phase: Phase): readonly IncidentTask[] {
  return context.tasks.filter((t) => t.phase === phase);
}

function checklist(context: GuardContext, phase: Phase, what: string): string[] {
  const tasks = tasksOf(context, phase);
  if (tasks.length === 0) return [`no ${what} recorded`];
  const open = tasks.filter((t) => t.status !== 'done');
  return open.length === 0 ? [] : [`${open.length} of ${tasks.length} ${what} not done`];
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function pendingContainmentUnmet(pending: PendingContainment | undefined): string[] {
  if (!pending) return [];
  const unmet: string[] = [];
  if (pending.inFlight > 0)
    unmet.push(
      `${count(pending.inFlight, 'containment action is', 'containment actions are')} not yet applied (requested, approved or sent): approve them, or wait for the agent's report`,
    );
  if (pending.failed > 0)
    unmet.push(
      `${count(pending.failed, 'containment action', 'containment actions')} failed with nothing applied in its place: retry it, or record why not`,
    );
  if (pending.awaitingFailover > 0)
    unmet.push(
      `${count(pending.awaitingFailover, 'containment decision waits', 'containment decisions wait')} for its failover to be confirmed before the isolation is sent`,
    );
  return unmet;
}

/** Conditions for entering `to` from the phase before it. */
function unmetFor(to: Phase, context: GuardContext, request: TransitionRequest): string[] {
  const { incident } = context;
  switch (to) {
    case 'detected':
      return [];
    case 'identified': {
      // Each line names the fact and where it comes from, so the analyst knows what to do.
      const unmet: string[] = [];
      if (incident.affectedAssets.length === 0)
        unmet.push(
          'no affected assets recorded: no alert of the incident names a host, and none was added (identification: add an asset)',
        );
      const techniques = incident.attackTechniques.filter((t) => /^T\d{4}/i.test(t));
      if (incident.attackTechniques.length === 0)
        unmet.push(
          'no attack type (ATT&CK technique) recorded: no rule of the incident carries an attack.tNNNN tag, and none was added (identification: add a technique)',
        );
      else if (techniques.length === 0)
        unmet.push(
          `only ATT&CK tactics recorded (${incident.attackTechniques.join(', ')}), no technique: add the technique (identification: add a technique)`,
        );
      if (incident.origins.length === 0)
        unmet.push(
          'no origin recorded: no alert of the incident has a source address, and none was added (identification: add an origin)',
        );
      return unmet;
    }
    case 'contained': {
      const unmet: string[] = [];
      if (!incident.containmentNote) {
        unmet.push('no containment record (what was contained, or why not)');
      }
      return [...unmet, ...pendingContainmentUnmet(context.pendingContainment)];
    }
    case 'analysed': {
      const unmet: string[] = [];
      if (!incident.rootCause) unmet.push('no root cause recorded');
      if (!incident.scope) unmet.push('no scope recorded');
      return unmet;
    }
    case 'eradicated':
      return eradicationUnmet(context.tasks, context.eradicationActions ?? []);
    case 'recovered': {
      const unmet = checklist(context, 'recovered', 'return-to-service checklist items');
      const recovery = context.recovery;
      if (recovery) {
        if (recovery.changeRecords === 0)
          unmet.push('no change record (what was changed so that it does not happen again)');
        if (recovery.failedRestores > 0)
          unmet.push(`${recovery.failedRestores} restores failed (retry them)`);
        if (recovery.isolationsInForce > 0)
          unmet.push(`${recovery.isolationsInForce} hosts still isolated (release containment)`);
      }
      return unmet;
    }
    case 'verified': {
      const checks = context.verificationChecks ?? [];
      if (checks.length === 0) return checklist(context, 'verified', 'verification checks');
      const tasks = tasksOf(context, 'verified');
      const open = tasks.filter((t) => t.status !== 'done').length;
      return [
        ...(open > 0 ? [`${open} of ${tasks.length} verification tasks not done`] : []),
        ...checks
          .filter((c) => c.lastStatus !== 'passed')
          .map((c) => `check "${c.title}" ${c.lastStatus === null ? 'not run' : c.lastStatus}`),
      ];
    }
    case 'closed': {
      const unmet: string[] = [];
      if (
        request.closureReason === 'resolved' &&
        !incident.lessonsLearned &&
        context.closingReview !== true
      ) {
        unmet.push('no lessons learned recorded');
      }
      return unmet;
    }
  }
}

export function checkTransition(
  context: GuardContext,
  request: TransitionRequest,
): TransitionCheck {
  const from = context.incident.phase;
  const to = request.to;
  if (from === 'closed') return { kind: 'invalid', reason: 'the incident is closed' };
  if (to === 'closed') {
    if (!request.closureReason) {
      return {
        kind: 'invalid',
        reason: 'closing needs a closure reason (resolved, false_positive, duplicate)',
      };
    }
    if (request.closureReason === 'duplicate' && !request.duplicateOf) {
      return { kind: 'invalid', reason: 'a duplicate needs the id of the incident it duplicates' };
    }
    // False positives and duplicates close from any phase; a resolved incident goes through them all.
    if (request.closureReason !== 'resolved') return { kind: 'allowed' };
    if (from !== 'verified') {
      return {
        kind: 'guarded',
        unmet: [
          `a resolved incident is closed from verified, not ${from}`,
          ...unmetFor('closed', context, request),
        ],
      };
    }
  } else if (phaseIndex(to) !== phaseIndex(from) + 1) {
    const next = PHASES[phaseIndex(from) + 1];
    return {
      kind: 'invalid',
      reason: `an incident in ${from} moves to ${next ?? 'nothing'}, not to ${to}`,
    };
  }
  const unmet = unmetFor(to, context, request);
  return unmet.length === 0 ? { kind: 'allowed' } : { kind: 'guarded', unmet };
}
