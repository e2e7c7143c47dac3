/**
 * The remote witnesses the configuration asks for: CORDON_JOURNAL_WITNESS_WEBHOOK (a URL) and
 * CORDON_JOURNAL_WITNESS_SYSLOG (`udp://host:port` or `tcp://host:port`), each optional.
 */
import { RemoteWitness } from './remote-witness.ts';
import { syslogTransport } from './syslog-transport.ts';
import { webhookTransport } from './webhook-transport.ts';

export interface RemoteWitnessConfig {
  readonly webhook: string | undefined;
  readonly syslog: string | undefined;
}

export function remoteWitnessConfigFromEnv(env: NodeJS.ProcessEnv): RemoteWitnessConfig {
  return {
    webhook: env['CORDON_JOURNAL_WITNESS_WEBHOOK'] || undefined,
    syslog: env['CORDON_JOURNAL_WITNESS_SYSLOG'] || undefined,
  };
}

export function remoteWitnesses(
  config: RemoteWitnessConfig,
  onError: (message: string, error: unknown) => void,
): RemoteWitness[] {
  const transports = [
    ...(config.webhook ? [webhookTransport(config.webhook)] : []),
    ...(config.syslog ? [syslogTransport(config.syslog)] : []),
  ];
  return transports.map((transport) => new RemoteWitness({ transport, onError }));
}
