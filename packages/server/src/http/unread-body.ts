/**
 * A request answered with an error before its body has all arrived (401 from its token, 429
 * over the tenant's share, 413 part-way, 415 from its content type) is answered with
 * `Connection: close`, so the connection ends once the answer is out and the rest of the body
 * is never read.
 *
 * Without it Node reads and throws away whatever is left so that the connection can carry the
 * next request: a client refused 270 times a second kept sending its 512 KB bodies, 140 MB a
 * second the server read into buffers only to drop them, and the garbage collector's pauses
 * were everyone else's p99 (bench:hostile, 4× the quiet search p99). Clients read the answer
 * before the close (curl, `fetch`, the `cordon ingest` sender all see the 429 and its
 * `Retry-After`), then open a new connection.
 */
import type { FastifyInstance } from 'fastify';

/** A body this small has arrived, or nearly, with its headers: keep the connection. */
const SMALL_BODY_BYTES = 64 * 1024;

export function installUnreadBodyClose(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const raw = request.raw;
    if (reply.statusCode < 400 || raw.complete) return payload;
    const length = Number(raw.headers['content-length'] ?? Number.NaN);
    const chunked = raw.headers['transfer-encoding'] !== undefined;
    if (chunked || !(length <= SMALL_BODY_BYTES)) void reply.header('connection', 'close');
    return payload;
  });
}
