/** Settings of live detection and triage: rule sources, levels and windows. */
import type { AlertLevel } from '@cordon/core';
import { ALERT_LEVELS, defaultTriageOptions } from '@cordon/core';
import { delimiter, resolve } from 'node:path';

export interface DetectionConfig {
  /** SigmaHQ-style rule directories run for every tenant (`cordon serve --rules DIR`). */
  readonly ruleDirs: readonly string[];
  /** Our correlation rules from packages/ingest/rules (on by default). */
  readonly shippedRules: boolean;
  /** Single-rule matches below this level are not alerts. */
  readonly alertMinLevel: AlertLevel;
  /** Alerts from this level up open an incident when none is related. */
  readonly incidentMinLevel: AlertLevel;
  /** Repeats of a rule on the same entities within this window merge into one alert. */
  readonly mergeWindowMs: number;
  /** Alerts sharing a host, user or address within this window join the same incident. */
  readonly groupWindowMs: number;
}

export const defaultDetectionConfig: DetectionConfig = {
  ruleDirs: [],
  shippedRules: true,
  alertMinLevel: 'low',
  incidentMinLevel: defaultTriageOptions.incidentMinLevel,
  mergeWindowMs: defaultTriageOptions.mergeWindowMs,
  groupWindowMs: defaultTriageOptions.groupWindowMs,
};

/**
 * `CORDON_RULES` (directories, separated like PATH), `CORDON_ALERT_MIN_LEVEL`,
 * `CORDON_INCIDENT_MIN_LEVEL`, `CORDON_ALERT_MERGE_MINUTES`, `CORDON_ALERT_GROUP_MINUTES`.
 */
export function detectionConfigFromEnv(env: NodeJS.ProcessEnv): DetectionConfig {
  const level = (name: string, fallback: AlertLevel): AlertLevel => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    if (!(ALERT_LEVELS as readonly string[]).includes(text))
      throw new Error(`${name}=${text}: use one of ${ALERT_LEVELS.join(', ')}`);
    return text as AlertLevel;
  };
  const minutes = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`${name}=${text}: not a number of minutes`);
    return value * 60_000;
  };
  return {
    ...defaultDetectionConfig,
    ruleDirs: (env['CORDON_RULES'] ?? '')
      .split(delimiter)
      .filter((d) => d !== '')
      .map((d) => resolve(d)),
    alertMinLevel: level('CORDON_ALERT_MIN_LEVEL', defaultDetectionConfig.alertMinLevel),
    incidentMinLevel: level('CORDON_INCIDENT_MIN_LEVEL', defaultDetectionConfig.incidentMinLevel),
    mergeWindowMs: minutes('CORDON_ALERT_MERGE_MINUTES', defaultDetectionConfig.mergeWindowMs),
    groupWindowMs: minutes('CORDON_ALERT_GROUP_MINUTES', defaultDetectionConfig.groupWindowMs),
  };
}
