/**
 * The deadlines an incident's latest determination starts, from the regimes it names. Pure:
 * computed on each read and by the scheduler, so a corrected determination or a late notice
 * shows at once.
 */
import type { BusinessCalendar } from './business-calendar.ts';
import { addDuration } from './business-time.ts';
import type { RegulatoryRegime, RegulatoryTrigger } from './regulatory-regime.ts';
import type { RegulatoryNotice, ReportabilityDetermination } from './reportability.ts';

/** `pending`: no trigger has happened yet (no payment, the earlier notice not sent). */
export type DeadlineState = 'pending' | 'open' | 'near' | 'missed' | 'met' | 'late';

export interface RegulatoryDeadline {
  readonly regimeId: string;
  readonly obligationId: string;
  readonly title: string;
  readonly recipient: string;
  readonly startedAt: number | null;
  readonly dueAt: number | null;
  readonly noticeSentAt: number | null;
  readonly state: DeadlineState;
}

export const DEFAULT_NEAR_SHARE = 0.75;

export function regulatoryDeadlines(options: {
  readonly determination: ReportabilityDetermination | undefined;
  readonly regimes: readonly RegulatoryRegime[];
  readonly notices: readonly RegulatoryNotice[];
  readonly calendar: BusinessCalendar;
  readonly nearShare: number;
  readonly now: number;
}): RegulatoryDeadline[] {
  const { determination, notices, now } = options;
  if (!determination?.reportable) return [];
  const deadlines: RegulatoryDeadline[] = [];
  for (const regime of options.regimes) {
    if (!determination.regimes.includes(regime.id)) continue;
    const sentAt = (obligation: string): number | null => {
      const times = notices
        .filter((n) => n.regimeId === regime.id && n.obligationId === obligation)
        .map((n) => n.sentAt);
      return times.length === 0 ? null : Math.min(...times);
    };
    const triggerAt = (trigger: RegulatoryTrigger): number | null => {
      switch (trigger.kind) {
        case 'awareness':
          return determination.awarenessAt;
        case 'determination':
          return determination.determinedAt;
        case 'payment':
          return determination.paymentAt;
        case 'notice_sent':
          return sentAt(trigger.obligation);
      }
    };
    for (const obligation of regime.obligations) {
      let startedAt: number | null = null;
      let dueAt: number | null = null;
      for (const limit of obligation.limits) {
        const from = triggerAt(limit.trigger);
        if (from === null) continue;
        const due = addDuration(options.calendar, from, limit.within);
        if (dueAt === null || due < dueAt) [startedAt, dueAt] = [from, due];
      }
      const noticeSentAt = sentAt(obligation.id);
      deadlines.push({
        regimeId: regime.id,
        obligationId: obligation.id,
        title: obligation.title,
        recipient: obligation.recipient,
        startedAt,
        dueAt,
        noticeSentAt,
        state: stateOf({ startedAt, dueAt, noticeSentAt, now, nearShare: options.nearShare }),
      });
    }
  }
  return deadlines;
}

function stateOf(facts: {
  readonly startedAt: number | null;
  readonly dueAt: number | null;
  readonly noticeSentAt: number | null;
  readonly now: number;
  readonly nearShare: number;
}): DeadlineState {
  const { startedAt, dueAt, noticeSentAt, now } = facts;
  if (noticeSentAt !== null) return dueAt !== null && noticeSentAt > dueAt ? 'late' : 'met';
  if (startedAt === null || dueAt === null) return 'pending';
  if (now > dueAt) return 'missed';
  return now >= startedAt + (dueAt - startedAt) * facts.nearShare ? 'near' : 'open';
}
