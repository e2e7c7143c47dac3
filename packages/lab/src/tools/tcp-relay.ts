/**
 * A byte relay that carries the agent gateway's TLS stream between network namespaces (TLS
 * stays end to end, so the agents' certificate pin still holds):
 * `node tcp-relay.ts TARGET LISTEN…` where each is `tcp:HOST:PORT` or `unix:/PATH`. The lab
 * runs one in the root namespace (unix socket → server) and one in the bridge namespace
 * (the lab gateway's addresses → unix socket): a unix socket is reachable from any namespace.
 */
import { connect, createServer } from 'node:net';
import type { NetConnectOpts } from 'node:net';
import { rmSync } from 'node:fs';

type Endpoint = { readonly path: string } | { readonly host: string; readonly port: number };

function endpoint(text: string): Endpoint {
  if (text.startsWith('unix:')) return { path: text.slice(5) };
  const match = /^tcp:(.+):(\d{1,5})$/.exec(text);
  if (match === null) throw new Error(`not tcp:HOST:PORT or unix:/PATH: ${text}`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

const [targetText, ...listenTexts] = process.argv.slice(2);
if (targetText === undefined || listenTexts.length === 0) {
  console.error('usage: tcp-relay.ts TARGET LISTEN…');
  process.exit(2);
}
const target = endpoint(targetText);
let pending = listenTexts.length;
for (const listenText of listenTexts) {
  const listen = endpoint(listenText);
  if ('path' in listen) rmSync(listen.path, { force: true });
  const server = createServer((inbound) => {
    const outbound = connect(target as NetConnectOpts);
    outbound.setNoDelay(true);
    inbound.setNoDelay(true);
    inbound.pipe(outbound).pipe(inbound);
    const close = (): void => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', close).on('close', close);
    outbound.on('error', close).on('close', close);
  });
  server.on('error', (error) => {
    console.error(`${listenText}: ${error.message}`);
    process.exit(1);
  });
  server.listen(listen, () => {
    pending -= 1;
    if (pending === 0) console.log('ready');
  });
}
