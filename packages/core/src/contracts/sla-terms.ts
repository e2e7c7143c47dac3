/**
 * The SLA part of a tenant's contract: per severity, how many minutes the MSSP has to
 * acknowledge, contain and resolve an incident; whether those minutes are business hours of the
 * tenant's calendar or 24×7; and at what share of a target a clock is reported at risk.
 */
import { invalidInput } from '../errors/cordon-error.ts';
import type { Severity } from '../incidents/incident.ts';
import { SEVERITIES } from '../incidents/incident.ts';

export const SLA_METRICS = ['acknowledge', 'contain', 'resolve'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

export type SlaTargets = Readonly<Partial<Record<SlaMetric, number>>>;

export interface SlaTerms {
  readonly clock: 'business_hours' | 'always';
  /** Between 0 and 1: at this share of a target elapsed the clock is at risk. */
  readonly atRiskShare: number;
  /** Minutes per metric per severity; a metric without a target has no clock. */
  readonly targets: Readonly<Partial<Record<Severity, SlaTargets>>>;
}

/** One year of minutes: longer targets are a typing mistake, and bound the calendar walks. */
export const MAX_TARGET_MINUTES = 525_600;
export const DEFAULT_AT_RISK_SHARE = 0.75;

export function parseSlaTerms(input: {
  readonly clock?: 'business_hours' | 'always';
  readonly atRiskShare?: number;
  readonly targets: Readonly<Record<string, Readonly<Record<string, number>>>>;
}): SlaTerms {
  const atRiskShare = input.atRiskShare ?? DEFAULT_AT_RISK_SHARE;
  if (!(atRiskShare > 0 && atRiskShare < 1))
    throw invalidInput('atRiskShare is a share of the target, above 0 and below 1');
  const targets: Partial<Record<Severity, SlaTargets>> = {};
  for (const [severity, metrics] of Object.entries(input.targets)) {
    if (!(SEVERITIES as readonly string[]).includes(severity))
      throw invalidInput(`unknown severity ${severity} (one of ${SEVERITIES.join(', ')})`);
    const parsed: Partial<Record<SlaMetric, number>> = {};
    for (const [metric, minutes] of Object.entries(metrics)) {
      if (!(SLA_METRICS as readonly string[]).includes(metric))
        throw invalidInput(`unknown SLA metric ${metric} (one of ${SLA_METRICS.join(', ')})`);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_TARGET_MINUTES)
        throw invalidInput(`${severity}.${metric}: whole minutes from 1 to ${MAX_TARGET_MINUTES}`);
      parsed[metric as SlaMetric] = minutes;
    }
    targets[severity as Severity] = parsed;
  }
  return { clock: input.clock ?? 'business_hours', atRiskShare, targets };
}
