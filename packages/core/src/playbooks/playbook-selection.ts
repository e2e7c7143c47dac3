/**
 * Which playbooks fit an incident. A playbook says in its Cordon extension which attack
 * categories and ATT&CK techniques it answers; the score is documented so an analyst can see
 * why one came first:
 *
 *   - the incident's category is one of the playbook's categories: 10
 *   - each incident technique the playbook names exactly (T1059.001 = T1059.001): 3
 *   - each other incident technique of the same parent technique as one the playbook
 *     names (T1059.001 against T1059 or T1059.003, T1059 against T1059.001): 1
 *
 * Playbooks scoring 0 are not suggested; ties go by name.
 */
import type { PlaybookApplicability } from './playbook-document.ts';

export const SELECTION_WEIGHTS = { category: 10, technique: 3, parentTechnique: 1 } as const;

export interface PlaybookCandidate {
  readonly playbookId: string;
  readonly name: string;
  readonly applicability: PlaybookApplicability;
}

export interface PlaybookSuggestion {
  readonly playbookId: string;
  readonly name: string;
  readonly score: number;
  readonly reasons: readonly string[];
}

const parentOf = (technique: string): string => technique.split('.')[0]!;

export function scorePlaybook(
  candidate: PlaybookCandidate,
  incident: { readonly category: string | null; readonly techniques: readonly string[] },
): PlaybookSuggestion {
  const reasons: string[] = [];
  let score = 0;
  const { categories, techniques } = candidate.applicability;
  if (incident.category !== null && categories.includes(incident.category)) {
    score += SELECTION_WEIGHTS.category;
    reasons.push(`category ${incident.category}`);
  }
  const named = new Set(techniques.map((t) => t.toUpperCase()));
  for (const raw of new Set(incident.techniques.map((t) => t.toUpperCase()))) {
    if (named.has(raw)) {
      score += SELECTION_WEIGHTS.technique;
      reasons.push(`technique ${raw}`);
    } else if (
      named.has(parentOf(raw)) ||
      [...named].some((t) => parentOf(t) === raw || parentOf(t) === parentOf(raw))
    ) {
      score += SELECTION_WEIGHTS.parentTechnique;
      reasons.push(`related technique ${raw}`);
    }
  }
  return { playbookId: candidate.playbookId, name: candidate.name, score, reasons };
}

export function suggestPlaybooks(
  candidates: readonly PlaybookCandidate[],
  incident: { readonly category: string | null; readonly techniques: readonly string[] },
): PlaybookSuggestion[] {
  return candidates
    .map((candidate) => scorePlaybook(candidate, incident))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
}
