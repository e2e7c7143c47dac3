/** `cordon lab up|status|down|attack`: the network-namespace lab (issue 6). */
import { parseArgs } from 'node:util';
import {
  describeAttack,
  runAttack,
  DEFAULT_LAB_STATE_DIR,
  Lab,
  LAB_NAME_PATTERN,
  MAX_LAB_HOSTS,
  labAgentPaths,
  removeLabNamespaces,
} from '@cordon/lab';
import { deployLab } from './lab-deploy.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';

const common = {
  name: { type: 'string', default: 'lab' },
  'state-dir': { type: 'string', default: DEFAULT_LAB_STATE_DIR },
} as const;

function labName(value: string): string {
  if (!LAB_NAME_PATTERN.test(value))
    throw new UsageError(`--name must match ${String(LAB_NAME_PATTERN)}`);
  return value;
}

function describeLab(lab: Lab): object {
  const host = (h: Lab['attacker']) => ({
    id: h.id,
    role: h.role,
    namespace: h.namespace,
    ipv4: h.ipv4,
    ipv6: h.ipv6,
    agentId: lab.deployment?.agents[h.id]?.agentId ?? null,
  });
  const deployment = lab.deployment;
  return {
    name: lab.layout.name,
    server:
      deployment === undefined
        ? null
        : {
            apiUrl: deployment.apiUrl,
            tenantId: deployment.tenantId,
            gatewayUrl: deployment.gatewayUrl,
            own: deployment.ownServer,
          },
    bridgeNamespace: lab.layout.bridgeNamespace,
    gateway: { ipv4: lab.layout.gatewayIpv4, ipv6: lab.layout.gatewayIpv6 },
    hosts: [...lab.hosts.map(host), host(lab.attacker)],
  };
}

export const labUpCommand: Command = {
  name: 'lab up',
  summary: 'Create the lab: N hosts and an attacker in network namespaces on a bridge',
  help: [
    'Usage: cordon lab up [--hosts N] [--server URL --token T [--gateway HOST:PORT]] [--no-agents]',
    '                     [--name NAME] [--state-dir DIR]',
    '',
    "Each host runs an agent enrolled with the lab's own server (started on a data directory",
    'inside the lab, API on 127.0.0.1) unless --server and --token name an existing one. Hosts',
    'are documented as workstations. Then: eval "$(cordon lab status --env)" and',
    '`cordon action isolate --host h1`.',
    '',
    'Needs root and iproute2. Addresses: 198.18.0.0/24 and fd00:c0d0::/64; the bridge and',
    'its gateway address (198.18.0.1, fd00:c0d0::1) live in a namespace of their own.',
    '',
    'Options:',
    `  --hosts N        number of hosts, 1..${MAX_LAB_HOSTS} (default 2)`,
    '  --name NAME      lab name (default lab)',
    `  --state-dir DIR  where the lab records what it created (default ${DEFAULT_LAB_STATE_DIR})`,
    "  --server URL     an existing server's API; --token T: an incident-lead token for it",
    "  --gateway H:P    that server's agent gateway (default: the API host, port 8443)",
    '  --no-agents      namespaces only: no server, no agents',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...common,
        hosts: { type: 'string', default: '2' },
        server: { type: 'string' },
        token: { type: 'string' },
        gateway: { type: 'string' },
        'no-agents': { type: 'boolean', default: false },
      },
      strict: true,
    });
    if ((values.server === undefined) !== (values.token === undefined))
      throw new UsageError('--server and --token go together');
    const hosts = Number(values.hosts);
    if (!Number.isInteger(hosts) || hosts < 1 || hosts > MAX_LAB_HOSTS)
      throw new UsageError(`--hosts must be 1..${MAX_LAB_HOSTS}`);
    const lab = await Lab.up({ name: labName(values.name), hosts, stateDir: values['state-dir'] });
    if (!values['no-agents']) {
      try {
        await deployLab(
          lab,
          values.server === undefined || values.token === undefined
            ? {}
            : {
                server: {
                  url: values.server.replace(/\/+$/, ''),
                  token: values.token,
                  gateway: values.gateway ?? `${new URL(values.server).hostname}:8443`,
                },
              },
        );
      } catch (error) {
        await lab.down();
        throw error;
      }
    }
    io.stdout.write(`${JSON.stringify(describeLab(lab), null, 2)}\n`);
    return 0;
  },
};

export const labStatusCommand: Command = {
  name: 'lab status',
  summary: 'Show the lab hosts, their namespaces and addresses',
  help: [
    'Usage: cordon lab status [--json | --env] [--name NAME] [--state-dir DIR]',
    '',
    '--json: hosts with namespace, addresses and agent id, and the lab server;',
    '--env: CORDON_SERVER, CORDON_TOKEN and CORDON_TENANT for the lab server, as shell exports.',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { ...common, json: { type: 'boolean' }, env: { type: 'boolean' } },
      strict: true,
    });
    let lab: Lab;
    try {
      lab = await Lab.open(labName(values.name), values['state-dir']);
    } catch {
      io.stderr.write(`cordon: no lab named ${values.name} is up\n`);
      return 1;
    }
    const description = describeLab(lab) as {
      hosts: { id: string; namespace: string; ipv4: string; ipv6: string }[];
    };
    if (values.env) {
      const d = lab.deployment;
      if (d === undefined) {
        io.stderr.write('cordon: this lab has no server (it was brought up with --no-agents)\n');
        return 1;
      }
      io.stdout.write(
        `export CORDON_SERVER=${d.apiUrl} CORDON_TOKEN=${d.apiToken} CORDON_TENANT=${d.tenantId}\n`,
      );
      return 0;
    }
    if (values.json) io.stdout.write(`${JSON.stringify(description, null, 2)}\n`);
    else
      for (const h of description.hosts)
        io.stdout.write(
          `${h.id.padEnd(10)} ${h.namespace.padEnd(32)} ${h.ipv4.padEnd(14)} ${h.ipv6}\n`,
        );
    return 0;
  },
};

export const labDownCommand: Command = {
  name: 'lab down',
  summary: 'Remove the lab: namespaces, links, nftables tables and processes',
  help: ['Usage: cordon lab down [--name NAME] [--state-dir DIR]'].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: common, strict: true });
    const name = labName(values.name);
    const lab = await Lab.open(name, values['state-dir']).catch(() => undefined);
    if (lab !== undefined) await lab.down();
    else await removeLabNamespaces(name);
    io.stdout.write(`lab ${name} is down\n`);
    return 0;
  },
};

export const labAttackCommand: Command = {
  name: 'lab attack',
  summary: 'Run the scripted intrusion from the attacker against a lab host',
  help: [
    'Usage: cordon lab attack [--log FILE] [--host ID] [--port N] [--json] [--name NAME] [--state-dir DIR]',
    '',
    'From the attacker namespace: a C2 listener, SSH-style brute force (connection attempts',
    'and sshd failure lines appended to --log, the auth log the host agent tails), a',
    'reverse-shell command line on the host connecting to the C2 listener and, on a lab with',
    "agents, a cron entry planted in the host agent's persistence root. Returns once the",
    'shell has ended and prints what happened (--json: as JSON). Lab traffic only.',
    '',
    'Options:',
    '  --log FILE   the host auth log to append the brute-force lines to (default: the one',
    '               the lab agent of --host tails)',
    '  --host ID    target host id (default h1)',
    '  --port N     C2 port on the attacker (default 4444)',
    '  --json       print the report as JSON',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ...common,
        host: { type: 'string', default: 'h1' },
        port: { type: 'string', default: '4444' },
        log: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new UsageError('--port must be 1..65535');
    let lab: Lab;
    try {
      lab = await Lab.open(labName(values.name), values['state-dir']);
    } catch {
      io.stderr.write(`cordon: no lab named ${values.name} is up\n`);
      return 1;
    }
    const host = lab.hosts.find((candidate) => candidate.id === values.host);
    if (host === undefined) throw new UsageError(`no host ${values.host} in lab ${values.name}`);
    const authLogPath =
      values.log ??
      (lab.deployment === undefined ? undefined : labAgentPaths(lab, host).authLogPath);
    if (authLogPath === undefined)
      throw new UsageError('--log FILE is required when the lab has no agents');
    const report = await runAttack(lab, {
      host,
      authLogPath,
      c2Port: port,
      ...(lab.deployment === undefined
        ? {}
        : { persistenceRoot: labAgentPaths(lab, host).persistenceRoot }),
    });
    io.stdout.write(
      values.json ? `${JSON.stringify(report, null, 2)}\n` : describeAttack(report, authLogPath),
    );
    return 0;
  },
};
