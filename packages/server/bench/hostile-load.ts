/**
 * The hostile tenant of `bench:hostile`, in its own process at the lowest CPU priority (nice
 * 19): in real life the attacker's machine is not the server's, so on a shared two-core box
 * its own cost must not be taken from the server. An `attack` command runs the worst inputs of
 * issue 13, each class in its own loop with one request in flight, as fast as the server
 * answers, for the given time: YAML alias-bomb rules, a regex rule (`a[ab]{999}c`) and 64 KB
 * values to run it on, gzip bodies that expand 700-fold into millions of records, search
 * queries nested thousands deep, and 9 MB WebSocket frames at the agent gateway before
 * authenticating. It answers with the requests sent and the answers got, per class.
 * `noop: true` sends in every loop a request the server answers at once (401): what the loops
 * and plain HTTP cost, with none of the hostile work.
 */
import { setPriority } from 'node:os';
import { gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import type { ServerInfo } from './hostile-server-info.ts';
import { serveCommands } from './bench-commands.ts';
import type { AttackCommand, AttackReport, HostileClass } from './hostile-classes.ts';
import { HOSTILE_CLASSES } from './hostile-classes.ts';

setPriority(19);
const info = JSON.parse(process.argv[2]!) as ServerInfo;

async function request(
  path: string,
  init: { token?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<number> {
  const response = await fetch(`${info.address}${path}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: init.body }),
    signal: AbortSignal.timeout(60_000),
  });
  await response.arrayBuffer();
  return response.status;
}

const aliasBomb = [
  'title: bomb',
  'id: 7a6f6d62-0000-4000-8000-000000000001',
  'logsource: {product: windows, category: process_creation}',
  'a0: &a0 [x, x, x, x]',
  ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}, *a${i}, *a${i}]`),
  'detection:',
  '  selection:',
  '    CommandLine|contains: *a9',
  '  condition: selection',
  'level: high',
].join('\n');
const regexRule = [
  'title: costly regex',
  'id: 7a6f6d62-0000-4000-8000-000000000002',
  'logsource: {product: windows, service: security}',
  'detection:',
  '  selection:',
  "    TargetUserName|re: 'a[ab]{999}c'",
  '  condition: selection',
  'level: high',
].join('\n');
const longValues = Array.from({ length: 8 }, (_, i) =>
  JSON.stringify({
    '@timestamp': '2026-11-27T09:00:00.000Z',
    winlog: {
      channel: 'Security',
      event_id: 4625,
      provider_name: 'Microsoft-Windows-Security-Auditing',
      computer_name: `ws${i}`,
      event_data: { TargetUserName: `${'ab'.repeat(32 * 1024)}${i}` },
    },
  }),
).join('\n');
const gzipBomb = gzipSync(Buffer.from('{"m":1}\n'.repeat(4 * 1024 * 1024)), { level: 9 });
// Just under the query's 10,000 characters, so that they reach the parser (and its depth cap)
// rather than being refused by the body schema.
const deepQuery = JSON.stringify({ query: `${'('.repeat(4999)}a${')'.repeat(4999)}` });
const deepNot = JSON.stringify({ query: `${'not '.repeat(2499)}a` });
const bigFrame = Buffer.alloc(9 * 1024 * 1024, 0x61);

const rule = (yaml: string) => (): Promise<number> =>
  request(`/api/v1/tenants/${info.hostile.tenantId}/detection/rules`, {
    token: info.hostile.analyst,
    body: JSON.stringify({ yaml }),
  });
let flip = false;
/** The two deep queries in turn. */
const nextDeepQuery = (): string => {
  flip = !flip;
  return flip ? deepQuery : deepNot;
};
const senders: Record<HostileClass, () => Promise<number>> = {
  'alias-rule': rule(aliasBomb),
  'regex-rule': rule(regexRule),
  'long-values': () =>
    request('/api/v1/ingest?format=json', {
      token: info.hostile.ingest,
      body: longValues,
      headers: { 'content-type': 'application/x-ndjson' },
    }),
  'gzip-bomb': () =>
    request('/api/v1/ingest', {
      token: info.hostile.ingest,
      body: gzipBomb,
      headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
    }),
  'deep-query': () =>
    request(`/api/v1/tenants/${info.hostile.tenantId}/events/search`, {
      token: info.hostile.analyst,
      body: nextDeepQuery(),
    }),
  'oversized-frame': () =>
    new Promise((resolve) => {
      const socket = new WebSocket(info.agentUrl, { rejectUnauthorized: false });
      const done = (code: number): void => {
        socket.terminate();
        resolve(code);
      };
      socket.once('open', () => socket.send(bigFrame));
      socket.once('close', (code) => done(code));
      socket.once('error', () => done(-2));
      setTimeout(() => done(-3), 10_000).unref();
    }),
};

async function attack(command: AttackCommand): Promise<AttackReport> {
  const until = Date.now() + command.ms;
  const sent: Partial<Record<HostileClass, number>> = {};
  const answered: Partial<Record<HostileClass, Record<number, number>>> = {};
  const loop = async (name: HostileClass): Promise<void> => {
    while (Date.now() < until && (sent[name] ?? 0) < (command.count ?? Infinity)) {
      sent[name] = (sent[name] ?? 0) + 1;
      let status: number;
      try {
        status = command.noop ? await request('/bench-noop') : await senders[name]();
      } catch {
        status = -1;
      }
      const counts = (answered[name] ??= {});
      counts[status] = (counts[status] ?? 0) + 1;
    }
  };
  await Promise.all((command.only ?? HOSTILE_CLASSES).map(loop));
  return { sent, answered };
}

serveCommands(attack);
