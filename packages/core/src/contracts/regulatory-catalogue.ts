/**
 * The regimes Cordon knows, with the deadlines as their texts set them. A tenant picks those
 * that apply and may add its own (state breach laws) or replace one by id (a card brand's window
 * from its acquirer agreement). Durations in hours are elapsed hours; days and months are
 * calendar steps in the tenant's time zone; business days use the tenant's holidays.
 */
import type { DeadlineLimit, RegulatoryRegime } from './regulatory-regime.ts';

const hours = (h: number, trigger: DeadlineLimit['trigger']): DeadlineLimit => ({
  trigger,
  within: { kind: 'hours', hours: h },
});
const AWARENESS = { kind: 'awareness' } as const;
const DETERMINATION = { kind: 'determination' } as const;

export const REGULATORY_CATALOGUE: readonly RegulatoryRegime[] = [
  {
    id: 'gdpr',
    title: 'GDPR personal data breach',
    jurisdiction: 'EU/EEA',
    reference: 'Regulation (EU) 2016/679, Art. 33(1)',
    obligations: [
      {
        id: 'authority',
        title: 'Notification to the supervisory authority',
        recipient: 'competent supervisory authority',
        limits: [hours(72, AWARENESS)],
      },
    ],
  },
  {
    id: 'nis2',
    title: 'NIS2 significant incident',
    jurisdiction: 'EU',
    reference: 'Directive (EU) 2022/2555, Art. 23(4)',
    obligations: [
      {
        id: 'early-warning',
        title: 'Early warning',
        recipient: 'CSIRT or competent authority',
        limits: [hours(24, AWARENESS)],
      },
      {
        id: 'notification',
        title: 'Incident notification',
        recipient: 'CSIRT or competent authority',
        limits: [hours(72, AWARENESS)],
      },
      {
        id: 'final-report',
        title: 'Final report',
        recipient: 'CSIRT or competent authority',
        limits: [
          {
            trigger: { kind: 'notice_sent', obligation: 'notification' },
            within: { kind: 'months', months: 1 },
          },
        ],
      },
    ],
  },
  {
    id: 'dora',
    title: 'DORA major ICT-related incident',
    jurisdiction: 'EU financial entities',
    reference: 'Regulation (EU) 2022/2554, Art. 19; Delegated Regulation (EU) 2025/301, Art. 5',
    obligations: [
      {
        id: 'initial',
        title: 'Initial notification',
        recipient: 'competent authority',
        // 4 h from classification as major, and no later than 24 h from awareness.
        limits: [hours(4, DETERMINATION), hours(24, AWARENESS)],
      },
      {
        id: 'intermediate',
        title: 'Intermediate report',
        recipient: 'competent authority',
        limits: [hours(72, { kind: 'notice_sent', obligation: 'initial' })],
      },
      {
        id: 'final',
        title: 'Final report',
        recipient: 'competent authority',
        limits: [
          {
            trigger: { kind: 'notice_sent', obligation: 'intermediate' },
            within: { kind: 'months', months: 1 },
          },
        ],
      },
    ],
  },
  {
    id: 'sec-8k',
    title: 'SEC Form 8-K Item 1.05 material cybersecurity incident',
    jurisdiction: 'US public companies',
    reference: '17 CFR 249.308, Form 8-K Item 1.05',
    obligations: [
      {
        id: 'form-8k',
        title: 'Form 8-K filing',
        recipient: 'U.S. Securities and Exchange Commission (EDGAR)',
        limits: [{ trigger: DETERMINATION, within: { kind: 'business_days', days: 4 } }],
      },
    ],
    note: 'Counts from the materiality determination; business days use the tenant calendar (set US federal holidays).',
  },
  {
    id: 'circia',
    title: 'CIRCIA covered cyber incident and ransom payment',
    jurisdiction: 'US critical infrastructure',
    reference: '6 U.S.C. 681b(a)(1) and (a)(2)',
    obligations: [
      {
        id: 'incident',
        title: 'Covered cyber incident report',
        recipient: 'CISA',
        // From when the entity reasonably believes a covered incident occurred: the determination.
        limits: [hours(72, DETERMINATION)],
      },
      {
        id: 'ransom-payment',
        title: 'Ransom payment report',
        recipient: 'CISA',
        limits: [hours(24, { kind: 'payment' })],
      },
    ],
  },
  {
    id: 'hipaa',
    title: 'HIPAA breach of unsecured protected health information',
    jurisdiction: 'US covered entities',
    reference: '45 CFR 164.404, 164.406, 164.408',
    obligations: [
      {
        id: 'individuals',
        title: 'Notice to affected individuals',
        recipient: 'affected individuals',
        limits: [{ trigger: AWARENESS, within: { kind: 'days', days: 60 } }],
      },
      {
        id: 'secretary',
        title: 'Notice to the Secretary of HHS (500 or more individuals)',
        recipient: 'U.S. Department of Health and Human Services',
        limits: [{ trigger: AWARENESS, within: { kind: 'days', days: 60 } }],
      },
    ],
  },
  {
    id: 'pci-dss',
    title: 'PCI DSS account data compromise',
    jurisdiction: 'payment card brands',
    reference: 'PCI DSS v4.0 Requirement 12.10.1',
    obligations: [
      {
        id: 'acquirer',
        title: 'Notification to the acquirer and payment brands',
        recipient: 'acquiring bank and payment brands',
        limits: [hours(24, AWARENESS)],
      },
    ],
    note: 'The window is set by the card brands and the acquirer agreement, not by PCI DSS: replace this entry with the tenant’s own.',
  },
];

export function catalogueRegime(id: string): RegulatoryRegime | undefined {
  return REGULATORY_CATALOGUE.find((regime) => regime.id === id);
}
