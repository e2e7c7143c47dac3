/**
 * Runs requests in a `node:worker_threads` worker under a budget: the worker's heap is capped
 * (`resourceLimits`), and a request that does not answer within its time limit gets the worker
 * terminated — CPU-bound work cannot be interrupted any other way. Requests are answered one
 * at a time, in order; a worker that crashes, runs out of memory or overruns is replaced by a
 * fresh one for the next request, and `generation` counts the workers started, so that a
 * caller that keeps state inside the worker knows when it has to send it again.
 *
 * The worker script answers through `serveWorkerRequests`: it says `ready` once set up (start
 * time is not charged to the first request), then one reply per request.
 */
import { Worker } from 'node:worker_threads';
import { CordonError } from '@cordon/core';
import type { WorkerReply } from './serve-worker-requests.ts';

export interface WorkerHostOptions {
  /** Shown in errors and logs ("rule check", "detection matcher"). */
  readonly name: string;
  readonly script: URL;
  readonly workerData?: unknown;
  /** Old-generation heap of the worker (MiB). */
  readonly maxHeapMb: number;
  /** How long the worker may take to start (load code, compile what it was given). */
  readonly startTimeoutMs?: number;
  /** Told when a worker stops other than by `close` (crash, memory, overrun). */
  readonly onWorkerLost?: (reason: WorkerLoss) => void;
}

/** Why a request did not get an answer: it ran out of time or memory, or the worker died. */
export type WorkerLoss = 'time' | 'memory' | 'crash';

interface Job {
  readonly request: unknown;
  readonly timeoutMs: number;
  readonly transfer: readonly ArrayBuffer[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

interface Running {
  readonly worker: Worker;
  readonly ready: Promise<void>;
}

export class WorkerHost<Request, Reply> {
  readonly #options: WorkerHostOptions;
  readonly #queue: Job[] = [];
  #running: Running | undefined;
  #busy = false;
  #closed = false;
  #generation = 0;

  constructor(options: WorkerHostOptions) {
    this.#options = options;
  }

  /** Workers started so far; it changes when state kept in the worker was lost. */
  get generation(): number {
    return this.#generation;
  }

  /** Requests waiting behind the one being answered. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Answers `request` in the worker. Rejects with `CordonError('unavailable')` whose
   * `details.loss` says why when the budget was exceeded or the worker died.
   */
  call(request: Request, timeoutMs: number, transfer: readonly ArrayBuffer[] = []): Promise<Reply> {
    if (this.#closed)
      return Promise.reject(new CordonError('unavailable', `${this.#options.name}: closed`));
    return new Promise<Reply>((resolve, reject) => {
      this.#queue.push({
        request,
        timeoutMs,
        transfer,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      void this.#drain();
    });
  }

  /** Starts a worker now (rather than at the first request) and waits until it is ready. */
  async start(): Promise<void> {
    if (this.#closed) return;
    await (this.#running ?? this.#start()).ready;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0))
      job.reject(new CordonError('unavailable', `${this.#options.name}: closed`));
    const running = this.#running;
    this.#running = undefined;
    if (running) await running.worker.terminate();
  }

  async #drain(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let job = this.#queue.shift(); job; job = this.#queue.shift()) await this.#run(job);
    } finally {
      this.#busy = false;
    }
  }

  async #run(job: Job): Promise<void> {
    let running: Running;
    try {
      running = this.#running ?? this.#start();
      await running.ready;
    } catch (error) {
      job.reject(error);
      return;
    }
    const { worker } = running;
    await new Promise<void>((done) => {
      const finish = (outcome: () => void): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        outcome();
        done();
      };
      const onMessage = (reply: WorkerReply): void => {
        if (reply.kind === 'ready') return;
        finish(() =>
          reply.kind === 'result'
            ? job.resolve(reply.result)
            : job.reject(new CordonError('internal', `${this.#options.name}: ${reply.message}`)),
        );
      };
      const onError = (error: Error): void => {
        finish(() => job.reject(this.#lost(running, lossOf(error), error)));
      };
      const onExit = (): void => finish(() => job.reject(this.#lost(running, 'crash')));
      const timer = setTimeout(() => {
        finish(() => job.reject(this.#lost(running, 'time')));
      }, job.timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(job.request, job.transfer as ArrayBuffer[]);
    });
  }

  #start(): Running {
    const { script, workerData, maxHeapMb } = this.#options;
    const worker = new Worker(script, {
      // The thread's name (in /proc, profiles): what each worker costs can be told apart.
      name: this.#options.name,
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 16 },
    });
    // A helper: it must not keep the process alive by itself.
    worker.unref();
    this.#generation++;
    const ready = new Promise<void>((resolve, reject) => {
      const settle = (outcome: () => void): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        outcome();
      };
      const onMessage = (reply: WorkerReply): void =>
        settle(() =>
          reply.kind === 'ready'
            ? resolve()
            : reject(this.#lost(running, 'crash', new Error('the worker did not start'))),
        );
      const onError = (error: Error): void =>
        settle(() => reject(this.#lost(running, lossOf(error), error)));
      const onExit = (): void => settle(() => reject(this.#lost(running, 'crash')));
      const timer = setTimeout(
        () => settle(() => reject(this.#lost(running, 'time'))),
        this.#options.startTimeoutMs ?? 60_000,
      );
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
    // An idle worker that dies is simply replaced at the next request; without a listener its
    // error would be thrown in this thread.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.#running === running) this.#running = undefined;
    });
    // Failures are reported to the request that waits for it; this keeps them from being unhandled.
    ready.catch(() => undefined);
    const running: Running = { worker, ready };
    this.#running = running;
    return running;
  }

  /** Drops the worker (it is terminated if still alive) and describes the loss. */
  #lost(running: Running, loss: WorkerLoss, cause?: unknown): CordonError {
    if (this.#running === running) this.#running = undefined;
    void running.worker.terminate();
    if (!this.#closed) this.#options.onWorkerLost?.(loss);
    const what = {
      time: 'ran out of time',
      memory: `ran out of memory (${this.#options.maxHeapMb} MiB)`,
      crash: 'stopped',
    }[loss];
    return new CordonError('unavailable', `${this.#options.name}: the worker ${what}`, {
      cause,
      details: { loss },
    });
  }
}

function lossOf(error: Error): WorkerLoss {
  return (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash';
}
