/**
 * The TLS identity of the agent gateway. Agents do not trust a CA: they pin the SHA-256 of this
 * certificate, which every enrolment token carries. Given a certificate and key (config), those
 * are used; otherwise a self-signed P-256 certificate is made in the data directory on first
 * need and reused after (so tokens already handed out stay valid). Making one needs `openssl`.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { CordonError } from '@cordon/core';

export interface AgentTls {
  readonly cert: Buffer;
  readonly key: Buffer;
  /** SHA-256 of the certificate (DER), lowercase hex without colons: what agents pin. */
  readonly certificateSha256: string;
}

export interface AgentTlsOptions {
  readonly dataDir: string;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  /** Names and addresses to put in the self-signed certificate's subjectAltName. */
  readonly hosts?: readonly string[];
}

export function loadOrCreateAgentTls(options: AgentTlsOptions): AgentTls {
  let certFile = options.certFile;
  let keyFile = options.keyFile;
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new CordonError('invalid_input', 'give both the TLS certificate and its key, or neither');
  if (certFile === undefined || keyFile === undefined) {
    const dir = join(options.dataDir, 'tls');
    certFile = join(dir, 'agent-gateway.crt');
    keyFile = join(dir, 'agent-gateway.key');
    if (!existsSync(certFile)) createSelfSigned(dir, certFile, keyFile, options.hosts ?? []);
  }
  const cert = readFileSync(certFile);
  return {
    cert,
    key: readFileSync(keyFile),
    certificateSha256: new X509Certificate(cert).fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

function createSelfSigned(
  dir: string,
  certFile: string,
  keyFile: string,
  hosts: readonly string[],
): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const names = ['localhost', '127.0.0.1', '::1', ...hosts].filter(
    (host, index, all) =>
      host !== '' && host !== '0.0.0.0' && host !== '::' && all.indexOf(host) === index,
  );
  const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  const tmpCert = `${certFile}.${process.pid}.tmp`;
  const tmpKey = `${keyFile}.${process.pid}.tmp`;
  try {
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
        '3650',
        '-subj',
        '/CN=cordon-agent-gateway',
        '-addext',
        `subjectAltName=${san}`,
        '-keyout',
        tmpKey,
        '-out',
        tmpCert,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 },
    );
  } catch (error) {
    throw new CordonError(
      'unavailable',
      'could not make the agent gateway certificate with openssl: install openssl, or configure CORDON_TLS_CERT and CORDON_TLS_KEY',
      { cause: error },
    );
  }
  renameSync(tmpKey, keyFile);
  renameSync(tmpCert, certFile);
}
