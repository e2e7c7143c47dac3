/** Whether live updates are flowing, said in words (not colour alone). */
import { Badge } from '@mantine/core';
import type { LiveState } from './use-live-updates.ts';

const LABEL: Readonly<Record<LiveState, { text: string; color: string }>> = {
  off: { text: 'Live updates off', color: 'gray' },
  connecting: { text: 'Connecting…', color: 'gray' },
  live: { text: 'Live', color: 'green' },
  reconnecting: { text: 'Reconnecting…', color: 'orange' },
  degraded: { text: 'Live updates degraded: retrying', color: 'red' },
};

export function LiveIndicator({ state }: { readonly state: LiveState }) {
  const { text, color } = LABEL[state];
  return (
    <Badge variant="dot" color={color} role="status" aria-live="polite" size="sm">
      {text}
    </Badge>
  );
}
