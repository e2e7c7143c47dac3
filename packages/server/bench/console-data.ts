/**
 * Load for the console benches: a server with one tenant holding N incidents, M alerts and E
 * events, filled in seconds through the storage layer's bulk loader and the event store's
 * batch append (no journal entries: generated load, not records), plus an analyst token and an
 * analyst who signs in with a password (the browser's way in). The server serves the built
 * console (`packages/web/dist`, the default). `bench:console-api` and `bench:console` use it.
 */
import type { Principal } from '@cordon/core';
import { bulkLoad, consoleLoad } from '@cordon/storage';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CordonServer } from '../src/index.ts';
import { createServer, defaultServerConfig } from '../src/index.ts';

const system: Principal = { kind: 'system', name: 'bench' };
const EVENTS_PER_BATCH = 5_000;

export interface ConsoleData {
  readonly server: CordonServer;
  readonly tenantId: string;
  readonly token: string;
  /** An analyst of the tenant who signs in with a password (the browser bench's user). */
  readonly analyst: { readonly email: string; readonly password: string };
  /** An incident that exists (for an incident page). */
  readonly incidentId: string;
  dispose(): Promise<void>;
}

export interface ConsoleDataSize {
  readonly incidents: number;
  readonly alerts: number;
  readonly events: number;
}

export async function consoleData(size: ConsoleDataSize): Promise<ConsoleData> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cordon-console-bench-'));
  const server = await createServer({
    config: { ...defaultServerConfig, dataDir, port: 0 },
    logger: false,
  });
  const tenantId = (await server.services.access.createTenant(system, 'Bench tenant')).id;
  const now = Date.now();
  const load = consoleLoad({ tenantId, incidents: size.incidents, alerts: size.alerts, now });
  await bulkLoad(server.store, tenantId, load);
  for (let i = 0; i < size.events; i += EVENTS_PER_BATCH) {
    const events = Array.from({ length: Math.min(EVENTS_PER_BATCH, size.events - i) }, (_, k) => {
      const n = i + k;
      return {
        '@timestamp': new Date(now - n * 1000).toISOString(),
        host: { name: `load-host-${n % 500}` },
        event: { action: n % 7 === 0 ? 'logon-failed' : 'process-created' },
        user: { name: `user${n % 50}` },
        message: `load event ${n}`,
      };
    });
    await server.store.events.appendBatch(tenantId, { batchId: `load-${i}`, events });
  }
  const { token } = await server.services.access.createToken(system, { tenantId, role: 'analyst' });
  const analyst = { email: 'analyst@bench.example', password: 'a long enough bench password' };
  await server.services.access.createUser(system, { ...analyst, role: 'analyst', tenantId });
  return {
    server,
    tenantId,
    token,
    analyst,
    incidentId: load.incidents[Math.floor(load.incidents.length / 2)]!.id,
    dispose: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
