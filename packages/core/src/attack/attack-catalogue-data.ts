/**
 * The shape of the ATT&CK catalogue Cordon ships (`enterprise-attack.catalogue.json`): ids
 * and names only, so the file stays small enough to commit and to load in every process.
 * Generated from MITRE's STIX bundle by `npm run attack:catalogue`; never edited by hand.
 */
export interface AttackTacticEntry {
  /** TA0002 */
  readonly id: string;
  /** execution (ATT&CK's shortname, hyphenated) */
  readonly shortname: string;
  readonly name: string;
  /** 1-based position in the Enterprise matrix (initial access comes before impact). */
  readonly order: number;
}

export interface AttackTechniqueEntry {
  /** T1059 or T1059.001 */
  readonly id: string;
  readonly name: string;
  /** Tactic shortnames the technique serves. */
  readonly tactics: readonly string[];
}

export interface AttackMitigationEntry {
  /** M1042 */
  readonly id: string;
  readonly name: string;
  /** Technique ids this mitigation mitigates (ATT&CK `mitigates` relationships). */
  readonly techniques: readonly string[];
}

export interface AttackCatalogueData {
  readonly attribution: string;
  /** Where the content came from (the bundle's provenance line) and when it was last modified. */
  readonly source: string;
  /** The content's date (the latest `modified` of the objects kept), YYYY-MM-DD. */
  readonly version: string;
  /** The highest ATT&CK specification version of the objects kept. */
  readonly specVersion: string;
  readonly tactics: readonly AttackTacticEntry[];
  readonly techniques: readonly AttackTechniqueEntry[];
  readonly mitigations: readonly AttackMitigationEntry[];
}
