/**
 * Watches whether a TCP service stays reachable, from inside a lab namespace:
 * `node tcp-watch.ts ADDRESS PORT TIMEOUT_MS`. Connects again and again (a new connection
 * each time, a 2 ms pause between), and prints one JSON line per change of outcome:
 * `{"up":false,"at":<epoch ms, fractional>}` where `at` is when the first failing attempt
 * started. Exits when its stdin closes.
 */
import { connect } from 'node:net';

const [address, portText, timeoutText] = process.argv.slice(2);
if (address === undefined || portText === undefined) {
  console.error('usage: tcp-watch.ts ADDRESS PORT [TIMEOUT_MS]');
  process.exit(2);
}
const port = Number(portText);
const timeoutMs = Number(timeoutText ?? '25');
const now = (): number => performance.timeOrigin + performance.now();

function attempt(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const done = (up: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(up);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

let last: boolean | undefined;
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
for (;;) {
  const at = now();
  const up = await attempt();
  if (up !== last) {
    process.stdout.write(`${JSON.stringify({ up, at })}\n`);
    last = up;
  }
  await new Promise((resolve) => setTimeout(resolve, 2));
}
