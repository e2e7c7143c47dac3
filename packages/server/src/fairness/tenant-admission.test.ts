/** The admission controller on its own, with time driven by the test. */
import { CordonError } from '@cordon/core';
import { describe, expect, it } from 'vitest';
import { defaultFairnessConfig } from './fairness-config.ts';
import type { FairnessConfig } from './fairness-config.ts';
import { TenantAdmission } from './tenant-admission.ts';

const config: FairnessConfig = {
  ...defaultFairnessConfig,
  ingest: {
    concurrency: 1,
    recordsPerSecond: 100,
    recordBurst: 1_000,
    bytesPerSecond: 1_000,
    byteBurst: 10_000,
  },
  search: { concurrency: 2, perSecond: 1, burst: 3 },
};

function refusal(action: () => unknown): { reason: unknown; retryAfterMs: unknown } {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CordonError);
    const e = error as CordonError;
    expect(e.code).toBe('rate_limited');
    return { reason: e.details?.['reason'], retryAfterMs: e.details?.['retryAfterMs'] };
  }
  throw new Error('not refused');
}

describe('TenantAdmission', () => {
  it('refuses a tenant past its rate, not another tenant, and refills with time', () => {
    let now = 0;
    const admission = new TenantAdmission({ config, now: () => now });
    for (let i = 0; i < 3; i++) admission.enter('a', 'search').release();
    expect(refusal(() => admission.enter('a', 'search'))).toEqual({
      reason: 'rate',
      retryAfterMs: 1_000,
    });
    admission.enter('b', 'search').release();
    now += 999;
    refusal(() => admission.enter('a', 'search'));
    now += 1;
    admission.enter('a', 'search').release();
  });

  it('refuses past its concurrency until a request is released', () => {
    const admission = new TenantAdmission({ config, now: () => 0 });
    const first = admission.enter('a', 'search');
    admission.enter('a', 'search');
    expect(refusal(() => admission.enter('a', 'search')).reason).toBe('concurrency');
    first.release();
    first.release(); // twice is harmless: it frees one slot, not two
    admission.enter('a', 'search');
    expect(refusal(() => admission.enter('a', 'search')).reason).toBe('concurrency');
  });

  it('charges ingest as it streams, cuts it past the burst, and hands back refunds', () => {
    let now = 0;
    const admission = new TenantAdmission({ config, now: () => now });
    const ticket = admission.enter('a', 'ingest');
    for (let i = 0; i < 1_000; i++) expect(ticket.charge(1, 1)).toBe(true);
    expect(ticket.charge(1, 1)).toBe(false);
    const cut = refusal(() => {
      throw ticket.refusal();
    });
    expect(cut.reason).toBe('rate');
    // Waiting this long refills the bucket to its burst: the same body gets as far again.
    expect(cut.retryAfterMs).toBe(11_000);
    ticket.release();
    expect(refusal(() => admission.enter('a', 'ingest')).reason).toBe('rate');
    ticket.charge(-1_001, -1_001);
    const again = admission.enter('a', 'ingest');
    expect(() => again.charge(500, 500)).not.toThrow();
    again.release();
    now += 10_000;
    admission.enter('a', 'ingest').charge(1_000, 1_000);
  });

  // bench:hostile: a gzip bomb looping on a spent share was admitted on the first token back,
  // ~190 times a second for ~10 records each, and every such body cost a decompressor, a
  // transaction and a detection message. A body now waits for a batch's worth of share.
  it('admits an ingest body only once the share holds a batch’s worth again', () => {
    let now = 0;
    const admission = new TenantAdmission({
      config: {
        ...config,
        ingest: { ...config.ingest, recordBurst: 5_000, byteBurst: 1e9, bytesPerSecond: 1e9 },
      },
      now: () => now,
    });
    const spent = admission.enter('a', 'ingest');
    spent.charge(5_001, 1);
    spent.release();
    now += 20; // 1 record back: positive, far from a batch
    const early = refusal(() => admission.enter('a', 'ingest'));
    expect(early.reason).toBe('rate');
    // 999 records more at 100 a second: 9.99 s, answered in whole seconds.
    expect(early.retryAfterMs).toBe(10_000);
    now += 9_970; // 998 records
    expect(refusal(() => admission.enter('a', 'ingest')).reason).toBe('rate');
    now += 20;
    admission.enter('a', 'ingest').release();
  });

  it('cuts ingest on bytes as well as records', () => {
    const admission = new TenantAdmission({ config, now: () => 0 });
    const ticket = admission.enter('a', 'ingest');
    expect(ticket.charge(1, 10_001)).toBe(false);
    expect(ticket.withinShare()).toBe(false);
  });
});
