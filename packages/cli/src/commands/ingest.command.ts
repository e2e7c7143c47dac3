/**
 * `cordon ingest [--server URL] [--token T] [--format F] [--batch N] FILE...`: sends log files
 * through the bulk ingest API. Files are cut into batches at line boundaries (EVTX files into
 * batches of records) with ids derived from the file's content and the batch's place in it, so
 * running the same command again after a crash or a network failure stores nothing twice.
 * 429 and 5xx answers are retried after `Retry-After`. A progress line goes to stderr when it
 * is a terminal; the summary goes to stdout (`--json` for scripts).
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { INGEST_FORMAT_NAMES } from '@cordon/protocol';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import { ApiError, apiEndpoint } from '../api/api-client.ts';
import { sendBatch } from '../ingest/bulk-sender.ts';
import type { BulkSenderOptions, IngestAnswer } from '../ingest/bulk-sender.ts';
import { evtxBatches, fileSha256, lineBatches } from '../ingest/file-batches.ts';
import type { FileBatch } from '../ingest/file-batches.ts';

const FORMATS: readonly string[] = INGEST_FORMAT_NAMES;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

interface Totals {
  files: number;
  batches: number;
  records: number;
  accepted: number;
  deadLettered: number;
  duplicateBatches: number;
  bytesDone: number;
  retries: number;
}

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'Send log files (syslog, JSON lines, CEF, EVTX …) to the server',
  help: [
    'Usage: cordon ingest [--server URL] [--token T] [--format F] [--batch N] [--json] FILE...',
    '',
    'Sends each file through POST /api/v1/ingest in batches, each acknowledged once durable.',
    'Batch ids come from the file content and the batch position: running the same command',
    'again (after a crash, a timeout) stores nothing twice. 429/5xx answers are retried.',
    '',
    'Options:',
    '  --server URL   the server (default CORDON_SERVER, else http://127.0.0.1:8080)',
    '  --token T      an API token with the ingest permission (default CORDON_TOKEN);',
    '                 create one with: cordon token create --tenant T --role ingest',
    `  --format F     ${FORMATS.join('|')} (default auto; .evtx files are evtx)`,
    '  --batch N      records per batch (default 5000; batches stay under 8 MiB)',
    '  --parallel N   batches in flight (default 2)',
    '  --attempts N   tries per batch on 429/5xx/unreachable before giving up (default 12)',
    '  --json         print the summary as JSON',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        format: { type: 'string' },
        batch: { type: 'string' },
        parallel: { type: 'string' },
        attempts: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length === 0) throw new UsageError('name at least one FILE');
    const format = values.format ?? 'auto';
    if (!FORMATS.includes(format))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const maxRecords = positiveInteger(values.batch, 5000, '--batch');
    const parallel = positiveInteger(values.parallel, 2, '--parallel');
    const maxAttempts = positiveInteger(values.attempts, 12, '--attempts');
    const { server, token } = apiEndpoint(
      io.env,
      { server: values.server, token: values.token },
      'cordon token create --role ingest',
    );
    const sizes = positionals.map((file) => {
      try {
        return statSync(file).size;
      } catch {
        throw new UsageError(`cannot read ${file}`);
      }
    });
    const totalBytes = sizes.reduce((a, b) => a + b, 0);
    const totals: Totals = {
      files: 0,
      batches: 0,
      records: 0,
      accepted: 0,
      deadLettered: 0,
      duplicateBatches: 0,
      bytesDone: 0,
      retries: 0,
    };
    const progress = progressLine(io, totals, totalBytes);
    const started = performance.now();
    try {
      for (const [index, file] of positionals.entries()) {
        const fileFormat = format === 'auto' && /\.evtx$/i.test(file) ? 'evtx' : format;
        const digest = await fileSha256(file);
        const limits = { maxRecords, maxBytes: MAX_BATCH_BYTES };
        const batches =
          fileFormat === 'evtx'
            ? evtxBatches(file, digest, limits, sizes[index]!)
            : lineBatches(file, digest, limits);
        const sender: BulkSenderOptions = {
          server,
          token,
          format: fileFormat,
          maxAttempts,
          contentType:
            fileFormat === 'jsonl' || fileFormat === 'evtx' ? 'application/x-ndjson' : 'text/plain',
          onRetry: () => {
            totals.retries += 1;
          },
        };
        await sendAll(batches, parallel, sender, totals, progress.update);
        totals.files += 1;
      }
    } catch (error) {
      progress.done();
      if (error instanceof ApiError) {
        io.stderr.write(
          `cordon: ${error.message}${error.status ? ` (HTTP ${error.status})` : ''}\n`,
        );
        io.stderr.write('nothing acknowledged is lost: run the same command again to resume\n');
        return 1;
      }
      throw error;
    }
    progress.done();
    const seconds = (performance.now() - started) / 1000;
    const summary = {
      files: totals.files,
      batches: totals.batches,
      records: totals.records,
      accepted: totals.accepted,
      deadLettered: totals.deadLettered,
      duplicateBatches: totals.duplicateBatches,
      retries: totals.retries,
      seconds: Number(seconds.toFixed(3)),
      eventsPerSecond: Math.round(totals.accepted / Math.max(seconds, 0.001)),
    };
    if (values.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      io.stdout.write(
        `${summary.files} file(s) (${positionals.map((f) => basename(f)).join(', ')}): ${summary.records} records in ${summary.batches} batches, ` +
          `${summary.accepted} events stored, ${summary.deadLettered} dead-lettered` +
          `${summary.duplicateBatches ? `, ${summary.duplicateBatches} batches already stored before` : ''}` +
          ` in ${summary.seconds} s (${summary.eventsPerSecond} events/s)\n`,
      );
    }
    return 0;
  },
};

async function sendAll(
  batches: AsyncGenerator<FileBatch>,
  parallel: number,
  sender: BulkSenderOptions,
  totals: Totals,
  update: () => void,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: Error | undefined;
  const count = (batch: FileBatch, answer: IngestAnswer): void => {
    totals.batches += 1;
    totals.records += answer.records;
    totals.accepted += answer.accepted;
    totals.deadLettered += answer.deadLettered;
    if (answer.duplicate) totals.duplicateBatches += 1;
    totals.bytesDone += batch.fileBytes;
    update();
  };
  for await (const batch of batches) {
    if (failure !== undefined) break;
    const sending: Promise<void> = sendBatch(sender, batch.id, batch.body)
      .then((answer) => count(batch, answer))
      .catch((error: unknown) => {
        failure ??= error instanceof Error ? error : new Error(String(error));
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    if (inFlight.size >= parallel) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
}

function positiveInteger(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`${flag} takes a positive integer`);
  return value;
}

/** A one-line progress bar on a terminal (redrawn at most 10 times a second); nothing otherwise. */
function progressLine(
  io: CommandIo,
  totals: Totals,
  totalBytes: number,
): { update: () => void; done: () => void } {
  const stream = io.stderr as NodeJS.WriteStream;
  if (stream.isTTY !== true) return { update: () => undefined, done: () => undefined };
  const started = performance.now();
  let last = 0;
  let drawn = false;
  const draw = (): void => {
    const fraction = totalBytes === 0 ? 1 : Math.min(1, totals.bytesDone / totalBytes);
    const width = 30;
    const filled = Math.round(fraction * width);
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(totals.accepted / Math.max(seconds, 0.001));
    stream.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
        `${totals.accepted} events, ${totals.deadLettered} dead-lettered, ${rate}/s${totals.retries ? `, ${totals.retries} retries` : ''}  `,
    );
    drawn = true;
  };
  return {
    update: () => {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      draw();
    },
    done: () => {
      if (!drawn && totals.batches === 0) return;
      draw();
      stream.write('\n');
    },
  };
}
