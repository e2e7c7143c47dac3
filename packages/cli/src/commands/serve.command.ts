/**
 * `cordon serve`: the platform in one process (SQLite under the data directory unless
 * CORDON_DATABASE_URL names PostgreSQL). On first start it creates the first platform admin
 * and prints the credentials once (the password from CORDON_ADMIN_PASSWORD, or generated).
 */
import { CordonError, newSecret } from '@cordon/core';
import {
  ListenerSpecError,
  createServer,
  parseListenerSpec,
  parseSenderHostBinding,
  parseTenantRoute,
  parseTrustedProxies,
  serverConfigFromEnv,
  setUpDemo,
  tuneHeapForServing,
} from '@cordon/server';
import type { ServerConfig } from '@cordon/server';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { resolveDataDir } from '../admin/admin-context.ts';
import { demoReport } from './demo-report.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Start the Cordon server',
  help: [
    'Usage: cordon serve [--data-dir D] [--port P] [--host H] [--demo]',
    '',
    'Starts the API on http://H:P (default 127.0.0.1:8080). Data lives in D (default ./data):',
    'the SQLite database, evidence files and the server key. CORDON_DATABASE_URL=postgres://…',
    'keeps state in PostgreSQL instead.',
    '',
    'Environment: CORDON_ADMIN_EMAIL, CORDON_ADMIN_PASSWORD (first start), CORDON_LOG_LEVEL,',
    'CORDON_MAX_EVIDENCE_BYTES, CORDON_HEAP_GROWING_PERCENT (old-generation growth between',
    'full collections, default 100 = 2x; 0 leaves V8 its own).',
    'Journal witness: CORDON_JOURNAL_WITNESS (file; default D/witness/journal-witness.jsonl),',
    'CORDON_JOURNAL_WITNESS_WEBHOOK (URL), CORDON_JOURNAL_WITNESS_SYSLOG (udp://H:P or tcp://H:P).',
    '',
    'Options:',
    '  --data-dir D  data directory',
    '  --port P      TCP port (default 8080; 0 picks a free one)',
    '  --host H      address to listen on (default 127.0.0.1)',
    '  --demo        set up the demo tenant (sample data) at start, as `cordon demo` does',
    '  --agent-port P  agent gateway port, WebSocket over TLS (default 8443; 0 picks one)',
    '  --agent-host H  address of the agent gateway (default: --host)',
    '  --trusted-proxy A  a reverse proxy (address or CIDR) whose X-Forwarded-For names the',
    '                  client (repeatable; also CORDON_TRUSTED_PROXIES, comma-separated).',
    '                  Without it the peer address counts: sign-in limits are per client only',
    '                  if every proxy in front of Cordon is listed.',
    '',
    'Syslog listeners (each option may repeat; TENANT is a tenant id or name):',
    '  --syslog-udp HOST:PORT[=TENANT]  RFC 5426 over UDP (drops, counted, when the queue is full)',
    '  --syslog-tcp HOST:PORT[=TENANT]  RFC 6587, newline or octet-counting framing',
    '  --syslog-tls HOST:PORT[=TENANT]  RFC 5425 over TLS, with --syslog-tls-cert/--syslog-tls-key',
    '                                   (default: the self-signed certificate of the agent gateway)',
    '  --syslog-map CIDR=TENANT         tenant of listeners named without one, by sender address',
    '  --agent-tls-cert FILE, --agent-tls-key FILE  PEM certificate and key of the agent gateway',
    "  --syslog-tls-cert FILE, --syslog-tls-key FILE  the syslog TLS listener's (another key)",
    '      (unset: self-signed, data-dir/tls/agent-gateway.* and data-dir/tls/syslog.*)',
    '  --syslog-host ADDR=TENANT:HOST[+HOST]  the host(s) a sender speaks for (event provenance;',
    '                                   over TCP/TLS it confirms them for auto-containment)',
    '  --syslog-udp-confirms-hosts      let UDP host bindings confirm too (weaker: UDP senders',
    '                                   can be spoofed)',
    '',
    'Also from the environment: CORDON_SYSLOG_UDP, CORDON_SYSLOG_TCP, CORDON_SYSLOG_TLS,',
    'CORDON_SYSLOG_MAP, CORDON_SYSLOG_HOSTS (comma-separated), CORDON_SYSLOG_UDP_CONFIRMS_HOSTS=1,',
    'CORDON_AGENT_TLS_CERT, CORDON_AGENT_TLS_KEY,',
    'CORDON_SYSLOG_TLS_CERT, CORDON_SYSLOG_TLS_KEY,',
    'CORDON_INGEST_MAX_BODY_BYTES, CORDON_INGEST_QUEUE_EVENTS, CORDON_INGEST_QUEUE_BYTES.',
    '',
    'Live detection (our correlation rules always run; add SigmaHQ or your own):',
    '  --rules DIR                      Sigma rule directory run for every tenant (repeatable)',
    'Also: CORDON_RULES (directories, : separated), CORDON_ALERT_MIN_LEVEL (default low),',
    'CORDON_INCIDENT_MIN_LEVEL (default medium), CORDON_ALERT_MERGE_MINUTES (default 15),',
    'CORDON_ALERT_GROUP_MINUTES (default 60).',
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
        'syslog-udp': { type: 'string', multiple: true },
        'syslog-tcp': { type: 'string', multiple: true },
        'syslog-tls': { type: 'string', multiple: true },
        'syslog-map': { type: 'string', multiple: true },
        'syslog-host': { type: 'string', multiple: true },
        'syslog-udp-confirms-hosts': { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'agent-tls-cert': { type: 'string' },
        'agent-tls-key': { type: 'string' },
        'syslog-tls-cert': { type: 'string' },
        'syslog-tls-key': { type: 'string' },
        rules: { type: 'string', multiple: true },
        'trusted-proxy': { type: 'string', multiple: true },
        demo: { type: 'boolean' },
      },
      strict: true,
    });
    const port = values.port === undefined ? 8080 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port ${values.port} is not a TCP port`);
    if (values['tls-cert'] !== undefined || values['tls-key'] !== undefined)
      throw new UsageError(
        '--tls-cert/--tls-key served both the agent gateway and the syslog TLS listener; give --agent-tls-cert/--agent-tls-key and --syslog-tls-cert/--syslog-tls-key (different keys)',
      );
    let fromEnv: ServerConfig;
    try {
      fromEnv = serverConfigFromEnv(io.env);
    } catch (error) {
      if (error instanceof ListenerSpecError) throw new UsageError(error.message);
      if (error instanceof CordonError && error.code === 'invalid_input')
        throw new UsageError(error.message);
      throw error;
    }
    let trustedProxies = fromEnv.trustedProxies;
    try {
      if (values['trusted-proxy'])
        trustedProxies = [...trustedProxies, ...parseTrustedProxies(values['trusted-proxy'])];
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const ingest = ingestOptions(fromEnv, values);
    const config = serverConfigFromEnv(io.env, {
      ingest,
      detection: {
        ...fromEnv.detection,
        ruleDirs: [...fromEnv.detection.ruleDirs, ...(values.rules ?? []).map((d) => resolve(d))],
      },
      ...(values['agent-tls-cert'] ? { tlsCertFile: resolve(values['agent-tls-cert']) } : {}),
      ...(values['agent-tls-key'] ? { tlsKeyFile: resolve(values['agent-tls-key']) } : {}),
      ...(values['syslog-tls-cert']
        ? { syslogTlsCertFile: resolve(values['syslog-tls-cert']) }
        : {}),
      ...(values['syslog-tls-key'] ? { syslogTlsKeyFile: resolve(values['syslog-tls-key']) } : {}),
      dataDir: resolveDataDir(values['data-dir'], io),
      trustedProxies,
      port,
      ...(values.host ? { host: values.host } : {}),
      ...(values['agent-host'] ? { agentHost: values['agent-host'] } : {}),
      ...(values['agent-port'] === undefined ? {} : { agentPort: Number(values['agent-port']) }),
    });
    if (!Number.isInteger(config.agentPort) || config.agentPort < 0 || config.agentPort > 65535)
      throw new UsageError(`agent port ${String(config.agentPort)} is not a TCP port`);
    const growing = io.env['CORDON_HEAP_GROWING_PERCENT'];
    try {
      tuneHeapForServing(growing === undefined ? undefined : Number(growing));
    } catch (error) {
      throw new UsageError(`CORDON_HEAP_GROWING_PERCENT: ${(error as Error).message}`);
    }
    const server = await createServer({ config });
    const email = io.env['CORDON_ADMIN_EMAIL'] ?? 'admin@cordon.local';
    const givenPassword = io.env['CORDON_ADMIN_PASSWORD'];
    const password = givenPassword ?? newSecret().slice(0, 24);
    const admin = await server.services.access.bootstrapAdmin(email, password);
    const address = await server.app.listen({ host: config.host, port: config.port });
    const url = address.replace('[::1]', 'localhost');
    // Read the offline IP database now, not inside the first triage's transaction; a failed
    // read is reported by the database itself and leaves look-ups answering nothing.
    void server.services.identification.warm();
    const agentUrl = await server.containment.listen(
      config.agentHost ?? config.host,
      config.agentPort,
    );
    io.stdout.write(`Cordon is running at ${url}\n`);
    io.stdout.write(`  API: ${url}/api/v1  (OpenAPI: ${url}/api/v1/openapi.json)\n`);
    io.stdout.write(
      `  agents: ${agentUrl}  (certificate SHA-256 ${server.containment.tls().certificateSha256})\n`,
    );
    const rules = server.detection.rules;
    io.stdout.write(
      `  detection: ${rules.engine.ruleCount} rules, ${rules.correlations.length} correlations` +
        (rules.rejected.length
          ? ` (${rules.rejected.length} not loaded: see \`cordon rules check\`)`
          : '') +
        '\n',
    );
    for (const listener of server.ingestion.listeners) {
      io.stdout.write(`  syslog ${listener.transport}: ${listener.host}:${listener.port}\n`);
    }
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
    if (values.demo) io.stdout.write(demoReport(await setUpDemo(server), url));
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

/** Listener flags add to the ones from the environment. */
function ingestOptions(
  fromEnv: ServerConfig,
  values: {
    readonly 'syslog-udp'?: string[] | undefined;
    readonly 'syslog-tcp'?: string[] | undefined;
    readonly 'syslog-tls'?: string[] | undefined;
    readonly 'syslog-map'?: string[] | undefined;
    readonly 'syslog-host'?: string[] | undefined;
    readonly 'syslog-udp-confirms-hosts'?: boolean | undefined;
  },
): ServerConfig['ingest'] {
  try {
    return {
      ...fromEnv.ingest,
      syslog: [
        ...fromEnv.ingest.syslog,
        ...(values['syslog-udp'] ?? []).map((spec) => parseListenerSpec('udp', spec)),
        ...(values['syslog-tcp'] ?? []).map((spec) => parseListenerSpec('tcp', spec)),
        ...(values['syslog-tls'] ?? []).map((spec) => parseListenerSpec('tls', spec)),
      ],
      syslogMap: [
        ...fromEnv.ingest.syslogMap,
        ...(values['syslog-map'] ?? []).map(parseTenantRoute),
      ],
      syslogHosts: [
        ...fromEnv.ingest.syslogHosts,
        ...(values['syslog-host'] ?? []).map(parseSenderHostBinding),
      ],
      syslogUdpConfirmsHosts:
        fromEnv.ingest.syslogUdpConfirmsHosts || values['syslog-udp-confirms-hosts'] === true,
    };
  } catch (error) {
    if (error instanceof ListenerSpecError) throw new UsageError(error.message);
    throw error;
  }
}
