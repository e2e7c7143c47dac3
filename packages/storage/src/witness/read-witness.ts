/**
 * Reads one journal's checkpoints from a witness file, in bounded memory per line: a line
 * longer than any checkpoint could be, or one that does not parse, stops the reading and is
 * reported with its number (the verifier fails on it), because a witness that was written to
 * by someone else is no witness.
 */
import type { JournalWitness, WitnessedCheckpoint } from '@cordon/core';
import { createReadStream } from 'node:fs';
import { parseWitnessLine } from './witness-line.ts';

const MAX_LINE_BYTES = 8 * 1024;

export async function readWitness(path: string, tenantId: string): Promise<JournalWitness> {
  const checkpoints: WitnessedCheckpoint[] = [];
  let line = 0;
  let pending = '';
  const take = (text: string): string | undefined => {
    line += 1;
    if (text === '') return undefined;
    const parsed = parseWitnessLine(text);
    if (typeof parsed === 'string') return parsed;
    if (parsed.tenantId === tenantId) checkpoints.push({ line, checkpoint: parsed });
    return undefined;
  };
  const unreadable = (reason: string): JournalWitness => ({
    source: path,
    checkpoints,
    unreadable: { line, reason },
  });
  for await (const chunk of createReadStream(path, {
    encoding: 'utf8',
    highWaterMark: 64 * 1024,
  })) {
    pending += chunk as string;
    let start = 0;
    for (
      let newline = pending.indexOf('\n');
      newline >= 0;
      newline = pending.indexOf('\n', start)
    ) {
      const problem = take(pending.slice(start, newline));
      if (problem) return unreadable(problem);
      start = newline + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_BYTES) {
      line += 1;
      return unreadable(`longer than ${MAX_LINE_BYTES} bytes`);
    }
  }
  if (pending !== '') {
    const problem = take(pending);
    if (problem) return unreadable(`${problem} (the last line, cut short?)`);
  }
  return { source: path, checkpoints };
}
