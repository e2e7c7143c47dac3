/**
 * The containment options' vocabulary as the API spells it, shared by the containment policy
 * (option rules, expected durations) and the decisions API.
 */
import { Type } from '@sinclair/typebox';
import { closed, literals } from './common.schema.ts';

export const CONTAINMENT_OPTION_VALUES = [
  'isolate',
  'isolate-with-allow',
  'block-origins',
  'failover-then-isolate',
  'disable-accounts',
  'watch',
] as const;
export const ContainmentOptionSchema = literals(CONTAINMENT_OPTION_VALUES);

const Port = Type.Integer({ minimum: 1, maximum: 65535 });

export const KeepOpenRuleSchema = closed({
  /** A documented network segment, by name or id. */
  segment: Type.String({ minLength: 1, maxLength: 200 }),
  ports: Type.Array(Port, { minItems: 1, maxItems: 64 }),
});

export const ContainmentOptionRuleSchema = closed({
  assetKind: literals([
    'workstation',
    'server',
    'network_device',
    'cloud_resource',
    'application',
    'any',
  ]),
  peer: literals(['healthy', 'none', 'any']),
  option: ContainmentOptionSchema,
  keepOpen: Type.Optional(Type.Array(KeepOpenRuleSchema, { maxItems: 32 })),
});

const Minutes = Type.Integer({ minimum: 0, maximum: 7 * 24 * 60 });
export const OptionDurationsSchema = closed({
  isolate: Type.Optional(Minutes),
  'isolate-with-allow': Type.Optional(Minutes),
  'block-origins': Type.Optional(Minutes),
  'failover-then-isolate': Type.Optional(Minutes),
  'disable-accounts': Type.Optional(Minutes),
  watch: Type.Optional(Minutes),
});
