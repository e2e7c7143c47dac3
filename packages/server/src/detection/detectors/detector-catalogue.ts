/**
 * The behavioural detectors Cordon runs, in the order they see each event, and the building
 * of one tenant's set from the tenant's overrides (unknown names, values that are not
 * positive finite numbers and values above a threshold's maximum are refused where they are
 * set — `DetectorSettingsService` — and ignored if stored).
 *
 * Maxima: a threshold that sizes a detector's memory (its caps: `max…`, `…PerKey`,
 * `…PerHost`, `…PerUser`, `samples`) may be raised to four times its default, no more, so the
 * memory bound per tenant stays a documented multiple of the default one; any other threshold
 * up to 10⁹.
 */
import type { DetectorCatalogueEntry, DetectorSettingsRecord } from '@cordon/core';
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

const CAPACITY_FACTOR = 4;
const OTHER_MAXIMUM = 1_000_000_000;
const isCapacity = (name: string): boolean =>
  name.startsWith('max') || /Per(Key|Host|User)$/.test(name) || name === 'samples';

/** The highest value each threshold of `kind` may take. */
export function thresholdMaxima(
  kind: DetectorKind<Readonly<Record<string, number>>>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(kind.defaults))
    out[name] = isCapacity(name) ? value * CAPACITY_FACTOR : OTHER_MAXIMUM;
  return out;
}

/** What the settings API knows of each detector. */
export function detectorCatalogue(): DetectorCatalogueEntry[] {
  return DETECTOR_KINDS.map((kind) => ({
    name: kind.name,
    description: kind.description,
    defaults: kind.defaults,
    documentation: kind.documentation,
    maxima: thresholdMaxima(kind),
  }));
}

/** The thresholds in effect: the defaults, with the valid overrides on top. */
export function effectiveThresholds(
  kind: DetectorKind<Readonly<Record<string, number>>>,
  overrides: Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  const out: Record<string, number> = { ...kind.defaults };
  const maxima = thresholdMaxima(kind);
  for (const [name, value] of Object.entries(overrides ?? {}))
    if (
      Object.hasOwn(kind.defaults, name) &&
      Number.isFinite(value) &&
      value > 0 &&
      value <= (maxima[name] ?? OTHER_MAXIMUM)
    )
      out[name] = value;
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
