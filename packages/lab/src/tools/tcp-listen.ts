/**
 * A TCP listener for reachability checks, run inside a lab namespace:
 * `node tcp-listen.ts ADDRESS PORT [echo|sink]`. Prints `ready` once listening; answers every
 * connection with `ok\n` and closes it; `echo` echoes what it reads; `sink` reads and never
 * writes, closing after 5 s. Prints `connection ADDRESS PORT` for every connection it takes.
 * Exits when its stdin closes, so it never outlives its parent.
 */
import { createServer } from 'node:net';

const [address, portText, mode] = process.argv.slice(2);
if (address === undefined || portText === undefined || !/^\d{1,5}$/.test(portText)) {
  console.error('usage: tcp-listen.ts ADDRESS PORT');
  process.exit(2);
}
const server = createServer((socket) => {
  socket.on('error', () => undefined);
  console.log(`connection ${socket.remoteAddress ?? '?'} ${socket.remotePort ?? 0}`);
  if (mode === 'echo') socket.pipe(socket);
  // A listener that never says anything, e.g. a C2 endpoint that must not drive a shell.
  else if (mode === 'sink') socket.resume().setTimeout(5000, () => socket.destroy());
  else socket.end('ok\n');
});
server.on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
server.listen({ host: address, port: Number(portText) }, () => console.log('ready'));
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
