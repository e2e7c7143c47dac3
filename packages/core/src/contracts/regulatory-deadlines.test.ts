import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseBusinessCalendar } from './business-calendar.ts';
import { REGULATORY_CATALOGUE, catalogueRegime } from './regulatory-catalogue.ts';
import type { RegulatoryRegime } from './regulatory-regime.ts';
import { checkRegime } from './regulatory-regime.ts';
import { regulatoryDeadlines } from './regulatory-deadlines.ts';
import type { RegulatoryNotice, ReportabilityDetermination } from './reportability.ts';

const HOUR = 3_600_000;
const zone = 'Europe/Berlin';
const at = (iso: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const calendar = parseBusinessCalendar({ timeZone: zone });

const determination = (
  changes: Partial<ReportabilityDetermination>,
): ReportabilityDetermination => ({
  id: 'd1',
  tenantId: 't1',
  incidentId: 'i1',
  reportable: true,
  regimes: ['dora', 'circia', 'nis2'],
  reason: 'major',
  awarenessAt: at('2026-10-24T08:00'),
  paymentAt: null,
  determinedBy: 'user:lead@example.com',
  determinedAt: at('2026-10-24T20:00'),
  ...changes,
});
const notice = (obligationId: string, regimeId: string, sentAt: number): RegulatoryNotice => ({
  id: `n-${obligationId}`,
  tenantId: 't1',
  incidentId: 'i1',
  regimeId,
  obligationId,
  recipient: 'authority',
  channel: 'portal',
  sentAt,
  content: 'x',
  contentSha256: '',
  recordedBy: 'user:lead@example.com',
  recordedAt: sentAt,
});

function deadlines(
  d: ReportabilityDetermination,
  notices: RegulatoryNotice[] = [],
  now = at('2026-10-24T21:00'),
) {
  const found = regulatoryDeadlines({
    determination: d,
    regimes: REGULATORY_CATALOGUE,
    notices,
    calendar,
    nearShare: 0.75,
    now,
  });
  return (regime: string, obligation: string) =>
    found.find((x) => x.regimeId === regime && x.obligationId === obligation)!;
}

describe('regulatory deadlines', () => {
  it('DORA initial: the earlier of 4 h from classification and 24 h from awareness', () => {
    // Classified at 20:00, 12 h after awareness: 4 h from classification is earlier.
    const soon = deadlines(determination({}))('dora', 'initial');
    expect(soon).toMatchObject({
      dueAt: at('2026-10-25T00:00'),
      startedAt: at('2026-10-24T20:00'),
    });
    // Classified 21 h after awareness: 24 h from awareness (07:00 CET, after fall-back) is earlier.
    const late = deadlines(
      determination({ determinedAt: at('2026-10-25T05:00') }),
      [],
      at('2026-10-25T05:30'),
    )('dora', 'initial');
    expect(late).toMatchObject({
      dueAt: at('2026-10-25T07:00'),
      startedAt: at('2026-10-24T08:00'),
    });
    expect(late.dueAt! - late.startedAt!).toBe(24 * HOUR);
    expect(late.state).toBe('near');
  });

  it('counts 24 elapsed hours across the fall-back night, not 24 wall-clock hours', () => {
    const due = deadlines(determination({}))('nis2', 'early-warning').dueAt!;
    expect(due - at('2026-10-24T08:00')).toBe(24 * HOUR);
    expect(DateTime.fromMillis(due, { zone }).toFormat('HH:mm')).toBe('07:00');
  });

  it('chains reports: the intermediate waits for the initial notice, the final for it', () => {
    const none = deadlines(determination({}));
    expect(none('dora', 'intermediate')).toMatchObject({ state: 'pending', dueAt: null });
    const sent = deadlines(
      determination({}),
      [notice('initial', 'dora', at('2026-10-24T23:00'))],
      at('2026-10-25T07:00'),
    );
    expect(sent('dora', 'initial').state).toBe('met');
    expect(sent('dora', 'intermediate').dueAt).toBe(at('2026-10-24T23:00') + 72 * HOUR);
    expect(sent('dora', 'final').state).toBe('pending');
  });

  it('starts the ransom payment clock only at the payment', () => {
    expect(deadlines(determination({}))('circia', 'ransom-payment').state).toBe('pending');
    const paid = deadlines(determination({ paymentAt: at('2026-10-24T10:00') }));
    expect(paid('circia', 'ransom-payment').dueAt).toBe(at('2026-10-24T10:00') + 24 * HOUR);
    expect(paid('circia', 'incident').dueAt).toBe(at('2026-10-24T20:00') + 72 * HOUR);
  });

  it('is near at the configured share, missed after, late when sent after the due time', () => {
    const d = determination({});
    expect(deadlines(d, [], at('2026-10-25T01:00'))('nis2', 'early-warning').state).toBe('open');
    expect(deadlines(d, [], at('2026-10-25T02:00'))('nis2', 'early-warning').state).toBe('near');
    expect(deadlines(d, [], at('2026-10-25T07:01'))('nis2', 'early-warning').state).toBe('missed');
    const late = deadlines(
      d,
      [notice('early-warning', 'nis2', at('2026-10-25T09:00'))],
      at('2026-10-26T00:00'),
    );
    expect(late('nis2', 'early-warning').state).toBe('late');
  });

  it('has no deadlines for a determination that the incident is not reportable', () => {
    const found = regulatoryDeadlines({
      determination: determination({ reportable: false }),
      regimes: REGULATORY_CATALOGUE,
      notices: [],
      calendar,
      nearShare: 0.75,
      now: 0,
    });
    expect(found).toEqual([]);
  });
});

describe('the regime catalogue and tenant-written regimes', () => {
  it('holds every catalogue entry to the checks a tenant entry gets', () => {
    for (const regime of REGULATORY_CATALOGUE) expect(checkRegime(regime)).toBe(regime);
    expect(catalogueRegime('sec-8k')?.obligations[0]?.limits[0]?.within).toEqual({
      kind: 'business_days',
      days: 4,
    });
  });

  const base: RegulatoryRegime = {
    id: 'us-xx',
    title: 'State law',
    jurisdiction: 'US-XX',
    reference: 'statute',
    obligations: [
      {
        id: 'residents',
        title: 'Residents',
        recipient: 'residents',
        limits: [{ trigger: { kind: 'awareness' }, within: { kind: 'days', days: 45 } }],
      },
    ],
  };
  it.each([
    [{ ...base, id: 'Bad Id' }, 'regime id'],
    [{ ...base, obligations: [] }, '1 to 10 obligations'],
    [
      {
        ...base,
        obligations: [
          {
            ...base.obligations[0]!,
            limits: [{ trigger: { kind: 'awareness' }, within: { kind: 'days', days: 0 } }],
          },
        ],
      },
      'whole number',
    ],
    [
      {
        ...base,
        obligations: [
          {
            ...base.obligations[0]!,
            limits: [
              {
                trigger: { kind: 'notice_sent', obligation: 'nope' },
                within: { kind: 'hours', hours: 1 },
              },
            ],
          },
        ],
      },
      'unknown obligation',
    ],
  ] as [RegulatoryRegime, string][])('refuses a bad regime (%#: %s)', (regime, message) => {
    expect(() => checkRegime(regime)).toThrow(message);
  });
});
