/** Rule packs: install a SigmaHQ release, read what is installed (`@cordon/server/rule-packs`). */
export { installRulePack } from './rule-pack-installer.ts';
export type { InstallOptions } from './rule-pack-installer.ts';
export { installedRulePacks, rulePacksDir, MANIFEST_FILE } from './installed-rule-packs.ts';
export type { InstalledRulePack, RulePackManifest } from './installed-rule-packs.ts';
export { DEFAULT_ARCHIVE_LIMITS, KEPT_RULE_FOLDERS } from './rule-pack-archive.ts';
export type { ArchiveLimits } from './rule-pack-archive.ts';
export { RulePackError } from './rule-pack-error.ts';
export type { RulePackErrorCode } from './rule-pack-error.ts';
export { SIGMAHQ_RELEASE, sigmaHqReleaseFrom } from './sigmahq-release.ts';
export type { RulePackRelease } from './sigmahq-release.ts';
export { SHIPPED_RULE_PACK, rulePackOf } from './rule-pack-of.ts';
export type { RulePackRoot } from './rule-pack-of.ts';
