/**
 * The line protocol between `bench:hostile` and its client processes (hostile-load.ts,
 * hostile-normal.ts): the bench writes one JSON command a line on the child's stdin and reads
 * one JSON answer a line from its stdout. Each client is its own process so that what it costs
 * is not charged to the server, and the hostile one can run at a lower priority than the server
 * (an attacker's machine is not the server's).
 */
import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** In a client: answers each command line with `serve(command)`, one JSON line each, in order. */
export function serveCommands<C, A>(serve: (command: C) => Promise<A>): void {
  const lines = createInterface({ input: process.stdin });
  let chain = Promise.resolve();
  lines.on('line', (line) => {
    chain = chain.then(async () => {
      const answer = await serve(JSON.parse(line) as C);
      process.stdout.write(`${JSON.stringify(answer)}\n`);
    });
  });
  lines.on('close', () => void chain.finally(() => process.exit(0)));
}

export interface CommandChild<C, A> {
  readonly process: ChildProcessByStdio<Writable, Readable, null>;
  /** Sends one command and waits for its answer. */
  send(command: C): Promise<A>;
  close(): void;
}

/** In the bench: starts `script` with `args` and talks to it line by line. */
export function startCommandChild<C, A>(
  script: string,
  args: readonly string[],
): CommandChild<C, A> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<{ resolve: (answer: A) => void; reject: (error: Error) => void }> = [];
  lines.on('line', (line) => waiting.shift()?.resolve(JSON.parse(line) as A));
  child.once('exit', (code) => {
    for (const pending of waiting.splice(0))
      pending.reject(new Error(`${script} exited (${code})`));
  });
  return {
    process: child,
    send: (command) =>
      new Promise<A>((resolve, reject) => {
        waiting.push({ resolve, reject });
        child.stdin.write(`${JSON.stringify(command)}\n`);
      }),
    close: () => child.stdin.end(),
  };
}
