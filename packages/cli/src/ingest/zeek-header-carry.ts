/**
 * Zeek TSV logs say what their columns are once, in `#` header lines at the top (and again
 * after each `#separator` when logs are concatenated). A file cut into batches would leave
 * every batch but the first without them, and the server would dead-letter its lines; so the
 * header in force where a batch starts is sent again in front of it. Only Zeek's own
 * directives count; header lines are not records, so counts do not change.
 */

const DIRECTIVES = [
  'separator',
  'set_separator',
  'empty_field',
  'unset_field',
  'path',
  'fields',
  'types',
] as const;
type Directive = (typeof DIRECTIVES)[number];

/** Header lines longer than this are not kept (the server refuses them anyway). */
const MAX_HEADER_LINE_BYTES = 64 * 1024;

export class ZeekHeaderCarry {
  #lines = new Map<Directive, Buffer>();

  /** Takes note of one line of the file (with its LF), in order. */
  see(line: Buffer): void {
    if (line[0] !== 0x23 /* # */ || line.byteLength > MAX_HEADER_LINE_BYTES) return;
    const match = /^#([a-z_]+)[ \t]/.exec(line.subarray(0, 32).toString('latin1'));
    const directive = DIRECTIVES.find((d) => d === match?.[1]);
    if (directive === undefined) return;
    if (directive === 'separator') this.#lines = new Map();
    this.#lines.set(directive, Buffer.from(line));
  }

  /** The header lines in force, to send before the next batch (empty outside Zeek logs). */
  prefix(): Buffer {
    return Buffer.concat(DIRECTIVES.flatMap((d) => this.#lines.get(d) ?? []));
  }
}
