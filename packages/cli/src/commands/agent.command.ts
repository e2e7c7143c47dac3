/** `cordon agent run|enroll|release`: the endpoint agent's own commands (issue 6). */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AgentError,
  AgentRuntime,
  loadAgentConfig,
  parseAgentConfig,
  releaseWithOfflineCode,
} from '@cordon/agent';
import { parseEnrolmentToken } from '@cordon/protocol';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';

function configPath(value: string | undefined): string {
  if (value === undefined) throw new UsageError('--config FILE is required');
  return resolve(value);
}

export const agentRunCommand: Command = {
  name: 'agent run',
  summary: 'Run the endpoint agent (root; Linux nftables)',
  help: [
    'Usage: cordon agent run --config FILE',
    '',
    'Re-applies persisted containment, connects to the server over pinned TLS, sends',
    'heartbeats and telemetry, and executes signed commands. Stops on SIGTERM/SIGINT;',
    'isolation stays in force when the agent stops.',
    '',
    'Options:',
    '  --config FILE  agent configuration (JSON), as written by `cordon agent enroll`',
  ].join('\n'),
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: { config: { type: 'string' } },
      strict: true,
    });
    const runtime = new AgentRuntime({ config: await loadAgentConfig(configPath(values.config)) });
    await runtime.start();
    await new Promise<void>((done) => {
      process.once('SIGTERM', done);
      process.once('SIGINT', done);
    });
    runtime.stop();
    return 0;
  },
};

export const agentEnrollCommand: Command = {
  name: 'agent enroll',
  summary: 'Enrol this host with a server using a one-time tenant token',
  help: [
    'Usage: cordon agent enroll --server URL --token T --config FILE [--state-dir DIR]',
    '',
    'Writes the agent configuration, makes the agent key pair (mode 0600), connects once',
    '(pinning the certificate named by the token) and waits for the server to record it.',
    '',
    'Options:',
    '  --server URL      the agent gateway, e.g. wss://cordon.example:8443/api/v1/agents/connect',
    '  --token T         one-time enrolment token from the server (ce1.…)',
    '  --config FILE     where to write the configuration',
    '  --state-dir DIR   agent state directory (default /var/lib/cordon-agent)',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        config: { type: 'string' },
        'state-dir': { type: 'string' },
      },
      strict: true,
    });
    if (values.server === undefined) throw new UsageError('--server URL is required');
    if (values.token === undefined) throw new UsageError('--token T is required');
    if (parseEnrolmentToken(values.token) === undefined)
      throw new UsageError('--token is not an enrolment token (ce1.…)');
    const path = configPath(values.config);
    const raw = {
      serverUrl: values.server,
      enrolmentToken: values.token,
      stateDir: resolve(values['state-dir'] ?? '/var/lib/cordon-agent'),
      isolation: { allow: [] },
    };
    let config;
    try {
      config = parseAgentConfig(raw, '--server/--state-dir');
    } catch (error) {
      if (error instanceof AgentError) throw new UsageError(error.message);
      throw error;
    }
    await writeFile(path, `${JSON.stringify(raw, null, 2)}\n`, { mode: 0o600 });
    const runtime = new AgentRuntime({ config, logger: () => undefined });
    await runtime.start();
    const deadline = Date.now() + 30_000;
    while (runtime.enrolment === undefined && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 100));
    }
    runtime.stop();
    const enrolment = runtime.enrolment;
    if (enrolment === undefined) {
      io.stderr.write('cordon: the server did not confirm enrolment within 30 s\n');
      return 1;
    }
    io.stdout.write(
      `enrolled as ${enrolment.agentId} (tenant ${enrolment.tenantId}); start with: cordon agent run --config ${path}\n`,
    );
    return 0;
  },
};

export const agentReleaseCommand: Command = {
  name: 'agent release',
  summary: 'Release isolation locally with an offline release code (break glass)',
  help: [
    'Usage: cordon agent release --config FILE --code CODE',
    '',
    'For when the host cannot reach the server: the incident lead reads out a release code',
    'issued by the server for this agent. Each code works once, on this agent only.',
    '',
    'Options:',
    '  --config FILE  agent configuration',
    '  --code CODE    the release code (case, spaces and dashes do not matter)',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { config: { type: 'string' }, code: { type: 'string' } },
      strict: true,
    });
    if (values.code === undefined) throw new UsageError('--code CODE is required');
    const config = await loadAgentConfig(configPath(values.config));
    const result = await releaseWithOfflineCode(config, values.code);
    if (!result.ok) {
      io.stderr.write(`cordon: release code refused: ${result.reason}\n`);
      return 1;
    }
    io.stdout.write(`isolation released (code ${result.codeId})\n`);
    return 0;
  },
};
