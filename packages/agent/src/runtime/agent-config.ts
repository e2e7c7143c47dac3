/**
 * The agent's configuration file (JSON). Static settings only: what enrolment learns (tenant,
 * agent id, server key) lives in `enrolment.json` in the state directory, written by the agent.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { checkAllowListScope, parseAllowRule } from '@cordon/protocol';
import type { AllowRule } from '@cordon/protocol';
import { AgentError } from '../agent-error.ts';
import { parseEndpoint } from '../isolation/isolation-policy.ts';
import type { Endpoint } from '../isolation/isolation-policy.ts';

export interface AgentConfig {
  /** `wss://host:port/path` of the server's agent gateway. */
  readonly serverUrl: string;
  /** SHA-256 of the server certificate (hex, colons allowed): the pin. Required for wss. */
  readonly serverCertificateSha256?: string;
  /** Only for tests and labs on loopback: allows `ws://`. */
  readonly allowInsecureTransport?: boolean;
  readonly stateDir: string;
  readonly keyPath: string;
  readonly quarantineDir: string;
  /**
   * Root of the file system persistence is listed and removed in (default `/`); a lab host,
   * which shares the machine's files, points it at its own tree.
   */
  readonly persistenceRoot?: string;
  /** The file this config was loaded from (protected from quarantine, its owner from lockout). */
  readonly configPath?: string;
  /** One-time token for the first connection (`cordon agent enroll` puts it here). */
  readonly enrolmentToken?: string;
  readonly isolation: {
    /** Server endpoints kept open; default: the server URL's address(es) and port. */
    readonly server?: readonly Endpoint[];
    readonly allow: readonly AllowRule[];
    readonly forbiddenTarget?: Endpoint;
  };
  readonly telemetry: {
    readonly logFiles: readonly string[];
    readonly processes: boolean;
    readonly connections: boolean;
    readonly pollIntervalMs: number;
    readonly spoolMaxBytes: number;
  };
  readonly heartbeatIntervalMs: number;
}

type RawConfig = Partial<Omit<AgentConfig, 'isolation' | 'telemetry'>> & {
  isolation?: Partial<AgentConfig['isolation']>;
  telemetry?: Partial<AgentConfig['telemetry']>;
};

export function parseAgentConfig(value: unknown, source = 'config'): AgentConfig {
  const fail = (message: string): never => {
    throw new AgentError('invalid-config', `${source}: ${message}`);
  };
  if (typeof value !== 'object' || value === null) return fail('must be a JSON object');
  const raw = value as RawConfig;
  if (typeof raw.serverUrl !== 'string') return fail('serverUrl is required');
  let url: URL;
  try {
    url = new URL(raw.serverUrl);
  } catch {
    return fail(`serverUrl ${JSON.stringify(raw.serverUrl)} is not a URL`);
  }
  if (url.protocol !== 'wss:' && !(url.protocol === 'ws:' && raw.allowInsecureTransport === true)) {
    fail('serverUrl must be wss:// (ws:// only with allowInsecureTransport)');
  }
  const pin = raw.serverCertificateSha256?.replace(/:/g, '').toLowerCase();
  if (pin !== undefined && !/^[0-9a-f]{64}$/.test(pin))
    fail('serverCertificateSha256 must be 64 hex digits');
  if (typeof raw.stateDir !== 'string' || !isAbsolute(raw.stateDir))
    fail('stateDir must be an absolute path');
  const stateDir = raw.stateDir as string;
  const isolation = raw.isolation ?? {};
  const endpoints = (list: unknown, what: string): Endpoint[] => {
    if (!Array.isArray(list)) return fail(`${what} must be an array`);
    return list.map((entry: Endpoint) => {
      const parsed = parseEndpoint(entry, what);
      return { address: parsed.address.address, port: parsed.port };
    });
  };
  const allow = (isolation.allow ?? []).map((rule) => {
    try {
      return parseAllowRule(rule);
    } catch (error) {
      return fail(`isolation.allow: ${(error as Error).message}`);
    }
  });
  try {
    checkAllowListScope(allow.map((rule) => rule.network));
  } catch (error) {
    fail(`isolation.allow: ${(error as Error).message}`);
  }
  const telemetry = raw.telemetry ?? {};
  const config: AgentConfig = {
    serverUrl: raw.serverUrl,
    ...(pin === undefined ? {} : { serverCertificateSha256: pin }),
    allowInsecureTransport: raw.allowInsecureTransport === true,
    stateDir,
    keyPath: raw.keyPath ?? join(stateDir, 'agent.key'),
    quarantineDir: raw.quarantineDir ?? join(stateDir, 'quarantine'),
    ...(raw.persistenceRoot === undefined
      ? {}
      : {
          persistenceRoot: isAbsolute(raw.persistenceRoot)
            ? raw.persistenceRoot
            : fail('persistenceRoot must be an absolute path'),
        }),
    ...(raw.enrolmentToken === undefined ? {} : { enrolmentToken: raw.enrolmentToken }),
    isolation: {
      ...(isolation.server === undefined
        ? {}
        : { server: endpoints(isolation.server, 'isolation.server') }),
      allow: allow.map((rule) =>
        rule.ports.length > 0
          ? { network: rule.network.cidr, ports: rule.ports }
          : { network: rule.network.cidr },
      ),
      ...(isolation.forbiddenTarget === undefined
        ? {}
        : {
            forbiddenTarget: endpoints([isolation.forbiddenTarget], 'isolation.forbiddenTarget')[0],
          }),
    },
    telemetry: {
      logFiles: (telemetry.logFiles ?? []).map((path) =>
        isAbsolute(path) ? path : fail(`telemetry.logFiles: ${path} is not absolute`),
      ),
      processes: telemetry.processes ?? true,
      connections: telemetry.connections ?? true,
      pollIntervalMs: telemetry.pollIntervalMs ?? 2000,
      spoolMaxBytes: telemetry.spoolMaxBytes ?? 64 * 1024 * 1024,
    },
    heartbeatIntervalMs: raw.heartbeatIntervalMs ?? 15_000,
  };
  return config;
}

export async function loadAgentConfig(path: string): Promise<AgentConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AgentError('invalid-config', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AgentError(
      'invalid-config',
      `${path} is not valid JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { ...parseAgentConfig(value, path), configPath: path };
}
