/** The server's configuration: flags and environment merged over defaults. */
import { resolve } from 'node:path';

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
};

export function serverConfigFromEnv(
  env: NodeJS.ProcessEnv,
  overrides: Partial<ServerConfig> = {},
): ServerConfig {
  const fromEnv: Partial<ServerConfig> = {
    ...(env['CORDON_DATA_DIR'] ? { dataDir: resolve(env['CORDON_DATA_DIR']) } : {}),
    ...(env['CORDON_DATABASE_URL'] ? { databaseUrl: env['CORDON_DATABASE_URL'] } : {}),
    ...(env['CORDON_LOG_LEVEL'] ? { logLevel: env['CORDON_LOG_LEVEL'] } : {}),
    ...(env['CORDON_MAX_EVIDENCE_BYTES']
      ? { maxEvidenceBytes: Number(env['CORDON_MAX_EVIDENCE_BYTES']) }
      : {}),
  };
  return { ...defaultServerConfig, ...fromEnv, ...overrides } satisfies ServerConfig;
}
