/**
 * One slice of background work per turn of the event loop: four slices waiting together are
 * released in four different turns (the loop polls for I/O between them), where bare
 * `setImmediate`s queued together all run in the same turn.
 */
import { describe, expect, it } from 'vitest';
import { nextTurn, waitingSlices } from './turns.ts';

/** Counts turns of the event loop: one immediate per turn, each queueing the next. */
function turnCounter(): { readonly turn: () => number; readonly stop: () => void } {
  let turn = 0;
  let running = true;
  const tick = (): void => {
    turn += 1;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return { turn: () => turn, stop: () => (running = false) };
}

describe('turns of background work', () => {
  it('releases waiting slices one turn of the event loop each, in order', async () => {
    const counter = turnCounter();
    await new Promise((resolve) => setImmediate(resolve));
    const seen: { slice: number; turn: number }[] = [];
    await Promise.all(
      [0, 1, 2, 3].map((slice) =>
        nextTurn().then(() => seen.push({ slice, turn: counter.turn() })),
      ),
    );
    counter.stop();
    expect(seen.map((s) => s.slice)).toEqual([0, 1, 2, 3]);
    expect(new Set(seen.map((s) => s.turn)).size).toBe(4);
    expect(waitingSlices()).toBe(0);
  });

  it('is needed: bare immediates queued together run in one turn', async () => {
    const counter = turnCounter();
    await new Promise((resolve) => setImmediate(resolve));
    const turns: number[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          new Promise<void>((resolve) =>
            setImmediate(() => (turns.push(counter.turn()), resolve())),
          ),
      ),
    );
    counter.stop();
    expect(new Set(turns).size).toBe(1);
  });

  it('lets I/O in between two slices', async () => {
    const { createServer, connect } = await import('node:net');
    const server = createServer((socket) => socket.end('x'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const order: string[] = [];
    const client = connect(port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    // The answer is on its way; two slices that each hold the thread until it has arrived
    // at the socket would both run before it without a poll between them.
    const received = new Promise<void>((resolve) =>
      client.once('data', () => (order.push('io'), resolve())),
    );
    const busy = async (name: string): Promise<void> => {
      await nextTurn();
      const until = performance.now() + 30;
      while (performance.now() < until);
      order.push(name);
    };
    await Promise.all([busy('a'), busy('b'), busy('c'), received]);
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
    expect(order.indexOf('io')).toBeLessThan(3);
  });
});
