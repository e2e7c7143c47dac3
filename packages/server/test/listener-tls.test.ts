/**
 * issue 13 item 3: the agent gateway and the syslog TLS listener served one certificate and
 * key, so the key handed to (or taken from) the syslog side could stand in for the gateway
 * that agents pin. Each now has its own files and configuration, self-signed defaults under
 * different names, and a server configured with one key for both refuses to start.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultServerConfig, serverConfigFromEnv } from '../src/index.ts';
import type { TestServer } from './test-server.ts';
import { startTestServer, system } from './test-server.ts';

async function peerCertificateSha256(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.destroy();
      resolve(fingerprint.replace(/:/g, '').toLowerCase());
    });
    socket.once('error', reject);
  });
}

describe('TLS listeners (sqlite)', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('gives the syslog TLS listener its own self-signed key, not the gateway’s', async () => {
    t = await startTestServer('sqlite');
    const acme = (await t.server.services.access.createTenant(system, 'acme')).id;
    const syslog = await t.server.ingestion.addListener({
      transport: 'tls',
      host: '127.0.0.1',
      port: 0,
      tenant: acme,
    });
    const gateway = t.server.containment.tls().certificateSha256;
    expect(await peerCertificateSha256(syslog.port)).not.toBe(gateway);
    const dir = join(t.server.config.dataDir, 'tls');
    expect(existsSync(join(dir, 'agent-gateway.key'))).toBe(true);
    expect(existsSync(join(dir, 'syslog.key'))).toBe(true);
  });

  it('refuses to start when the gateway and the syslog TLS listener share a key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cordon-tls-'));
    const cert = join(dir, 'shared.crt');
    const key = join(dir, 'shared.key');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=shared',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    try {
      // A first start makes the tenant the listener names (the data dir is kept between).
      const first = await startTestServer('sqlite', { dataDir: dir });
      await first.server.services.access.createTenant(system, 'acme');
      await first.dispose();
      await expect(
        startTestServer('sqlite', {
          dataDir: dir,
          tlsCertFile: cert,
          tlsKeyFile: key,
          syslogTlsCertFile: cert,
          syslogTlsKeyFile: key,
          ingest: {
            ...defaultServerConfig.ingest,
            syslog: [{ transport: 'tls', host: '127.0.0.1', port: 0, tenant: 'acme' }],
          },
        }),
      ).rejects.toThrow(/same key/);
    } finally {
      // The refused start leaves what it opened before the check running a moment (noted as
      // a leak of a failed createServer); retry rather than fail on a file written meanwhile.
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  });

  // Siblings of issue 13 item 12 on the gateway's own listener: a plain request or an upgrade
  // to another path was left open (no handler), holding a socket for as long as the peer liked.
  it('answers at once what is not an agent connection on the gateway listener', async () => {
    t = await startTestServer('sqlite');
    const url = new URL(await t.server.containment.listen('127.0.0.1', 0));
    const ask = (head: string) =>
      new Promise<string>((resolve, reject) => {
        let answer = '';
        const socket = connect(
          { host: '127.0.0.1', port: Number(url.port), rejectUnauthorized: false },
          () => socket.write(head),
        );
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        socket.once('close', () => resolve(answer));
        socket.once('error', reject);
        socket.setTimeout(5000, () => {
          socket.destroy();
          resolve('(still open after 5 s)');
        });
      });
    expect(await ask('GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 404/,
    );
    expect(
      await ask(
        'GET /elsewhere HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      ),
    ).toMatch(/^HTTP\/1\.1 404/);
  });

  it('refuses the old shared CORDON_TLS_CERT/CORDON_TLS_KEY', () => {
    expect(() =>
      serverConfigFromEnv({ CORDON_TLS_CERT: '/x.crt', CORDON_TLS_KEY: '/x.key' }),
    ).toThrow(/CORDON_AGENT_TLS_CERT.*CORDON_SYSLOG_TLS_CERT/);
  });
});
