/**
 * Repeated TCP connection attempts from inside a lab namespace, one after another, in one
 * process: `node tcp-attempts.ts ADDRESS PORT COUNT [TIMEOUT_MS]`. The attack's brute force
 * makes a dozen; one process for all of them spares a Node start-up per attempt (seconds each
 * on a loaded machine). Prints the outcomes as one line of JSON.
 */
import { connect } from 'node:net';

const [address, portText, countText, timeoutText] = process.argv.slice(2);
const count = Number(countText);
if (address === undefined || portText === undefined || !Number.isInteger(count) || count < 1) {
  console.error('usage: tcp-attempts.ts ADDRESS PORT COUNT [TIMEOUT_MS]');
  process.exit(2);
}
const timeoutMs = Number(timeoutText ?? 1000);

function attempt(): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: address!, port: Number(portText) });
    const done = (outcome: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.once('connect', () => done('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'refused' : 'error'),
    );
  });
}

const outcomes: string[] = [];
for (let i = 0; i < count; i += 1) outcomes.push(await attempt());
console.log(JSON.stringify({ outcomes }));
