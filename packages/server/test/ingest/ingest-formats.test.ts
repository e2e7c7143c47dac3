/**
 * Every source format through `POST /api/v1/ingest` on a real server, into the real event
 * store (SQLite file and PostgreSQL): each record comes back from the store normalised, with
 * its log source and the ECS fields detection and search rely on.
 */
import { parseQuery } from '@cordon/core';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_CONNECTION,
  NETFILTER_ACCEPT_BARE,
  NETFILTER_DROP,
  ZEEK_TSV_LOGS,
} from '@cordon/ingest/testing/sensors';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';

const SSHD = [
  'Oct 11 22:14:15 bastion sshd[4121]: Failed password for invalid user admin from 198.51.100.23 port 50022 ssh2',
  'Oct 11 22:14:20 bastion sshd[4122]: Accepted publickey for deploy from 10.0.0.8 port 50100 ssh2: ED25519 SHA256:abc',
  'Oct 11 22:15:01 bastion sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx',
];
const WINDOWS_4625 = {
  '@timestamp': '2024-10-11T22:14:15.000Z',
  winlog: {
    channel: 'Security',
    event_id: 4625,
    provider_name: 'Microsoft-Windows-Security-Auditing',
    computer_name: 'WS-017.corp.example',
    event_data: {
      TargetUserName: 'administrator',
      TargetDomainName: 'CORP',
      LogonType: '3',
      IpAddress: '198.51.100.77',
      IpPort: '50123',
      Status: '0xc000006d',
      SubStatus: '0xc000006a',
    },
  },
};
const ZEEK_CONN =
  '{"ts":1728684855.123456,"uid":"CHhAvVGS1DHFjwGM9","id.orig_h":"198.51.100.9","id.orig_p":51515,"id.resp_h":"10.0.0.5","id.resp_p":22,"proto":"tcp","service":"ssh","conn_state":"REJ","orig_pkts":1,"resp_pkts":1}';
const EVE_ALERT =
  '{"timestamp":"2024-10-11T22:14:15.123456+0000","flow_id":1234567890123456,"event_type":"alert","src_ip":"198.51.100.9","src_port":51515,"dest_ip":"10.0.0.5","dest_port":22,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2001219,"rev":20,"signature":"ET SCAN Potential SSH Scan","category":"Attempted Information Leak","severity":2}}';
const CLOUDTRAIL = {
  eventVersion: '1.09',
  userIdentity: { type: 'IAMUser', accountId: '123456789012', userName: 'ops-admin' },
  eventTime: '2024-10-11T22:14:15Z',
  eventSource: 'signin.amazonaws.com',
  eventName: 'ConsoleLogin',
  awsRegion: 'us-east-1',
  sourceIPAddress: '198.51.100.66',
  errorMessage: 'Failed authentication',
  responseElements: { ConsoleLogin: 'Failure' },
  eventID: '3fcfb5a4-6b7e-4c9d-9f3e-0a1b2c3d4e5f',
  eventType: 'AwsConsoleSignIn',
  recipientAccountId: '123456789012',
};
const CEF =
  'CEF:0|Palo Alto Networks|PAN-OS|10.2.4|end|TRAFFIC|3|rt=Oct 11 2024 22:14:15 GMT src=198.51.100.9 dst=10.0.0.5 spt=40001 dpt=3389 proto=tcp act=deny dvchost=pa-edge-01';
const RFC5424 =
  '<34>1 2024-10-11T22:14:15.003Z web-01.example.com sshd 8710 - [origin ip="10.0.0.9"] Failed password for root from 203.0.113.5 port 40022 ssh2';
const RFC3164_PRI =
  '<38>Oct 11 22:14:15 mail-01 sshd[991]: Invalid user oracle from 203.0.113.8 port 41000';
const RFC3164_NO_PRI =
  'Oct 11 22:14:16 mail-01 CRON[1200]: (root) CMD (run-parts /etc/cron.hourly)';

type Doc = Record<string, unknown> & {
  log_source: Record<string, string>;
  event: Record<string, unknown>;
  fields: Record<string, unknown>;
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`ingest formats over HTTP (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let auth: Record<string, string>;
    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      auth = bearer(await t.token(tenantId, 'ingest'));
    });
    afterAll(async () => t.dispose());

    const ingest = async (
      payload: string | Buffer,
      contentType: string,
      query = '',
      headers: Record<string, string> = {},
    ) => {
      const response = await t.server.app.inject({
        method: 'POST',
        url: `/api/v1/ingest${query}`,
        headers: { ...auth, 'content-type': contentType, ...headers },
        payload,
      });
      return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
    };
    /** Events of one batch, read back from the store by their ids' batch (newest first). */
    const stored = async (query: string): Promise<Doc[]> => {
      const result = await t.server.store.events.search(tenantId, {
        query: parseQuery(query),
        limit: 100,
        sort: 'asc',
      });
      return result.events.map((e) => e.event as Doc);
    };

    it('sshd and sudo lines (text/plain, year-less syslog)', async () => {
      const { status, body } = await ingest(SSHD.join('\n') + '\n', 'text/plain', '?format=syslog');
      expect(status).toBe(200);
      expect(body).toMatchObject({ records: 3, accepted: 3, deadLettered: 0, duplicate: false });
      const events = await stored('log_source.product:linux AND host.name:bastion');
      expect(events.map((e) => e.log_source.service)).toEqual(['sshd', 'sshd', 'sudo']);
      expect(events[0]).toMatchObject({
        source: { ip: '198.51.100.23' },
        user: { name: 'admin' },
        event: { outcome: 'failure' },
      });
      expect(events[1]).toMatchObject({ user: { name: 'deploy' }, event: { outcome: 'success' } });
      expect(String(events[0]!['@timestamp'])).toMatch(/^\d{4}-10-11T22:14:15/);
    });

    it('Windows JSON (Winlogbeat) as a JSON array', async () => {
      const { status, body } = await ingest(JSON.stringify([WINDOWS_4625]), 'application/json');
      expect(status).toBe(200);
      expect(body).toMatchObject({ records: 1, accepted: 1, deadLettered: 0 });
      const [event] = await stored('event.code:4625');
      expect(event).toMatchObject({
        log_source: { product: 'windows', service: 'security' },
        source: { ip: '198.51.100.77' },
        event: { outcome: 'failure' },
      });
      expect(event!.fields['EventID']).toBe(4625);
    });

    it('Zeek conn and Suricata EVE as NDJSON', async () => {
      const { body } = await ingest(`${ZEEK_CONN}\n${EVE_ALERT}\n`, 'application/x-ndjson');
      expect(body).toMatchObject({ records: 2, accepted: 2, deadLettered: 0 });
      const [zeek] = await stored('log_source.product:zeek');
      expect(zeek).toMatchObject({
        log_source: { service: 'conn' },
        source: { ip: '198.51.100.9', port: 51515 },
        destination: { ip: '10.0.0.5', port: 22 },
      });
      const [eve] = await stored('log_source.product:suricata');
      expect(eve).toMatchObject({ event: { kind: 'alert' }, destination: { port: 22 } });
    });

    it('Zeek TSV files (the default format) of every log type, netfilter and agent lines', async () => {
      const files = Object.values(ZEEK_TSV_LOGS).join('');
      const rows = files.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
      const { status, body } = await ingest(gzipSync(files), 'application/gzip', '?format=zeek');
      expect(status).toBe(200);
      expect(body).toMatchObject({ records: rows, accepted: rows, deadLettered: 0 });
      const [ssl] = await stored(
        'log_source.service:ssl AND tls.client.server_name:"cdn.update-check.example"',
      );
      expect(ssl).toMatchObject({
        destination: { ip: '203.0.113.80', port: 443, domain: 'cdn.update-check.example' },
        tls: { version: '1.3' },
        fields: { established: true, cert_chain_fps: [] },
      });
      const conns = await stored('log_source.service:conn AND network.direction:outbound');
      expect(conns[0]).toMatchObject({ network: { bytes: 54053 }, source: { bytes: 1843 } });
      expect(await stored('log_source.service:notice AND event.kind:alert')).toHaveLength(2);
      const lines = [NETFILTER_DROP, NETFILTER_ACCEPT_BARE, AGENT_CONNECTION].join('\n');
      const other = await ingest(lines, 'text/plain');
      expect(other.body).toMatchObject({ records: 3, accepted: 3, deadLettered: 0 });
      const [drop] = await stored('event.dataset:"netfilter.log" AND destination.port:22');
      expect(drop).toMatchObject({ source: { ip: '198.51.100.7' }, network: { transport: 'tcp' } });
      const [agent] = await stored('event.dataset:"agent.network"');
      expect(agent).toMatchObject({ log_source: { category: 'network_connection' } });
    });

    it('CloudTrail ({"Records": [...]}) gzip-compressed', async () => {
      const payload = gzipSync(JSON.stringify({ Records: [CLOUDTRAIL] }));
      const { status, body } = await ingest(payload, 'application/json', '', {
        'content-encoding': 'gzip',
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({ records: 1, accepted: 1 });
      const [event] = await stored('log_source.product:aws');
      expect(event).toMatchObject({
        log_source: { service: 'cloudtrail' },
        source: { ip: '198.51.100.66' },
        user: { name: 'ops-admin' },
        event: { action: 'ConsoleLogin', outcome: 'failure' },
      });
    });

    it('CEF, RFC 5424 and RFC 3164 with and without PRI (application/gzip)', async () => {
      const payload = gzipSync([CEF, RFC5424, RFC3164_PRI, RFC3164_NO_PRI].join('\r\n'));
      const { body } = await ingest(payload, 'application/gzip');
      expect(body).toMatchObject({ records: 4, accepted: 4, deadLettered: 0 });
      const [cef] = await stored('source.ip:198.51.100.9 AND destination.port:3389');
      expect(cef).toMatchObject({ observer: { vendor: 'Palo Alto Networks' } });
      const [rfc5424] = await stored('host.name:"web-01.example.com"');
      expect(rfc5424).toMatchObject({
        '@timestamp': '2024-10-11T22:14:15.003Z',
        log: { syslog: { version: 1, appname: 'sshd', priority: 34 } },
        source: { ip: '203.0.113.5' },
      });
      const mail = await stored('host.name:"mail-01"');
      expect(mail).toHaveLength(2);
      expect(mail[0]).toMatchObject({
        log: { syslog: { priority: 38 } },
        source: { ip: '203.0.113.8' },
      });
      expect(
        (mail[1]!['log'] as { syslog: Record<string, unknown> }).syslog['priority'],
      ).toBeUndefined();
    });

    it('is idempotent: the same batch id is acknowledged again and stored once', async () => {
      const lines = 'Oct 11 23:00:00 idem-host sshd[1]: Connection closed by 10.9.9.9 port 22\n';
      const first = await ingest(lines, 'text/plain', '', { 'idempotency-key': 'file-abc:0' });
      const again = await ingest(lines, 'text/plain', '?batch_id=file-abc:0');
      expect(first.body).toMatchObject({ batchId: 'file-abc:0', accepted: 1, duplicate: false });
      expect(again.body).toMatchObject({ batchId: 'file-abc:0', accepted: 1, duplicate: true });
      expect(await stored('host.name:"idem-host"')).toHaveLength(1);
    });

    it('takes only ingest for an ingest token, and only its own tenant', async () => {
      const other = (await t.server.services.access.createTenant(system, 'Other')).id;
      const wrong = await ingest('x', 'text/plain', `?tenant=${other}`);
      expect(wrong.status).toBe(403);
      const read = await t.server.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${tenantId}/incidents`,
        headers: auth,
      });
      expect(read.statusCode).toBe(403);
      const viewer = bearer(await t.token(tenantId, 'client_viewer'));
      const refused = await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: { ...viewer, 'content-type': 'text/plain' },
        payload: RFC3164_PRI,
      });
      expect(refused.statusCode).toBe(403);
    });
  });
}
