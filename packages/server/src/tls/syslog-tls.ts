/**
 * The syslog TLS listener's identity: its own files (never the agent gateway's), checked
 * against the gateway's key when first needed, so a shared key stops the server at start.
 */
import { assertDistinctTlsKeys, loadOrCreateTlsIdentity } from './tls-identity.ts';
import type { TlsIdentity } from './tls-identity.ts';

export function syslogTlsIdentity(options: {
  readonly dataDir: string;
  readonly certFile: string | undefined;
  readonly keyFile: string | undefined;
  readonly hosts: readonly string[];
  readonly gatewayTls: () => TlsIdentity;
}): () => TlsIdentity {
  let identity: TlsIdentity | undefined;
  return () => {
    if (identity !== undefined) return identity;
    const loaded = loadOrCreateTlsIdentity({
      name: 'syslog',
      dataDir: options.dataDir,
      certFile: options.certFile,
      keyFile: options.keyFile,
      hosts: options.hosts,
      configHint:
        '--syslog-tls-cert/--syslog-tls-key or CORDON_SYSLOG_TLS_CERT/CORDON_SYSLOG_TLS_KEY',
    });
    assertDistinctTlsKeys(options.gatewayTls(), loaded);
    identity = loaded;
    return loaded;
  };
}
