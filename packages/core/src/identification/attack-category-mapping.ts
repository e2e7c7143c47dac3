/**
 * The documented table from ATT&CK techniques, tactics and rule wording to the incident's
 * attack category. Each line says what points at a category; when several categories are
 * pointed at, the one earliest in `CATEGORY_PRECEDENCE` wins — the most specific and most
 * urgent reading (ransomware is also malware; exfiltration usually also has C2). `insider`
 * has no technique of its own in ATT&CK: an analyst sets it. README "Identification" lists
 * this table for users.
 */
import type { AttackCategory } from './attack-category.ts';

export const CATEGORY_PRECEDENCE: readonly AttackCategory[] = [
  'ransomware',
  'data_exfiltration',
  'denial_of_service',
  'phishing',
  'web_attack',
  'credential_attack',
  'lateral_movement',
  'command_and_control',
  'malware',
  'insider',
];

/** Technique ids (a parent id covers its sub-techniques) → category. */
export const TECHNIQUE_CATEGORIES: Readonly<Record<string, AttackCategory>> = {
  T1486: 'ransomware', // Data Encrypted for Impact
  T1490: 'ransomware', // Inhibit System Recovery
  T1485: 'ransomware', // Data Destruction
  T1041: 'data_exfiltration', // Exfiltration Over C2 Channel
  T1048: 'data_exfiltration', // Exfiltration Over Alternative Protocol
  T1567: 'data_exfiltration', // Exfiltration Over Web Service
  T1020: 'data_exfiltration', // Automated Exfiltration
  T1030: 'data_exfiltration', // Data Transfer Size Limits
  T1537: 'data_exfiltration', // Transfer Data to Cloud Account
  T1052: 'data_exfiltration', // Exfiltration Over Physical Medium
  T1498: 'denial_of_service', // Network Denial of Service
  T1499: 'denial_of_service', // Endpoint Denial of Service
  T1566: 'phishing', // Phishing
  T1598: 'phishing', // Phishing for Information
  T1534: 'phishing', // Internal Spearphishing
  T1190: 'web_attack', // Exploit Public-Facing Application
  T1189: 'web_attack', // Drive-by Compromise
  T1505: 'web_attack', // Server Software Component (web shells)
  T1110: 'credential_attack', // Brute Force
  T1003: 'credential_attack', // OS Credential Dumping
  T1555: 'credential_attack', // Credentials from Password Stores
  T1558: 'credential_attack', // Steal or Forge Kerberos Tickets
  T1552: 'credential_attack', // Unsecured Credentials
  T1556: 'credential_attack', // Modify Authentication Process
  T1621: 'credential_attack', // MFA Request Generation
  T1021: 'lateral_movement', // Remote Services
  T1570: 'lateral_movement', // Lateral Tool Transfer
  T1550: 'lateral_movement', // Use Alternate Authentication Material
  T1210: 'lateral_movement', // Exploitation of Remote Services
  T1071: 'command_and_control', // Application Layer Protocol
  T1095: 'command_and_control', // Non-Application Layer Protocol
  T1572: 'command_and_control', // Protocol Tunneling
  T1573: 'command_and_control', // Encrypted Channel
  T1090: 'command_and_control', // Proxy
  T1219: 'command_and_control', // Remote Access Tools
  T1568: 'command_and_control', // Dynamic Resolution
  T1571: 'command_and_control', // Non-Standard Port
  T1105: 'malware', // Ingress Tool Transfer
  T1059: 'malware', // Command and Scripting Interpreter
  T1204: 'malware', // User Execution
  T1547: 'malware', // Boot or Logon Autostart Execution
  T1053: 'malware', // Scheduled Task/Job
  T1055: 'malware', // Process Injection
  T1027: 'malware', // Obfuscated Files or Information
};

/** Tactic shortnames → category, used when no technique says more. */
export const TACTIC_CATEGORIES: Readonly<Record<string, AttackCategory>> = {
  exfiltration: 'data_exfiltration',
  'credential-access': 'credential_attack',
  'lateral-movement': 'lateral_movement',
  'command-and-control': 'command_and_control',
  execution: 'malware',
  persistence: 'malware',
  'defense-evasion': 'malware',
  'privilege-escalation': 'malware',
};

/** Words in a rule's title or tags → category (case-insensitive). */
export const RULE_CATEGORIES: readonly {
  readonly pattern: RegExp;
  readonly category: AttackCategory;
}[] = [
  { pattern: /ransom/i, category: 'ransomware' },
  { pattern: /exfiltrat/i, category: 'data_exfiltration' },
  { pattern: /denial[ -]of[ -]service|\bddos\b|\bdos\b|flood/i, category: 'denial_of_service' },
  { pattern: /phish/i, category: 'phishing' },
  { pattern: /web ?shell|sql injection|\bsqli\b|\bxss\b|path traversal/i, category: 'web_attack' },
  {
    pattern: /brute[ -]?force|password spray|credential (dump|theft|stuff)/i,
    category: 'credential_attack',
  },
  {
    pattern: /lateral movement|psexec|pass[ -]the[ -](hash|ticket)/i,
    category: 'lateral_movement',
  },
  {
    pattern: /beacon|\bc2\b|command[ -]and[ -]control|reverse shell/i,
    category: 'command_and_control',
  },
  { pattern: /insider/i, category: 'insider' },
  { pattern: /malware|trojan|backdoor|\brat\b/i, category: 'malware' },
];

export interface CategoryEvidence {
  readonly techniques: readonly string[];
  readonly tactics: readonly string[];
  /** Rule titles and tags of the incident's alerts. */
  readonly ruleTexts: readonly string[];
}

export interface DerivedCategory {
  readonly category: AttackCategory;
  /** Every item that pointed at the winning category: T1059.001, tactic:execution, rule:… */
  readonly basis: readonly string[];
}

export function deriveAttackCategory(evidence: CategoryEvidence): DerivedCategory | undefined {
  const pointers = new Map<AttackCategory, string[]>();
  const point = (category: AttackCategory, basis: string): void => {
    const list = pointers.get(category) ?? [];
    if (!list.includes(basis)) list.push(basis);
    pointers.set(category, list);
  };
  for (const id of evidence.techniques) {
    const category = TECHNIQUE_CATEGORIES[id] ?? TECHNIQUE_CATEGORIES[id.split('.')[0]!];
    if (category) point(category, id);
  }
  for (const shortname of evidence.tactics) {
    const category = TACTIC_CATEGORIES[shortname];
    if (category) point(category, `tactic:${shortname}`);
  }
  for (const text of evidence.ruleTexts) {
    for (const { pattern, category } of RULE_CATEGORIES) {
      if (pattern.test(text)) point(category, `rule:${text.slice(0, 120)}`);
    }
  }
  for (const category of CATEGORY_PRECEDENCE) {
    const basis = pointers.get(category);
    if (basis) return { category, basis };
  }
  return undefined;
}
