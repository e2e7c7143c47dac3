/** Which part of the console a journal entry's kind touches, so the console refreshes only that. */
import type { Static } from '@sinclair/typebox';
import type { LiveTopic as LiveTopicSchema } from '@cordon/protocol';

export type LiveTopic = Static<typeof LiveTopicSchema>;

export function liveTopicOf(kind: string): LiveTopic {
  const head = kind.slice(0, kind.indexOf('.') === -1 ? kind.length : kind.indexOf('.'));
  switch (head) {
    case 'alert':
      return 'alert';
    case 'incident':
    case 'evidence':
      return 'incident';
    case 'action':
    case 'containment':
      return 'action';
    case 'agent':
    case 'host':
      return 'agent';
    case 'asset':
    case 'assets':
    case 'segment':
    case 'reconciliation':
      return 'asset';
    case 'detection':
      return 'detection';
    default:
      return 'other';
  }
}
