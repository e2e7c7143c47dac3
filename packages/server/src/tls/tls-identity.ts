/**
 * The TLS identities of the server's own listeners: the agent gateway (agents do not trust a
 * CA: they pin the SHA-256 of its certificate, which every enrolment token carries) and the
 * syslog TLS listener. Each has its own certificate and key (issue 13 item 3: both used one
 * key, so whoever could read or was handed the syslog listener's key could impersonate the
 * agent gateway). Given a certificate and key (config), those are used; otherwise a
 * self-signed P-256 certificate is made in the data directory under the listener's own name on
 * first need and reused after (so tokens already handed out stay valid). Making one needs
 * `openssl`. `assertDistinctTlsKeys` refuses to start when both would use the same key.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { CordonError } from '@cordon/core';

export interface TlsIdentity {
  /** Which listener's: `agent-gateway` or `syslog` (also the self-signed files' name). */
  readonly name: TlsListenerName;
  readonly cert: Buffer;
  readonly key: Buffer;
  /** SHA-256 of the certificate (DER), lowercase hex without colons: what agents pin. */
  readonly certificateSha256: string;
}

export type TlsListenerName = 'agent-gateway' | 'syslog';

export interface TlsIdentityOptions {
  readonly name: TlsListenerName;
  readonly dataDir: string;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  /** Names and addresses to put in the self-signed certificate's subjectAltName. */
  readonly hosts?: readonly string[];
  /** How to configure this listener's files, for error messages (e.g. `--agent-tls-cert`). */
  readonly configHint: string;
}

export function loadOrCreateTlsIdentity(options: TlsIdentityOptions): TlsIdentity {
  let certFile = options.certFile;
  let keyFile = options.keyFile;
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new CordonError(
      'invalid_input',
      `give both the ${options.name} TLS certificate and its key (${options.configHint}), or neither`,
    );
  if (certFile === undefined || keyFile === undefined) {
    const dir = join(options.dataDir, 'tls');
    certFile = join(dir, `${options.name}.crt`);
    keyFile = join(dir, `${options.name}.key`);
    if (!existsSync(certFile)) createSelfSigned(options, certFile, keyFile);
  }
  const cert = readFileSync(certFile);
  return {
    name: options.name,
    cert,
    key: readFileSync(keyFile),
    certificateSha256: new X509Certificate(cert).fingerprint256.replace(/:/g, '').toLowerCase(),
  };
}

/** Throws unless the two identities hold different keys (compared by public key, not path). */
export function assertDistinctTlsKeys(a: TlsIdentity, b: TlsIdentity): void {
  const publicKeyOf = (identity: TlsIdentity): string =>
    createPublicKey(createPrivateKey(identity.key))
      .export({ format: 'der', type: 'spki' })
      .toString('hex');
  if (publicKeyOf(a) === publicKeyOf(b))
    throw new CordonError(
      'invalid_input',
      `the ${a.name} and ${b.name} TLS listeners are configured with the same key: give each its own (a syslog sender's trust must not let anyone stand in for the agent gateway)`,
    );
}

function createSelfSigned(options: TlsIdentityOptions, certFile: string, keyFile: string): void {
  const dir = join(options.dataDir, 'tls');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const names = ['localhost', '127.0.0.1', '::1', ...(options.hosts ?? [])].filter(
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
        `/CN=cordon-${options.name}`,
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
      `could not make the ${options.name} certificate with openssl: install openssl, or configure ${options.configHint}`,
      { cause: error },
    );
  }
  renameSync(tmpKey, keyFile);
  renameSync(tmpCert, certFile);
}
