/**
 * Sends one batch to `POST /api/v1/ingest` and waits for its acknowledgement, retrying what
 * is worth retrying — 429 and 5xx (after `Retry-After` when the server gives one, else with
 * exponential backoff) and unreachable servers — with the same batch id, so a retry is never
 * stored twice. Other 4xx answers are final: the request itself is wrong.
 */
import { ApiError } from '../api/api-client.ts';

export interface IngestAnswer {
  readonly batchId: string;
  readonly records: number;
  readonly accepted: number;
  readonly deadLettered: number;
  readonly duplicate: boolean;
}

export interface BulkSenderOptions {
  readonly server: string;
  readonly token: string;
  readonly format: string;
  readonly contentType: string;
  readonly maxAttempts?: number;
  /** Called before each wait, for the progress line. */
  readonly onRetry?: (reason: string, waitMs: number) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function sendBatch(
  options: BulkSenderOptions,
  batchId: string,
  body: Buffer,
): Promise<IngestAnswer> {
  const maxAttempts = options.maxAttempts ?? 12;
  const url = `${options.server}/api/v1/ingest?format=${encodeURIComponent(options.format)}`;
  for (let attempt = 1; ; attempt += 1) {
    let retryReason: string;
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': options.contentType,
          'idempotency-key': batchId,
        },
        body,
        signal: AbortSignal.timeout(120_000),
      });
      const text = await response.text();
      if (response.ok) return JSON.parse(text) as IngestAnswer;
      const failure = safeError(text);
      if (response.status !== 429 && response.status < 500) {
        throw new ApiError(response.status, failure.code, failure.message);
      }
      retryReason = `HTTP ${response.status}: ${failure.message}`;
      const header = Number(response.headers.get('retry-after'));
      retryAfterMs = Number.isFinite(header) && header > 0 ? header * 1000 : undefined;
    } catch (error) {
      if (error instanceof ApiError) throw error;
      retryReason = `cannot reach ${options.server}: ${(error as Error).message}`;
    }
    if (attempt >= maxAttempts) {
      throw new ApiError(0, 'unavailable', `gave up after ${attempt} attempts: ${retryReason}`);
    }
    const waitMs = retryAfterMs ?? Math.min(30_000, 250 * 2 ** (attempt - 1));
    options.onRetry?.(retryReason, waitMs);
    await sleep(waitMs);
  }
}

function safeError(text: string): { code: string; message: string } {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return {
      code: parsed.error?.code ?? 'internal',
      message: parsed.error?.message ?? text.slice(0, 200),
    };
  } catch {
    return { code: 'internal', message: text.slice(0, 200) };
  }
}
