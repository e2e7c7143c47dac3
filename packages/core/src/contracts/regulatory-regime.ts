/**
 * A notification regime: whom an incident must be reported to, and by when. Each obligation's
 * deadline is the earliest of its limits whose trigger has happened: awareness of the incident,
 * the recorded reportability determination, a ransom payment, or the sending of an earlier
 * notice of the same regime (NIS2's final report counts from the incident notification).
 */
import { invalidInput } from '../errors/cordon-error.ts';
import type { CalendarDuration } from './business-time.ts';

export type RegulatoryTrigger =
  | { readonly kind: 'awareness' }
  | { readonly kind: 'determination' }
  | { readonly kind: 'payment' }
  | { readonly kind: 'notice_sent'; readonly obligation: string };

export interface DeadlineLimit {
  readonly trigger: RegulatoryTrigger;
  readonly within: CalendarDuration;
}

export interface RegulatoryObligation {
  readonly id: string;
  readonly title: string;
  readonly recipient: string;
  readonly limits: readonly DeadlineLimit[];
}

export interface RegulatoryRegime {
  readonly id: string;
  readonly title: string;
  readonly jurisdiction: string;
  /** The legal text the deadlines come from. */
  readonly reference: string;
  readonly obligations: readonly RegulatoryObligation[];
  /** What a tenant should check (e.g. a window set by its agreements, not by law). */
  readonly note?: string;
}

const ID = /^[a-z0-9][a-z0-9-]{0,47}$/;
const MAX_OBLIGATIONS = 10;
const MAX_LIMITS = 4;
const MAX_TEXT = 300;

const text = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT)
    throw invalidInput(`${what}: text of 1 to ${MAX_TEXT} characters`);
  return value;
};

const MAX_AMOUNT: Readonly<Record<CalendarDuration['kind'], number>> = {
  hours: 24 * 400,
  days: 400,
  months: 13,
  business_days: 260,
};

function checkDuration(duration: CalendarDuration, where: string): void {
  const amount =
    duration.kind === 'hours'
      ? duration.hours
      : duration.kind === 'months'
        ? duration.months
        : duration.days;
  const max = MAX_AMOUNT[duration.kind] as number | undefined;
  if (max === undefined) throw invalidInput(`${where}: unknown duration kind`);
  if (!Number.isInteger(amount) || amount < 1 || amount > max)
    throw invalidInput(`${where}: ${duration.kind} must be a whole number from 1 to ${max}`);
}

/** Checks a tenant-written regime (state breach laws, a card-brand window) like the catalogue's. */
export function checkRegime(regime: RegulatoryRegime): RegulatoryRegime {
  if (typeof regime.id !== 'string' || !ID.test(regime.id))
    throw invalidInput(
      `regime id ${JSON.stringify(regime.id)}: lower-case letters, digits, dashes`,
    );
  text(regime.title, `${regime.id}.title`);
  text(regime.jurisdiction, `${regime.id}.jurisdiction`);
  text(regime.reference, `${regime.id}.reference`);
  if (regime.obligations.length === 0 || regime.obligations.length > MAX_OBLIGATIONS)
    throw invalidInput(`${regime.id}: 1 to ${MAX_OBLIGATIONS} obligations`);
  const ids = new Set<string>();
  for (const obligation of regime.obligations) {
    const where = `${regime.id}.${obligation.id}`;
    if (!ID.test(obligation.id) || ids.has(obligation.id))
      throw invalidInput(`${where}: a unique id of lower-case letters, digits, dashes`);
    ids.add(obligation.id);
    text(obligation.title, `${where}.title`);
    text(obligation.recipient, `${where}.recipient`);
    if (obligation.limits.length === 0 || obligation.limits.length > MAX_LIMITS)
      throw invalidInput(`${where}: 1 to ${MAX_LIMITS} limits`);
    for (const limit of obligation.limits) {
      checkDuration(limit.within, where);
      const trigger = limit.trigger;
      if (
        trigger.kind === 'notice_sent' &&
        !regime.obligations.some((o) => o.id === trigger.obligation && o.id !== obligation.id)
      )
        throw invalidInput(`${where}: counts from an unknown obligation ${trigger.obligation}`);
    }
  }
  return regime;
}
