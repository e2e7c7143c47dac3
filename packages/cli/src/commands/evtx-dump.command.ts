/**
 * `cordon evtx dump FILE`: every record of a Windows .evtx file as JSON lines (the evtx_dump
 * shape) or as XML, streamed chunk by chunk. Damage is reported on stderr, one line per
 * unreadable record or chunk, and reading goes on; the exit code says only whether the file
 * could be read as EVTX at all.
 */
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EvtxFormatError, readEvtxBlocks, recordJson, recordXml } from '@cordon/evtx';
import { fileBlocks } from '../file-blocks.ts';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';

const FORMATS = ['jsonl', 'xml'] as const;
type DumpFormat = (typeof FORMATS)[number];
const FLUSH_AT = 1 << 16;

export const evtxDumpCommand: Command = {
  name: 'evtx dump',
  summary: 'Print the records of a Windows .evtx file as JSON lines or XML',
  help: [
    'Usage: cordon evtx dump FILE [--format jsonl|xml]',
    '',
    'Prints every record of FILE. With jsonl (the default), one line per record:',
    '  {"record_id": N, "timestamp": "…Z", "event": {"Event": …}}',
    'With xml, one <Event> per line as Windows renders it.',
    'Unreadable records and chunks are reported on stderr as',
    '  error: chunk C offset O: reason',
    'and reading goes on; the last stderr line is `records: N ok, M errors`.',
    'Exit status 0 when FILE could be read as EVTX, 1 when it cannot.',
    '',
    'Options:',
    '  --format jsonl|xml  output format (default jsonl)',
    '  -h, --help          show this help',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        format: { type: 'string', default: 'jsonl' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout.write(this.help + '\n');
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('evtx dump takes exactly one FILE');
    const format = values.format as DumpFormat;
    if (!FORMATS.includes(format)) {
      throw new UsageError(`unknown --format ${values.format}: use jsonl or xml`);
    }
    return dumpEvtx(positionals[0] as string, format, io);
  },
};

async function dumpEvtx(file: string, format: DumpFormat, io: CommandIo): Promise<number> {
  try {
    if (!(await stat(file)).isFile()) {
      io.stderr.write(`cordon: ${file} is not a file\n`);
      return 1;
    }
  } catch (error) {
    io.stderr.write(`cordon: cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  let ok = 0;
  let errors = 0;
  let out = '';
  try {
    // Read synchronously, a block at a time into one buffer (parsing is the work here); the
    // output still waits for a slow reader.
    for (const item of readEvtxBlocks(fileBlocks(file))) {
      if (item.kind === 'record') {
        ok++;
        out +=
          format === 'xml'
            ? recordXml(item) + '\n'
            : `{"record_id":${JSON.stringify(item.recordId)},"timestamp":"${item.timestamp}","event":${JSON.stringify(recordJson(item))}}\n`;
        if (out.length >= FLUSH_AT) {
          await write(io.stdout, out);
          out = '';
        }
      } else {
        if (item.kind === 'error') errors++;
        io.stderr.write(
          `${item.kind}: chunk ${item.chunk} offset ${item.offset}: ${item.reason}\n`,
        );
      }
    }
  } catch (error) {
    // Only a file that is not EVTX at all (or cannot be read) stops the dump.
    await write(io.stdout, out);
    const reason =
      error instanceof EvtxFormatError ? error.message : `cannot read: ${(error as Error).message}`;
    io.stderr.write(`cordon: ${file}: ${reason}\n`);
    return 1;
  }
  await write(io.stdout, out);
  io.stderr.write(`records: ${ok} ok, ${errors} errors\n`);
  return 0;
}

/** Writes and waits for the stream to drain, so a slow reader bounds our memory. */
function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (text === '') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const flushed = stream.write(text, (error) => (error ? reject(error) : undefined));
    if (flushed) resolve();
    else stream.once('drain', resolve);
  });
}
