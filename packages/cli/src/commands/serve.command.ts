/**
 * `cordon serve`: the platform in one process (SQLite under the data directory unless
 * CORDON_DATABASE_URL names PostgreSQL). On first start it creates the first platform admin
 * and prints the credentials once (the password from CORDON_ADMIN_PASSWORD, or generated).
 */
import { newSecret } from '@cordon/core';
import { createServer, serverConfigFromEnv } from '@cordon/server';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { resolveDataDir } from '../admin/admin-context.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the Cordon server',
  help: [
    'Usage: cordon serve [--data-dir D] [--port P] [--host H]',
    '',
    'Starts the API on http://H:P (default 127.0.0.1:8080). Data lives in D (default ./data):',
    'the SQLite database, evidence files and the server key. CORDON_DATABASE_URL=postgres://…',
    'keeps state in PostgreSQL instead.',
    '',
    'Environment: CORDON_ADMIN_EMAIL, CORDON_ADMIN_PASSWORD (first start), CORDON_LOG_LEVEL,',
    'CORDON_MAX_EVIDENCE_BYTES.',
    '',
    'Options:',
    '  --data-dir D  data directory',
    '  --port P      TCP port (default 8080; 0 picks a free one)',
    '  --host H      address to listen on (default 127.0.0.1)',
    '  --agent-port P  agent gateway port, WebSocket over TLS (default 8443; 0 picks one)',
    '  --agent-host H  address of the agent gateway (default: --host)',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'agent-port': { type: 'string' },
        'agent-host': { type: 'string' },
      },
      strict: true,
    });
    const port = values.port === undefined ? 8080 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port ${values.port} is not a TCP port`);
    const config = serverConfigFromEnv(io.env, {
      dataDir: resolveDataDir(values['data-dir'], io),
      port,
      ...(values.host ? { host: values.host } : {}),
      ...(values['agent-host'] ? { agentHost: values['agent-host'] } : {}),
      ...(values['agent-port'] === undefined ? {} : { agentPort: Number(values['agent-port']) }),
    });
    if (!Number.isInteger(config.agentPort) || config.agentPort < 0 || config.agentPort > 65535)
      throw new UsageError(`agent port ${String(config.agentPort)} is not a TCP port`);
    const server = await createServer({ config });
    const email = io.env['CORDON_ADMIN_EMAIL'] ?? 'admin@cordon.local';
    const givenPassword = io.env['CORDON_ADMIN_PASSWORD'];
    const password = givenPassword ?? newSecret().slice(0, 24);
    const admin = await server.services.access.bootstrapAdmin(email, password);
    const address = await server.app.listen({ host: config.host, port: config.port });
    const url = address.replace('[::1]', 'localhost');
    const agentUrl = await server.containment.listen(
      config.agentHost ?? config.host,
      config.agentPort,
    );
    io.stdout.write(`Cordon is running at ${url}\n`);
    io.stdout.write(`  API: ${url}/api/v1  (OpenAPI: ${url}/api/v1/openapi.json)\n`);
    io.stdout.write(
      `  agents: ${agentUrl}  (certificate SHA-256 ${server.containment.tls().certificateSha256})\n`,
    );
    io.stdout.write(
      `  data: ${config.dataDir}${config.databaseUrl ? ' (state in PostgreSQL)' : ''}\n`,
    );
    if (admin) {
      io.stdout.write(`  first platform admin: ${email}\n`);
      io.stdout.write(
        givenPassword
          ? '  password: from CORDON_ADMIN_PASSWORD\n'
          : `  password (shown once): ${password}\n`,
      );
    }
    await new Promise<void>((resolveStop) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolveStop();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    io.stdout.write('stopping…\n');
    await server.close();
    return 0;
  },
};
