/**
 * Live updates: one EventSource per open tenant (`/tenants/:id/live`). Each event names what
 * changed; the matching queries are invalidated (batched), so open screens refetch just that.
 * The browser reconnects on its own and sends Last-Event-ID, and the server replays from its
 * journal, so a dropped connection loses nothing.
 */
import type { QueryClient } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Live } from '../api/api-types.ts';
import { queryKeys } from '../api/query-keys.ts';

export type LiveState = 'off' | 'connecting' | 'live' | 'reconnecting';

function keysFor(tenantId: string, event: Live): readonly (readonly unknown[])[] {
  switch (event.topic) {
    case 'alert':
      return [queryKeys.alerts(tenantId), queryKeys.overview];
    case 'incident':
      return [queryKeys.incidents(tenantId), queryKeys.journal(tenantId), queryKeys.overview];
    case 'action':
      return [
        queryKeys.actions(tenantId),
        queryKeys.journal(tenantId),
        queryKeys.agents(tenantId),
        queryKeys.overview,
        ...(event.incidentId ? [queryKeys.incident(tenantId, event.incidentId)] : []),
      ];
    case 'agent':
      return [queryKeys.agents(tenantId), queryKeys.overview];
    case 'detection':
      return [
        queryKeys.detection(tenantId),
        queryKeys.tenant(tenantId).concat('preparation'),
        queryKeys.journal(tenantId),
      ];
    case 'asset':
    case 'other':
      return [queryKeys.tenant(tenantId).concat('preparation'), queryKeys.journal(tenantId)];
  }
}

function invalidator(client: QueryClient): (keys: readonly (readonly unknown[])[]) => void {
  const pending = new Map<string, readonly unknown[]>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (keys) => {
    for (const key of keys) pending.set(JSON.stringify(key), key);
    timer ??= setTimeout(() => {
      timer = undefined;
      const batch = [...pending.values()];
      pending.clear();
      for (const queryKey of batch) void client.invalidateQueries({ queryKey });
    }, 250);
  };
}

export function useLiveUpdates(tenantId: string | undefined): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('off');
  useEffect(() => {
    if (!tenantId || typeof EventSource === 'undefined') {
      setState('off');
      return undefined;
    }
    setState('connecting');
    const invalidate = invalidator(client);
    const source = new EventSource(`/api/v1/tenants/${encodeURIComponent(tenantId)}/live`);
    source.onopen = () => setState('live');
    source.onerror = () =>
      setState(source.readyState === EventSource.CLOSED ? 'off' : 'reconnecting');
    source.addEventListener('change', (message) => {
      try {
        invalidate(keysFor(tenantId, JSON.parse((message as MessageEvent<string>).data) as Live));
      } catch {
        // A malformed event changes nothing; the next refetch shows the truth anyway.
      }
    });
    return () => source.close();
  }, [tenantId, client]);
  return state;
}
