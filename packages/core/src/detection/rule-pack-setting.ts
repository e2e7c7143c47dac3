/**
 * A tenant's choice about one rule pack (SigmaHQ, Cordon's own): packs run for every tenant
 * unless the tenant turned them off. Only packs a tenant changed have a setting.
 */
export interface RulePackSetting {
  readonly tenantId: string;
  /** The pack's name (`sigmahq`, `cordon`). */
  readonly pack: string;
  readonly enabled: boolean;
  readonly reason: string;
  readonly changedBy: string;
  readonly changedAt: number;
}

/** Pack names: what `cordon rules update` installs under and what tenants refer to. */
export const RULE_PACK_NAME = /^[a-z][a-z0-9-]{0,39}$/;
