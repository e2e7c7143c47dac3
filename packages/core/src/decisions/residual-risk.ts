/**
 * The residual risk of an option: how much danger is left running once it is carried out, as
 * a score from 0 to 100 with the reasons that make it up, so that two analysts reading the same
 * incident reach the same figure and can see why.
 *
 * The risk of leaving the host running untouched is the sum of
 *   - the incident's severity: low 10, medium 25, high 40, critical 55;
 *   - lateral movement seen (ATT&CK TA0008 among the incident's tactics or techniques): +15;
 *   - data exfiltration seen (TA0010): +15;
 *   - the asset's criticality: critical +15, high +10, medium +5, low 0;
 * capped at 100. Each option leaves a share of it:
 *   watch 100 %, blocking the origins 60 % (known addresses are cut; an intruder already on the
 *   host, other addresses and movement inside remain), disabling the accounts 60 % (the known
 *   accounts stop; malware and other accounts remain), isolation keeping service ports open
 *   30 % (the open ports stay a path), full isolation and failover-then-isolate 10 % (what is
 *   already on the host stays until eradication).
 * Levels: 70 and above critical, 45 high, 20 medium, below low.
 */
import type { Criticality } from '../assets/asset.ts';
import type { Severity } from '../incidents/incident.ts';
import { EXFILTRATION, LATERAL_MOVEMENT, tacticSeen } from './attack-tactics-seen.ts';
import type { TacticLookup } from './attack-tactics-seen.ts';
import type { ContainmentOptionKind } from './containment-option-kind.ts';

export const SEVERITY_RISK: Readonly<Record<Severity, number>> = {
  low: 10,
  medium: 25,
  high: 40,
  critical: 55,
};
export const CRITICALITY_RISK: Readonly<Record<Criticality, number>> = {
  critical: 15,
  high: 10,
  medium: 5,
  low: 0,
};
export const LATERAL_MOVEMENT_RISK = 15;
export const EXFILTRATION_RISK = 15;

/** Percent of the untouched risk each option leaves. */
export const RESIDUAL_SHARE: Readonly<Record<ContainmentOptionKind, number>> = {
  watch: 100,
  'block-origins': 60,
  'disable-accounts': 60,
  'isolate-with-allow': 30,
  isolate: 10,
  'failover-then-isolate': 10,
};

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface RiskScore {
  readonly score: number;
  readonly level: RiskLevel;
  readonly reasons: readonly string[];
}

export interface RiskFacts {
  readonly severity: Severity;
  /** The incident's ATT&CK ids (techniques or tactics). */
  readonly attackIds: readonly string[];
  readonly criticality: Criticality;
  readonly tacticsOf?: TacticLookup | undefined;
}

export function riskLevel(score: number): RiskLevel {
  if (score >= 70) return 'critical';
  if (score >= 45) return 'high';
  if (score >= 20) return 'medium';
  return 'low';
}

/** The risk of leaving the host running as it is. */
export function untouchedRisk(facts: RiskFacts): RiskScore {
  const reasons = [`incident severity ${facts.severity}: +${SEVERITY_RISK[facts.severity]}`];
  let score = SEVERITY_RISK[facts.severity];
  const lateral = tacticSeen(facts.attackIds, LATERAL_MOVEMENT, facts.tacticsOf);
  if (lateral) {
    score += LATERAL_MOVEMENT_RISK;
    reasons.push(
      `lateral movement seen (${LATERAL_MOVEMENT} via ${lateral.via.join(', ')}): +${LATERAL_MOVEMENT_RISK}`,
    );
  }
  const exfiltration = tacticSeen(facts.attackIds, EXFILTRATION, facts.tacticsOf);
  if (exfiltration) {
    score += EXFILTRATION_RISK;
    reasons.push(
      `data exfiltration seen (${EXFILTRATION} via ${exfiltration.via.join(', ')}): +${EXFILTRATION_RISK}`,
    );
  }
  score += CRITICALITY_RISK[facts.criticality];
  reasons.push(`asset criticality ${facts.criticality}: +${CRITICALITY_RISK[facts.criticality]}`);
  const capped = Math.min(score, 100);
  if (capped < score) reasons.push('capped at 100');
  return { score: capped, level: riskLevel(capped), reasons };
}

export function residualRisk(untouched: RiskScore, option: ContainmentOptionKind): RiskScore {
  const share = RESIDUAL_SHARE[option];
  const score = Math.round((untouched.score * share) / 100);
  return {
    score,
    level: riskLevel(score),
    reasons: [...untouched.reasons, `${option} leaves ${share}% of it: ${score}`],
  };
}
