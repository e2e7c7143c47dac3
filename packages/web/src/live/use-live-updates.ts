/**
 * Live updates: one EventSource per open tenant (`/tenants/:id/live`). Each event names what
 * changed; the matching queries are invalidated (batched), so open screens refetch just that.
 * The browser reconnects on its own and sends Last-Event-ID, and the server replays from its
 * journal, so a dropped connection loses nothing. A refusal (429 past the stream cap, an
 * expired session, a server error) closes the EventSource for good: the console then says
 * live updates are degraded and retries with a growing wait (`live-retry.ts`), resuming after
 * the last event it saw (`?after=`), or refetching everything when it never saw one.
 */
import type { QueryClient } from '@tanstack/react-query';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Live } from '../api/api-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import { liveRetryDelayMs } from './live-retry.ts';

export type LiveState = 'off' | 'connecting' | 'live' | 'reconnecting' | 'degraded';

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
    const base = `/api/v1/tenants/${encodeURIComponent(tenantId)}/live`;
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let lastEventId: string | undefined;
    const connect = (): void => {
      const opened = new EventSource(lastEventId ? `${base}?after=${lastEventId}` : base);
      source = opened;
      opened.onopen = () => {
        // Back after a refusal without a place to resume from: what changed meanwhile is unknown.
        if (failures > 0 && !lastEventId)
          void client.invalidateQueries({ queryKey: queryKeys.tenant(tenantId) });
        failures = 0;
        setState('live');
      };
      opened.onerror = () => {
        if (opened.readyState !== EventSource.CLOSED) {
          setState('reconnecting'); // the browser retries a dropped connection itself
          return;
        }
        opened.close();
        failures += 1;
        setState('degraded');
        retry = setTimeout(connect, liveRetryDelayMs(failures, Math.random()));
      };
      opened.addEventListener('change', (message) => {
        const event = message as MessageEvent<string>;
        if (/^[0-9]{1,15}$/.test(event.lastEventId)) lastEventId = event.lastEventId;
        try {
          invalidate(keysFor(tenantId, JSON.parse(event.data) as Live));
        } catch {
          // A malformed event changes nothing; the next refetch shows the truth anyway.
        }
      });
    };
    connect();
    return () => {
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [tenantId, client]);
  return state;
}
