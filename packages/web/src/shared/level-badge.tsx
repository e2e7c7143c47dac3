/**
 * Severity and alert level as a badge: a tinted background with near-black text, so the word
 * (not the colour alone) carries the meaning and the contrast holds at WCAG AA.
 */
import { Badge } from '@mantine/core';
import type { AlertLevelValue, Severity } from '../api/api-types.ts';
import { SEVERITY_COLOR } from '../api/vocabulary.ts';

export function LevelBadge({
  level,
  children,
}: {
  readonly level: Severity | AlertLevelValue;
  readonly children?: string;
}) {
  return (
    <Badge color={SEVERITY_COLOR[level]} variant="light" c="dark.9" size="sm">
      {children ?? level}
    </Badge>
  );
}
