/**
 * The worker side of `WorkerHost`: says `ready` once the worker is set up, then answers each
 * request with its result or the message of what it threw. Requests come one at a time (the
 * host waits for each answer), so a handler may keep state between them.
 */
import { parentPort } from 'node:worker_threads';

export type WorkerReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'result'; readonly result: unknown }
  | { readonly kind: 'failure'; readonly message: string };

export function serveWorkerRequests<Request, Result>(
  handle: (request: Request) => Result | Promise<Result>,
): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerRequests runs inside a worker thread');
  port.on('message', (request: Request) => {
    void (async () => {
      let reply: WorkerReply;
      try {
        reply = { kind: 'result', result: await handle(request) };
      } catch (error) {
        reply = {
          kind: 'failure',
          message: error instanceof Error ? error.message : String(error),
        };
      }
      port.postMessage(reply);
    })();
  });
  port.postMessage({ kind: 'ready' } satisfies WorkerReply);
}
