/**
 * Whether the policy's intent may be carried out without a person. Auto-containment is a weapon
 * if anyone who can send a log line can aim it (issue 13 item 5: twelve forged sshd lines sent
 * with an ingest token isolated a workstation), so an isolation goes ahead at once only when
 *
 * - every host it would isolate is confirmed by the provenance of *every* event behind the
 *   raise — the host's own agent, or a syslog sender bound to that host
 *   (`provenanceConfirmsHost`); one event from elsewhere (an ingest token, an unbound or UDP
 *   sender, a replay, another host's agent) or evidence that could not be read is enough to ask;
 * - and the tenant's automatic isolations in the policy's window stay within its limit.
 *
 * Otherwise each isolation is held for an incident lead, with the reason. The decision is all or
 * nothing for one raise: an incident that would isolate several hosts acts on all or asks for
 * all. Pure: the caller reads the evidence and the recent actions.
 */
import type { EventProvenance } from '../provenance/event-provenance.ts';
import type { ContainmentTargetHost } from '../provenance/event-provenance.ts';
import { describeProvenance, provenanceConfirmsHost } from '../provenance/event-provenance.ts';
import type { AutoIsolationLimit, ContainmentDecision } from './containment-policy.ts';

export interface AutoContainmentTarget extends ContainmentTargetHost {
  /** What the policy's rules say for this host (`containmentDecision`). */
  readonly intent: ContainmentDecision;
}

export interface AutoContainmentInput {
  readonly targets: readonly AutoContainmentTarget[];
  /** Provenance of the events behind the raise; `undefined` for one that could not be read. */
  readonly evidence: readonly (EventProvenance | undefined)[];
  /** Epoch ms of the tenant's earlier automatic isolations (any window; filtered here). */
  readonly recentAutomaticIsolations: readonly number[];
  readonly limit: AutoIsolationLimit;
  readonly now: number;
}

export type AutoContainmentVerdict =
  | { readonly kind: 'act-now'; readonly reason: string }
  | { readonly kind: 'ask-incident-lead'; readonly reason: string }
  | { readonly kind: 'nothing' };

export interface AutoContainmentOutcome {
  readonly target: AutoContainmentTarget;
  readonly verdict: AutoContainmentVerdict;
}

const MAX_NAMED_SOURCES = 3;

export function autoContainmentDecision(input: AutoContainmentInput): AutoContainmentOutcome[] {
  const wanted = input.targets.filter((t) => t.intent.kind === 'isolate');
  const blocker = wanted.length === 0 ? undefined : whyNotAutomatic(input, wanted);
  return input.targets.map((target): AutoContainmentOutcome => {
    const { intent } = target;
    switch (intent.kind) {
      case 'none':
        return { target, verdict: { kind: 'nothing' } };
      case 'request-approval':
        return {
          target,
          verdict: {
            kind: 'ask-incident-lead',
            reason: `the containment policy asks an incident lead for a ${intent.rule.assetRole === 'any' ? 'host' : intent.rule.assetRole} at ${intent.rule.minSeverity} or above`,
          },
        };
      case 'isolate':
        return {
          target,
          verdict:
            blocker === undefined
              ? {
                  kind: 'act-now',
                  reason: `confirmed by its own telemetry (${input.evidence.length} event${input.evidence.length === 1 ? '' : 's'}) and within the automatic isolation limit`,
                }
              : { kind: 'ask-incident-lead', reason: blocker },
        };
    }
  });
}

/** Why the isolations cannot go ahead on their own, or undefined when they can. */
function whyNotAutomatic(
  input: AutoContainmentInput,
  wanted: readonly AutoContainmentTarget[],
): string | undefined {
  if (input.evidence.length === 0)
    return 'no events stand behind the alert, so no host is confirmed by its own telemetry';
  for (const target of wanted) {
    const strangers = input.evidence.filter(
      (p) => p === undefined || !provenanceConfirmsHost(p, target),
    );
    if (strangers.length === 0) continue;
    const sources = [
      ...new Set(
        strangers.map((p) => (p === undefined ? 'an unreadable event' : describeProvenance(p))),
      ),
    ];
    const named = sources.slice(0, MAX_NAMED_SOURCES).join('; ');
    const more =
      sources.length > MAX_NAMED_SOURCES ? ` and ${sources.length - MAX_NAMED_SOURCES} more` : '';
    return `host ${target.host} is not confirmed by the provenance of the events behind the alert: ${strangers.length} of ${input.evidence.length} came from ${named}${more}; only the host's own agent or a syslog sender bound to it can trigger an automatic isolation`;
  }
  const { maxIsolations, windowMinutes } = input.limit;
  const since = input.now - windowMinutes * 60_000;
  const recent = input.recentAutomaticIsolations.filter((at) => at > since).length;
  if (recent + wanted.length > maxIsolations)
    return `the tenant's automatic isolations are limited to ${maxIsolations} per ${windowMinutes} minutes (${recent} already, ${wanted.length} more asked)`;
  return undefined;
}
