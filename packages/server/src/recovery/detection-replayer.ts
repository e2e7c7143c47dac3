/**
 * `DetectionReplay` on the server's detection: a fresh `TenantMatcher` over the server's
 * compiled rules and the tenant's runnable rules and exclusions as live detection holds them
 * now, fed the stored events in order. Fresh for each replay or session, so correlation windows
 * start empty and a replay never disturbs live state; a session keeps its matcher, so a
 * correlation spans the pages it is fed. Runs on the calling thread: replays are bounded (the
 * verification limits) and the Sigma matchers are linear-time by construction.
 */
import type { DetectionReplay, ReplaySession, ReplayedDetection, StoredEvent } from '@cordon/core';
import type { IngestEvent } from '@cordon/ingest';
import type { DetectionService } from '../detection/detection.service.ts';
import type { ServerRuleSet } from '../detection/server-rule-set.ts';
import { TenantMatcher } from '../detection/tenant-matcher.ts';

export function detectionReplayer(options: {
  readonly rules: ServerRuleSet;
  readonly detection: Pick<DetectionService, 'tenantRules'>;
  readonly now: () => number;
}): DetectionReplay {
  const session = async (tenantId: string): Promise<ReplaySession> => {
    const { yamls, exclusions } = await options.detection.tenantRules(tenantId);
    const matcher = new TenantMatcher({
      server: options.rules,
      fingerprint: 'replay',
      yamls,
      // Every level: the question is whether the rule fires, not whether it would alert.
      alertMinLevel: 'informational',
      maxCorrelationEntries: 100_000,
    });
    matcher.exclusions = exclusions;
    return {
      feed: (events: readonly StoredEvent[]): ReplayedDetection[] => {
        const out: ReplayedDetection[] = [];
        for (let i = 0; i < events.length; i += 500) {
          const batch = events
            .slice(i, i + 500)
            .map((e) => ({ id: e.id, event: e.event as unknown as IngestEvent }));
          for (const d of matcher.match(batch, options.now()).detections)
            out.push({ ruleId: d.ruleId, ruleTitle: d.ruleTitle, eventIds: d.eventIds });
        }
        return out;
      },
    };
  };
  return {
    session,
    replay: async (tenantId, events) => (await session(tenantId)).feed(events),
  };
}
