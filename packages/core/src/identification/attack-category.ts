/**
 * The attack categories an incident is filed under. One closed vocabulary shared by
 * identification (which derives a category from techniques and rules), playbook selection
 * (which picks a playbook by category) and reports, so the three never disagree on a name.
 */
export const ATTACK_CATEGORIES = [
  'malware',
  'ransomware',
  'credential_attack',
  'phishing',
  'web_attack',
  'lateral_movement',
  'command_and_control',
  'data_exfiltration',
  'insider',
  'denial_of_service',
] as const;

export type AttackCategory = (typeof ATTACK_CATEGORIES)[number];

export function isAttackCategory(value: string): value is AttackCategory {
  return (ATTACK_CATEGORIES as readonly string[]).includes(value);
}
