/**
 * The behavioural detectors Cordon runs, in the order they see each event, and the building
 * of one tenant's set from the tenant's overrides (unknown names and values that are not
 * positive finite numbers are refused where they are set, and ignored if stored).
 */
import type { DetectorSettingsRecord } from '@cordon/core';
import type { Detector, DetectorKind } from './detector.ts';
import { authAttack } from './auth-attack.detector.ts';
import { beaconing } from './beaconing.detector.ts';
import { dnsTunnel } from './dns-tunnel.detector.ts';
import { loginPattern } from './login-pattern.detector.ts';
import { outboundVolume } from './outbound-volume.detector.ts';
import { portScan } from './port-scan.detector.ts';
import { rareProcess } from './rare-process.detector.ts';

export const DETECTOR_KINDS: readonly DetectorKind<Readonly<Record<string, number>>>[] = [
  beaconing,
  portScan,
  authAttack,
  rareProcess,
  loginPattern,
  outboundVolume,
  dnsTunnel,
];

export function detectorKind(
  name: string,
): DetectorKind<Readonly<Record<string, number>>> | undefined {
  return DETECTOR_KINDS.find((k) => k.name === name);
}

/** The thresholds in effect: the defaults, with the valid overrides on top. */
export function effectiveThresholds(
  kind: DetectorKind<Readonly<Record<string, number>>>,
  overrides: Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  const out: Record<string, number> = { ...kind.defaults };
  for (const [name, value] of Object.entries(overrides ?? {}))
    if (name in kind.defaults && Number.isFinite(value) && value > 0) out[name] = value;
  return out;
}

/** The tenant's detectors: every kind not switched off, with its thresholds. */
export function tenantDetectors(settings: readonly DetectorSettingsRecord[]): Detector[] {
  return DETECTOR_KINDS.flatMap((kind) => {
    const own = settings.find((s) => s.detector === kind.name);
    if (own && !own.enabled) return [];
    return [kind.create(effectiveThresholds(kind, own?.thresholds))];
  });
}
