/**
 * Behavioural detector settings API: per tenant, each detector's thresholds in effect (the
 * documented defaults with the tenant's overrides), whether it runs, and its allow-list — the
 * keys (a pair, a host, a user, as the alert's `explanation.key` names them) it no longer
 * alerts on.
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Timestamp, Uuid, closed } from './common.schema.ts';

export const DetectorName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z-]*$' });

export const DetectorParams = closed({ tenantId: Uuid, detector: DetectorName });

const Thresholds = Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Number(), {
  maxProperties: 32,
});

export const DetectorSettingsView = closed({
  detector: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  thresholds: Type.Record(Type.String(), Type.Number(), { description: 'in effect' }),
  overrides: Type.Record(Type.String(), Type.Number(), { description: "the tenant's own" }),
  defaults: Type.Record(Type.String(), Type.Number()),
  maxima: Type.Record(Type.String(), Type.Number(), {
    description: 'the highest value each threshold may be set to',
  }),
  documentation: Type.Record(Type.String(), Type.String()),
  allowListed: Type.Integer({ description: 'keys on the allow-list' }),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.Union([Timestamp, Type.Null()]),
});
export type DetectorSettingsView = Static<typeof DetectorSettingsView>;

export const UpdateDetectorSettingsRequest = closed({
  enabled: Type.Boolean(),
  thresholds: Thresholds,
});
export type UpdateDetectorSettingsRequest = Static<typeof UpdateDetectorSettingsRequest>;

export const DetectorAllowKey = Type.String({ minLength: 1, maxLength: 1024 });

export const CreateDetectorAllowEntryRequest = closed({
  key: DetectorAllowKey,
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
});

export const DetectorAllowKeyQuery = closed({ key: DetectorAllowKey });

export const DetectorAllowEntryView = closed({
  detector: Type.String(),
  key: Type.String(),
  reason: Type.String(),
  alertId: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Timestamp,
});
export type DetectorAllowEntryView = Static<typeof DetectorAllowEntryView>;
