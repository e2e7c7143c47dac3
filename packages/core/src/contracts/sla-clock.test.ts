import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../incidents/incident.ts';
import { parseBusinessCalendar } from './business-calendar.ts';
import type { PauseSpan } from './paused-time.ts';
import { slaClocks } from './sla-clock.ts';
import { parseSlaTerms } from './sla-terms.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const at = (zone: string, iso: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const berlinAt = (iso: string): number => at('Europe/Berlin', iso);
const berlin = parseBusinessCalendar({ timeZone: 'Europe/Berlin' });
const terms = parseSlaTerms({
  targets: { high: { acknowledge: 60, contain: 240, resolve: 960 }, critical: { acknowledge: 30 } },
});

function incident(createdAt: number, changes: Partial<Incident> = {}): Incident {
  return {
    id: 'i1',
    tenantId: 't1',
    number: 1,
    title: 'x',
    summary: '',
    severity: 'high',
    phase: 'detected',
    assigneeUserId: null,
    affectedAssets: [],
    attackTechniques: [],
    origins: [],
    containmentNote: null,
    rootCause: null,
    scope: null,
    lessonsLearned: null,
    closureReason: null,
    duplicateOf: null,
    firstActivityAt: null,
    phaseTimes: { detected: createdAt },
    acknowledgedAt: null,
    createdAt,
    updatedAt: createdAt,
    ...changes,
  };
}

const clock = (
  subject: Incident,
  now: number,
  metric: string,
  pauses: PauseSpan[] = [],
  calendar = berlin,
) => {
  const found = slaClocks({ incident: subject, terms, calendar, pauses, now }).find(
    (c) => c.metric === metric,
  );
  if (!found) throw new Error(`no ${metric} clock`);
  return found;
};

describe('SLA clocks in business hours (Europe/Berlin), over the spring-forward weekend', () => {
  const opened = incident(berlinAt('2026-03-27T16:30'));

  it('runs, then is at risk, then breached, with the due time in CEST', () => {
    const friday = clock(opened, berlinAt('2026-03-27T17:00'), 'acknowledge');
    expect(friday).toMatchObject({ state: 'running', elapsedMs: 30 * MIN, remainingMs: 30 * MIN });
    expect(friday.dueAt).toBe(berlinAt('2026-03-30T09:30'));
    expect(friday.atRiskAt).toBe(berlinAt('2026-03-30T09:15'));
    // The weekend does not count.
    expect(clock(opened, berlinAt('2026-03-30T08:59'), 'acknowledge').state).toBe('running');
    expect(clock(opened, berlinAt('2026-03-30T09:20'), 'acknowledge').state).toBe('at_risk');
    const late = clock(opened, berlinAt('2026-03-30T09:31'), 'acknowledge');
    expect(late).toMatchObject({ state: 'breached', remainingMs: -MIN });
  });

  it('stops when the incident is acknowledged: in time is met, late is missed', () => {
    const soon = incident(opened.createdAt, { acknowledgedAt: berlinAt('2026-03-30T09:10') });
    expect(clock(soon, berlinAt('2026-04-02T12:00'), 'acknowledge')).toMatchObject({
      state: 'met',
      elapsedMs: 40 * MIN,
    });
    const slow = incident(opened.createdAt, { acknowledgedAt: berlinAt('2026-03-30T10:00') });
    expect(clock(slow, berlinAt('2026-04-02T12:00'), 'acknowledge').state).toBe('missed');
  });

  it('stops contain at any later phase (closed as a false positive)', () => {
    const closed = incident(opened.createdAt, {
      phase: 'closed',
      phaseTimes: { detected: opened.createdAt, closed: berlinAt('2026-03-30T10:00') },
    });
    expect(clock(closed, berlinAt('2026-04-10T12:00'), 'contain')).toMatchObject({
      state: 'met',
      stoppedAt: berlinAt('2026-03-30T10:00'),
      elapsedMs: 90 * MIN,
    });
  });
});

describe('pauses while waiting on the client', () => {
  const opened = incident(berlinAt('2026-05-08T14:00'));
  const overWeekend: PauseSpan = {
    startedAt: berlinAt('2026-05-08T16:00'),
    endedAt: berlinAt('2026-05-12T10:00'),
  };

  it('a pause over a weekend removes only the open hours it covered', () => {
    const tuesday = clock(opened, berlinAt('2026-05-12T11:00'), 'contain', [overWeekend]);
    expect(tuesday.elapsedMs).toBe(3 * HOUR);
    expect(tuesday.dueAt).toBe(berlinAt('2026-05-12T12:00'));
    expect(tuesday.state).toBe('at_risk');
    const unpaused = clock(opened, berlinAt('2026-05-12T11:00'), 'contain');
    // Fri 14–17, Mon 9–17, Tue 9–11: 13 h, and due on Monday.
    expect(unpaused.elapsedMs).toBe(13 * HOUR);
    expect(unpaused.dueAt).toBe(berlinAt('2026-05-11T10:00'));
    expect(unpaused.state).toBe('breached');
  });

  it('an open pause holds the clock and hides the due time', () => {
    const open: PauseSpan = { startedAt: berlinAt('2026-05-08T16:00'), endedAt: null };
    const held = clock(opened, berlinAt('2026-05-20T12:00'), 'contain', [open]);
    expect(held).toMatchObject({ state: 'paused', elapsedMs: 2 * HOUR, dueAt: null });
  });

  it('a pause opened after the target does not undo the breach', () => {
    const late: PauseSpan = { startedAt: berlinAt('2026-05-11T12:00'), endedAt: null };
    expect(clock(opened, berlinAt('2026-05-11T13:00'), 'contain', [late]).state).toBe('breached');
  });

  it('two pauses in one day both count', () => {
    const pauses: PauseSpan[] = [
      { startedAt: berlinAt('2026-05-08T15:00'), endedAt: berlinAt('2026-05-08T15:30') },
      { startedAt: berlinAt('2026-05-08T16:00'), endedAt: berlinAt('2026-05-11T09:30') },
    ];
    const monday = clock(opened, berlinAt('2026-05-11T11:00'), 'contain', pauses);
    expect(monday.elapsedMs).toBe(HOUR + 30 * MIN + 90 * MIN);
    expect(monday.dueAt).toBe(berlinAt('2026-05-11T12:00'));
  });
});

describe('24×7 SLA across the New York spring-forward night', () => {
  const always = parseSlaTerms({ clock: 'always', targets: { critical: { acknowledge: 30 } } });
  const newYork = parseBusinessCalendar({ timeZone: 'America/New_York' });
  const opened = incident(at('America/New_York', '2026-03-08T01:50'), { severity: 'critical' });

  it('counts real minutes, not wall-clock minutes', () => {
    const now = at('America/New_York', '2026-03-08T03:15');
    const [ack] = slaClocks({
      incident: opened,
      terms: always,
      calendar: newYork,
      pauses: [],
      now,
    });
    expect(ack).toMatchObject({ state: 'at_risk', elapsedMs: 25 * MIN });
    expect(DateTime.fromMillis(ack!.dueAt!, { zone: 'America/New_York' }).toFormat('HH:mm')).toBe(
      '03:20',
    );
    // The same terms on the tenant's business hours would not have started counting.
    const weekday = slaClocks({
      incident: opened,
      terms: { ...always, clock: 'business_hours' },
      calendar: newYork,
      pauses: [],
      now,
    });
    expect(weekday[0]).toMatchObject({ state: 'running', elapsedMs: 0 });
  });

  it('has no clocks for a severity without targets', () => {
    const low = incident(opened.createdAt, { severity: 'low' });
    expect(slaClocks({ incident: low, terms, calendar: newYork, pauses: [], now: 0 })).toEqual([]);
  });
});

describe('parseSlaTerms', () => {
  it.each([
    [{ targets: { urgent: { acknowledge: 5 } } }, 'unknown severity'],
    [{ targets: { high: { fix: 5 } } }, 'unknown SLA metric'],
    [{ targets: { high: { acknowledge: 0 } } }, 'whole minutes'],
    [{ targets: { high: { acknowledge: 1.5 } } }, 'whole minutes'],
    [{ atRiskShare: 1, targets: {} }, 'atRiskShare'],
  ])('refuses %j', (input, message) => {
    expect(() => parseSlaTerms(input)).toThrow(message);
  });
});
