/**
 * Puts the lab on a Cordon server: relays carry the agent gateway's TLS stream into the lab
 * (the gateway answers on the bridge's own addresses, 198.18.0.1 and fd00:c0d0::1), and one
 * agent per host runs inside the host's namespace, enrolled with a one-time token. Every
 * process is detached and recorded, so it outlives `cordon lab up` and dies with `lab down`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lab } from './lab.ts';
import type { LabHostLayout } from './lab-layout.ts';

const RELAY = fileURLToPath(new URL('./tools/tcp-relay.ts', import.meta.url));
const AGENT = fileURLToPath(new URL('../../agent/bin/cordon-agent.ts', import.meta.url));

export const LAB_GATEWAY_PORT = 8443;
export const LAB_GATEWAY_PATH = '/api/v1/agents/connect';

async function waitUntil(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs: number,
  log?: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const tail =
        log !== undefined && existsSync(log) ? (await readFile(log, 'utf8')).slice(-2000) : '';
      throw new Error(`timed out waiting for ${what}${tail === '' ? '' : `:\n${tail}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Makes the agent gateway at `target` (`HOST:PORT` in the root namespace) answer inside the
 * lab on the bridge addresses; returns the URL agents use.
 */
export async function connectLabGateway(lab: Lab, target: string): Promise<string> {
  await mkdir(lab.workDir, { recursive: true, mode: 0o700 });
  const socket = join(lab.workDir, 'gateway.sock');
  const { bridgeNamespace, gatewayIpv4, gatewayIpv6 } = lab.layout;
  const rootLog = join(lab.workDir, 'relay-root.log');
  await lab.spawnDetached(
    null,
    [process.execPath, RELAY, `tcp:${target}`, `unix:${socket}`],
    rootLog,
  );
  await waitUntil(() => existsSync(socket), 'the root relay', 10_000, rootLog);
  const bridgeLog = join(lab.workDir, 'relay-bridge.log');
  await lab.spawnDetached(
    bridgeNamespace,
    [
      process.execPath,
      RELAY,
      `unix:${socket}`,
      `tcp:${gatewayIpv4}:${LAB_GATEWAY_PORT}`,
      `tcp:[${gatewayIpv6}]:${LAB_GATEWAY_PORT}`,
    ],
    bridgeLog,
  );
  const probeFrom = lab.hosts[0]!.namespace;
  await waitUntil(
    async () => (await lab.probe(probeFrom, gatewayIpv4, LAB_GATEWAY_PORT, 500)) === 'connected',
    'the lab gateway relay',
    10_000,
    bridgeLog,
  );
  return `wss://${gatewayIpv4}:${LAB_GATEWAY_PORT}${LAB_GATEWAY_PATH}`;
}

export interface LabAgentOptions {
  readonly gatewayUrl: string;
  readonly enrolmentToken: string;
  /** Tailed for telemetry (the attack writes its brute force here). */
  readonly authLogPath?: string;
  /** Ship process and connection telemetry (default true). */
  readonly telemetry?: boolean;
}

export interface LabAgent {
  readonly agentId: string;
  readonly pid: number;
  readonly configPath: string;
  readonly logFile: string;
}

export function labAgentPaths(lab: Lab, host: LabHostLayout) {
  const dir = join(lab.workDir, 'agents', host.id);
  return {
    dir,
    configPath: join(dir, 'agent.json'),
    stateDir: join(dir, 'state'),
    logFile: join(dir, 'agent.log'),
    authLogPath: join(dir, 'auth.log'),
    /**
     * The host's own file system for persistence (cron, systemd, keys, profiles): a namespace
     * shares the machine's files, so its agent lists and removes persistence only below this.
     */
    persistenceRoot: join(dir, 'root'),
  };
}

/** A small tree for the host's persistence: its passwd (root and one user) and their homes. */
async function preparePersistenceRoot(root: string): Promise<void> {
  for (const dir of [
    'etc/cron.d',
    'etc/systemd/system',
    'etc/profile.d',
    'root/.ssh',
    'home/analyst/.ssh',
  ])
    await mkdir(join(root, dir), { recursive: true, mode: 0o755 });
  const passwd = join(root, 'etc/passwd');
  if (!existsSync(passwd))
    await writeFile(
      passwd,
      'root:x:0:0:root:/root:/bin/bash\nanalyst:x:1000:1000:lab user:/home/analyst:/bin/bash\n',
    );
}

/** Writes the host's agent configuration and starts the agent, once. */
export async function writeLabAgentConfig(
  lab: Lab,
  host: LabHostLayout,
  options: LabAgentOptions,
): Promise<string> {
  const paths = labAgentPaths(lab, host);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const authLog = options.authLogPath ?? paths.authLogPath;
  if (!existsSync(authLog)) await writeFile(authLog, '');
  await preparePersistenceRoot(paths.persistenceRoot);
  await writeFile(
    paths.configPath,
    `${JSON.stringify(
      {
        serverUrl: options.gatewayUrl,
        enrolmentToken: options.enrolmentToken,
        stateDir: paths.stateDir,
        persistenceRoot: paths.persistenceRoot,
        isolation: {
          server: [
            { address: lab.layout.gatewayIpv4, port: LAB_GATEWAY_PORT },
            { address: lab.layout.gatewayIpv6, port: LAB_GATEWAY_PORT },
          ],
          allow: [],
          // IPv4: the kernel rate-limits the ICMPv6 errors a reject sends (1/s per destination).
          forbiddenTarget: { address: lab.attacker.ipv4, port: 22 },
        },
        telemetry: {
          logFiles: [authLog],
          processes: options.telemetry ?? true,
          connections: options.telemetry ?? true,
        },
      },
      null,
      2,
    )}\n`,
    { mode: 0o600 },
  );
  return paths.configPath;
}

/** Starts (or restarts) the host's agent; resolves once it is enrolled. */
export async function startLabAgent(lab: Lab, host: LabHostLayout): Promise<LabAgent> {
  const paths = labAgentPaths(lab, host);
  const pid = await lab.spawnDetached(
    host.namespace,
    // A UTS namespace of its own, so that the agent (and its telemetry) names the host by its
    // lab id, not by the machine's name that every namespace shares.
    [
      'unshare',
      '--uts',
      'sh',
      '-c',
      'hostname "$0" && exec "$@"',
      host.id,
      process.execPath,
      AGENT,
      'run',
      '--config',
      paths.configPath,
    ],
    paths.logFile,
  );
  const enrolment = join(paths.stateDir, 'enrolment.json');
  await waitUntil(
    () => existsSync(enrolment),
    `the agent of ${host.id} to enrol`,
    30_000,
    paths.logFile,
  );
  const { agentId } = JSON.parse(await readFile(enrolment, 'utf8')) as { agentId: string };
  return { agentId, pid, configPath: paths.configPath, logFile: paths.logFile };
}
