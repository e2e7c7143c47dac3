/** The server's configuration: flags and environment merged over defaults. */
import { resolve } from 'node:path';
import type { VerificationLimits } from '@cordon/core';
import { fileURLToPath } from 'node:url';
import { parseTrustedProxies } from './http/trusted-proxies.ts';
import type { RemoteWitnessConfig } from './journal/remote-witnesses.ts';
import { remoteWitnessConfigFromEnv } from './journal/remote-witnesses.ts';
import type { IngestConfig } from './ingest/ingest-config.ts';
import { defaultIngestConfig, ingestConfigFromEnv } from './ingest/ingest-config.ts';
import type { DetectionConfig } from './detection/detection-config.ts';
import { defaultDetectionConfig, detectionConfigFromEnv } from './detection/detection-config.ts';
import type { FairnessConfig } from './fairness/fairness-config.ts';
import { defaultFairnessConfig, fairnessConfigFromEnv } from './fairness/fairness-config.ts';
import type { NotificationConfig } from './notifications/notification-config.ts';
import {
  defaultNotificationConfig,
  notificationConfigFromEnv,
} from './notifications/notification-config.ts';

export interface ServerConfig {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** `postgres://…` for PostgreSQL; undefined for SQLite in dataDir. */
  readonly databaseUrl: string | undefined;
  /** PostgreSQL schema (tests); undefined for the connection's default. */
  readonly databaseSchema: string | undefined;
  readonly maxEvidenceBytes: number;
  /** Limit for JSON request bodies. */
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  /** Sign journal checkpoints of heads that moved, this often. */
  readonly checkpointIntervalMs: number;
  /**
   * Append-only file every checkpoint is copied to (CORDON_JOURNAL_WITNESS); undefined:
   * witness/journal-witness.jsonl in dataDir. Best kept off the database's disk.
   */
  readonly journalWitnessPath: string | undefined;
  /** Optional witnesses on other systems (CORDON_JOURNAL_WITNESS_WEBHOOK, …_SYSLOG). */
  readonly journalWitnessRemote: RemoteWitnessConfig;
  /** Agent gateway (WebSocket over TLS, pinned certificate): its own listener. */
  readonly agentHost: string | undefined;
  /** Port of the agent gateway; 0 picks a free one. */
  readonly agentPort: number;
  /** PEM certificate and key of the agent gateway; unset: self-signed in dataDir/tls. */
  readonly tlsCertFile: string | undefined;
  readonly tlsKeyFile: string | undefined;
  /** The syslog TLS listener's own certificate and key (never the gateway's); unset: self-signed. */
  readonly syslogTlsCertFile: string | undefined;
  readonly syslogTlsKeyFile: string | undefined;
  /** The ingestion pipeline: HTTP bulk limits, queue, syslog listeners (ingest-config.ts). */
  readonly ingest: IngestConfig;
  /** Live detection: rule directories, alert and incident levels, triage windows. */
  readonly detection: DetectionConfig;
  /**
   * Reverse proxies whose `X-Forwarded-For` gives the client's address (addresses, CIDRs;
   * `trusted-proxies.ts`). Empty: the peer's own address, whatever the header says.
   */
  readonly trustedProxies: readonly string[];
  /** Each tenant's share of ingest, rule checks and searches (fairness/fairness-config.ts). */
  readonly fairness: FairnessConfig;
  /** The built console served at `/` (CORDON_CONSOLE_DIR); default packages/web/dist. */
  readonly consoleDir: string | undefined;
  /** SMTP relay, webhook destinations allowed, retries (notifications/notification-config.ts). */
  readonly notifications: NotificationConfig;
  /** Verification limits: a re-hunt run's budget of events and time, its page size … */
  readonly verification: Partial<VerificationLimits>;
}

export const defaultServerConfig: ServerConfig = {
  dataDir: resolve('data'),
  host: '127.0.0.1',
  port: 8080,
  databaseUrl: undefined,
  databaseSchema: undefined,
  maxEvidenceBytes: 2 * 1024 * 1024 * 1024,
  bodyLimitBytes: 1024 * 1024,
  logLevel: 'info',
  checkpointIntervalMs: 10_000,
  journalWitnessPath: undefined,
  journalWitnessRemote: { webhook: undefined, syslog: undefined },
  agentHost: undefined,
  agentPort: 8443,
  tlsCertFile: undefined,
  tlsKeyFile: undefined,
  syslogTlsCertFile: undefined,
  syslogTlsKeyFile: undefined,
  ingest: defaultIngestConfig,
  detection: defaultDetectionConfig,
  trustedProxies: [],
  fairness: defaultFairnessConfig,
  // Beside this package in the workspace: packages/web/dist (a path, not an import of @cordon/web).
  consoleDir: fileURLToPath(new URL('../../web/dist', import.meta.url)),
  notifications: defaultNotificationConfig,
  verification: {},
};

export function serverConfigFromEnv(
  env: NodeJS.ProcessEnv,
  overrides: Partial<ServerConfig> = {},
): ServerConfig {
  // One pair of files used to serve both the agent gateway and the syslog TLS listener.
  if (env['CORDON_TLS_CERT'] || env['CORDON_TLS_KEY'])
    throw new Error(
      'CORDON_TLS_CERT/CORDON_TLS_KEY are gone: give the agent gateway CORDON_AGENT_TLS_CERT/CORDON_AGENT_TLS_KEY and the syslog TLS listener CORDON_SYSLOG_TLS_CERT/CORDON_SYSLOG_TLS_KEY (different keys)',
    );
  const fromEnv: Partial<ServerConfig> = {
    ...(env['CORDON_DATA_DIR'] ? { dataDir: resolve(env['CORDON_DATA_DIR']) } : {}),
    ...(env['CORDON_DATABASE_URL'] ? { databaseUrl: env['CORDON_DATABASE_URL'] } : {}),
    ...(env['CORDON_AGENT_PORT'] ? { agentPort: Number(env['CORDON_AGENT_PORT']) } : {}),
    ...(env['CORDON_AGENT_TLS_CERT'] ? { tlsCertFile: resolve(env['CORDON_AGENT_TLS_CERT']) } : {}),
    ...(env['CORDON_AGENT_TLS_KEY'] ? { tlsKeyFile: resolve(env['CORDON_AGENT_TLS_KEY']) } : {}),
    ...(env['CORDON_SYSLOG_TLS_CERT']
      ? { syslogTlsCertFile: resolve(env['CORDON_SYSLOG_TLS_CERT']) }
      : {}),
    ...(env['CORDON_SYSLOG_TLS_KEY']
      ? { syslogTlsKeyFile: resolve(env['CORDON_SYSLOG_TLS_KEY']) }
      : {}),
    ...(env['CORDON_JOURNAL_WITNESS']
      ? { journalWitnessPath: resolve(env['CORDON_JOURNAL_WITNESS']) }
      : {}),
    journalWitnessRemote: remoteWitnessConfigFromEnv(env),
    ...(env['CORDON_LOG_LEVEL'] ? { logLevel: env['CORDON_LOG_LEVEL'] } : {}),
    ...(env['CORDON_MAX_EVIDENCE_BYTES']
      ? { maxEvidenceBytes: Number(env['CORDON_MAX_EVIDENCE_BYTES']) }
      : {}),
    ...(env['CORDON_TRUSTED_PROXIES']
      ? { trustedProxies: parseTrustedProxies(env['CORDON_TRUSTED_PROXIES'].split(',')) }
      : {}),
    ...(env['CORDON_CONSOLE_DIR'] ? { consoleDir: resolve(env['CORDON_CONSOLE_DIR']) } : {}),
    ingest: ingestConfigFromEnv(env),
    detection: detectionConfigFromEnv(env),
    fairness: fairnessConfigFromEnv(env),
    notifications: notificationConfigFromEnv(env),
  };
  return { ...defaultServerConfig, ...fromEnv, ...overrides } satisfies ServerConfig;
}
