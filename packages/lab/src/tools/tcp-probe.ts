/**
 * One TCP reachability probe from inside a lab namespace: `node tcp-probe.ts ADDRESS PORT
 * [TIMEOUT_MS]`. Prints the outcome (`connected`, `refused`, `blocked`, `timeout`,
 * `unreachable`, `error`) as one line of JSON.
 */
import { connect } from 'node:net';

const [address, portText, timeoutText] = process.argv.slice(2);
if (address === undefined || portText === undefined) {
  console.error('usage: tcp-probe.ts ADDRESS PORT [TIMEOUT_MS]');
  process.exit(2);
}
const timeoutMs = Number(timeoutText ?? 1000);
const started = performance.now();
const socket = connect({ host: address, port: Number(portText) });
const finish = (outcome: string, detail: string): void => {
  console.log(
    JSON.stringify({ outcome, detail, elapsedMs: Math.round(performance.now() - started) }),
  );
  socket.destroy();
  process.exit(0);
};
setTimeout(() => finish('timeout', `no answer within ${timeoutMs} ms`), timeoutMs);
socket.once('connect', () => finish('connected', 'connected'));
socket.once('error', (error: NodeJS.ErrnoException) => {
  const outcomes: Record<string, string> = {
    ECONNREFUSED: 'refused',
    EPERM: 'blocked',
    EACCES: 'blocked',
    EHOSTUNREACH: 'unreachable',
    ENETUNREACH: 'unreachable',
  };
  finish(outcomes[error.code ?? ''] ?? 'error', error.message);
});
