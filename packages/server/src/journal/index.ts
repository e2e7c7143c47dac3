/**
 * The remote journal witnesses on their own entry (`@cordon/server/journal-witness`), so that
 * the admin commands, which sign checkpoints too, load them without the HTTP server.
 */
export { RemoteWitness } from './remote-witness.ts';
export type { RemoteWitnessOptions, WitnessTransport } from './remote-witness.ts';
export { remoteWitnessConfigFromEnv, remoteWitnesses } from './remote-witnesses.ts';
export type { RemoteWitnessConfig } from './remote-witnesses.ts';
export { syslogMessage, syslogTransport } from './syslog-transport.ts';
export { webhookTransport } from './webhook-transport.ts';
