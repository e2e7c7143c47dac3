/**
 * Checks tenant rule texts off the request thread: each text is parsed, validated and compiled
 * in a worker thread with a capped heap, and a text that takes longer than the time limit gets
 * the worker terminated (and replaced). A rule over either budget is refused as
 * "rule too costly to compile", like any other invalid rule; nothing about it is stored. Checks
 * wait in line for the one worker, and only so many may wait: a flood of submissions is
 * refused rather than queued without end.
 */
import { CordonError } from '@cordon/core';
import type { RuleReference } from '@cordon/sigma';
import type { RuleCheckRequest } from './rule-check.worker.ts';
import type { TenantRuleCheck } from './tenant-rules.ts';
import { WorkerHost } from './worker-host.ts';

export interface TenantRuleCheckerOptions {
  /** The server's rules, which a tenant's correlations may refer to. */
  readonly serverRules: readonly RuleReference[];
  /** Time one text may take (default 5 s). */
  readonly timeoutMs?: number;
  /** Heap of the checking worker (default 128 MiB). */
  readonly maxHeapMb?: number;
  /** Checks that may wait for the worker before more are refused (default 16). */
  readonly maxWaiting?: number;
}

const DEFAULTS = { timeoutMs: 5_000, maxHeapMb: 128, maxWaiting: 16 };

export class TenantRuleChecker {
  /** Texts checked in the worker, and how many of them were refused. */
  readonly stats = { checks: 0, refused: 0 };
  readonly #options: Required<Omit<TenantRuleCheckerOptions, 'serverRules'>>;
  readonly #host: WorkerHost<RuleCheckRequest, TenantRuleCheck>;

  constructor(options: TenantRuleCheckerOptions) {
    this.#options = { ...DEFAULTS, ...options };
    this.#host = new WorkerHost({
      name: 'rule check',
      script: new URL('./rule-check.worker.ts', import.meta.url),
      workerData: { serverRules: options.serverRules.map((r) => ({ id: r.id, name: r.name })) },
      maxHeapMb: this.#options.maxHeapMb,
    });
  }

  /** The verdict on one text; a text over budget is a problem like any other. */
  async check(yaml: string, alsoKnown: readonly string[] = []): Promise<TenantRuleCheck> {
    if (this.#host.waiting >= this.#options.maxWaiting)
      throw new CordonError('rate_limited', 'too many rule checks are waiting: try again shortly');
    this.stats.checks++;
    const verdict = await this.#run(yaml, alsoKnown);
    if (!verdict.ok) this.stats.refused++;
    return verdict;
  }

  async #run(yaml: string, alsoKnown: readonly string[]): Promise<TenantRuleCheck> {
    try {
      return await this.#host.call({ yaml, alsoKnown }, this.#options.timeoutMs);
    } catch (error) {
      const loss = error instanceof CordonError ? error.details?.['loss'] : undefined;
      if (loss === undefined) throw error;
      const why =
        loss === 'time'
          ? `it took longer than ${this.#options.timeoutMs} ms`
          : loss === 'memory'
            ? `it needed more than ${this.#options.maxHeapMb} MiB`
            : 'the checker stopped on it';
      return { ok: false, problems: [`rule too costly to compile: ${why}`] };
    }
  }

  /** `check` for a submitted text: its title and rule ids, or `invalid_input` with every problem. */
  async validate(yaml: string): Promise<{ title: string; ruleIds: readonly string[] }> {
    const verdict = await this.check(yaml);
    if (!verdict.ok)
      throw new CordonError('invalid_input', `invalid Sigma rule: ${verdict.problems.join('; ')}`, {
        details: { problems: verdict.problems },
      });
    return { title: verdict.title, ruleIds: verdict.ruleIds };
  }

  close(): Promise<void> {
    return this.#host.close();
  }
}
