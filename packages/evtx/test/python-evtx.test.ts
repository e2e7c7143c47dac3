/**
 * Every record of the attack samples, compared with an independent parser: Debian's
 * python3-evtx (`evtx_dump.py`, run with /usr/bin/python3, its XML read back by
 * python-evtx-fields.py). Compared: record id, time, EventID, provider, channel, computer,
 * and every EventData / UserData name and value in order.
 *
 * Compared by meaning where the two render the same value differently, and only there:
 * - hex integers: python-evtx zero-pads them (`0x00000000002f336f`), Windows does not (`0x2f336f`);
 * - GUIDs: python-evtx may write them in lower case or with braces;
 * - booleans: Windows writes `true`/`false`, python-evtx Python's `True`/`False`;
 * - line ends: python-evtx's output goes through an XML parser, which folds CRLF and CR to LF;
 * - times: python-evtx converts FILETIME through a float, so its microseconds can be off by a
 *   few; times must agree within 10 µs, and it writes `2017-06-09 19:21:26.968670`, not ISO;
 * - binary values: python-evtx writes base64, Windows hexadecimal;
 * - string arrays: python-evtx writes `<string>a</string>\n<string>b</string>\n` as text,
 *   compared as the list of strings;
 * - control characters: python-evtx drops most of them and writes some raw (which its own
 *   XML then cannot hold); values are compared without them;
 * - empty elements: python-evtx's XML reader gives no text for them, we give ''.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvtx, recordEvent } from '../src/index.ts';
import type { EvtxRecord, XmlContent, XmlElement } from '../src/index.ts';
import { valueText } from '../src/xml-tree.ts';
import { listFiles, requireData } from './regression-json.ts';

const PYTHON = '/usr/bin/python3';
const EVTX_DUMP = '/usr/bin/evtx_dump.py';
const FIELDS_SCRIPT = resolve(import.meta.dirname, 'python-evtx-fields.py');
const CONCURRENCY = 2;

const samples = requireData('evtx/attack-samples');
const havePython = existsSync(EVTX_DUMP) && existsSync(PYTHON);
if (!havePython) {
  if (process.env.CI === 'true')
    throw new Error(`${EVTX_DUMP} missing in CI: apt-get install python3-evtx`);
  console.warn(
    `skipping python-evtx comparison: ${EVTX_DUMP} not installed (apt-get install python3-evtx)`,
  );
}

interface RecordFields {
  id: string | null;
  time: string | null;
  eventId: string | null;
  provider: string | null;
  channel: string | null;
  computer: string | null;
  data: [string, string][];
  cleaned?: boolean;
  unparsable?: string;
}

describe.skipIf(!samples || !havePython)('records agree with python-evtx', () => {
  it('on every attack sample', { timeout: 900_000 }, async () => {
    const files = listFiles(samples!, '.evtx');
    expect(files.length).toBeGreaterThan(200);
    const results = await mapLimited(files, CONCURRENCY, async (file) => ({
      file,
      theirs: await pythonEvtxFields(file),
    }));
    let compared = 0;
    const disagreements: string[] = [];
    for (const { file, theirs } of results) {
      const ours: RecordFields[] = [];
      for (const item of readEvtx(readFileSync(file))) {
        if (item.kind === 'record') ours.push(ourFields(item));
      }
      const readable = theirs.filter((r) => r.unparsable === undefined);
      expect(readable.length, file).toBe(theirs.length);
      // The same records, in the same order.
      expect(ours.length, file).toBe(readable.length);
      for (let i = 0; i < readable.length; i++) {
        compared++;
        const problem = difference(ours[i]!, readable[i]!);
        if (problem !== undefined)
          disagreements.push(`${file} record ${readable[i]!.id}: ${problem}`);
      }
    }
    expect(disagreements.slice(0, 20)).toEqual([]);
    expect(compared).toBeGreaterThan(5000);
  });
});

function ourFields(record: EvtxRecord): RecordFields {
  const event = recordEvent(record);
  const system = event && child(event, 'System');
  const get = (name: string): XmlElement | undefined => (system ? child(system, name) : undefined);
  const data: [string, string][] = [];
  const eventData = event && child(event, 'EventData');
  if (eventData) {
    for (const item of elements(eventData)) {
      const name = item.name === 'Data' ? (attribute(item, 'Name') ?? 'Data') : item.name;
      data.push([name, text(item)]);
    }
  }
  const userData = event && child(event, 'UserData');
  if (userData) for (const item of elements(userData)) leaves(item, data);
  return {
    id: get('EventRecordID') ? text(get('EventRecordID')!) : null,
    time: get('TimeCreated') ? (attribute(get('TimeCreated')!, 'SystemTime') ?? null) : null,
    eventId: get('EventID') ? text(get('EventID')!) : null,
    provider: get('Provider') ? (attribute(get('Provider')!, 'Name') ?? null) : null,
    channel: get('Channel') ? text(get('Channel')!) : null,
    computer: get('Computer') ? text(get('Computer')!) : null,
    data,
  };
}

function difference(ours: RecordFields, theirs: RecordFields): string | undefined {
  for (const key of ['id', 'eventId', 'provider', 'channel', 'computer'] as const) {
    if (!same(ours[key], theirs[key], theirs.cleaned))
      return `${key}: ${ours[key]} vs ${theirs[key]}`;
  }
  if (!sameTime(ours.time, theirs.time)) return `time: ${ours.time} vs ${theirs.time}`;
  if (ours.data.length !== theirs.data.length) {
    return `data: ${JSON.stringify(ours.data)} vs ${JSON.stringify(theirs.data)}`;
  }
  for (let i = 0; i < ours.data.length; i++) {
    const [ourName, ourValue] = ours.data[i]!;
    const [theirName, theirValue] = theirs.data[i]!;
    if (ourName !== theirName) return `data name ${i}: ${ourName} vs ${theirName}`;
    if (!same(ourValue, theirValue, theirs.cleaned) && !sameTime(ourValue, theirValue)) {
      return `${ourName}: ${firstDifference(canonical(ourValue, theirs.cleaned ?? false), canonical(theirValue, false))}`;
    }
  }
  return undefined;
}

function same(ours: string | null, theirs: string | null, cleaned = false): boolean {
  // python-evtx's XML reader gives no text (None) for an empty element.
  const a = canonical(ours ?? '', cleaned);
  const b = canonical(theirs ?? '', false);
  return (
    a === b || (BINARY.test(a) && Buffer.from(b, 'base64').toString('hex').toUpperCase() === a)
  );
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 20), i + 40))} vs ${JSON.stringify(b.slice(Math.max(0, i - 20), i + 40))}`;
}

const HEX = /^0x[0-9a-f]+$/i;
const BOOLEAN = /^(true|false)$/i;
const BINARY = /^(?:[0-9A-F]{2})+$/;
const STRING_ARRAY = /^(?:<string>.*?<\/string>\n)+$/s;
const GUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

function canonical(value: string, cleanControls: boolean): string {
  let text = value.replace(/\r\n?/g, '\n');
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, cleanControls ? '\ufffd' : '');
  if (STRING_ARRAY.test(text)) {
    text = [...text.matchAll(/<string>(.*?)<\/string>\n/gs)].map((m) => m[1]).join(',');
  }
  if (HEX.test(text)) return '0x' + BigInt(text).toString(16);
  if (GUID.test(text)) return text.replace(/[{}]/g, '').toUpperCase();
  if (BOOLEAN.test(text)) return text.toLowerCase();
  return text;
}

const TIME = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z?$/;

function sameTime(ours: string | null, theirs: string | null): boolean {
  if (ours === null || theirs === null) return ours === theirs;
  const a = microseconds(ours);
  const b = microseconds(theirs);
  return a !== undefined && b !== undefined && Math.abs(a - b) <= 10;
}

function microseconds(text: string): number | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}T${match[2]}Z`) / 1000;
  return seconds * 1e6 + Number((match[3] ?? '').padEnd(9, '0').slice(0, 6));
}

function elements(element: XmlElement): XmlElement[] {
  return element.children.filter((c: XmlContent): c is XmlElement => c.kind === 'element');
}

function child(element: XmlElement, name: string): XmlElement | undefined {
  return elements(element).find((c) => c.name === name);
}

function attribute(element: XmlElement, name: string): string | undefined {
  const found = element.attributes.find((a) => a.name === name);
  return found && found.parts.map((p) => valueText(p, 'xml')).join('');
}

function text(element: XmlElement): string {
  let out = '';
  for (const c of element.children) {
    if (c.kind === 'text') out += valueText(c.value, 'xml');
    else if (c.kind === 'element') out += text(c);
  }
  return out;
}

function leaves(element: XmlElement, out: [string, string][]): void {
  const children = elements(element);
  if (children.length === 0) out.push([element.name, text(element)]);
  for (const c of children) leaves(c, out);
}

/** Runs evtx_dump.py on one file and reads its XML back into fields (python does both). */
function pythonEvtxFields(file: string): Promise<RecordFields[]> {
  return new Promise((resolvePromise, reject) => {
    const dump = spawn(PYTHON, [EVTX_DUMP, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const fields = spawn(PYTHON, [FIELDS_SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
    dump.stdout.pipe(fields.stdin);
    dump.stderr.resume();
    let output = '';
    fields.stdout.setEncoding('utf8');
    fields.stdout.on('data', (chunk: string) => (output += chunk));
    fields.on('error', reject);
    dump.on('error', reject);
    fields.on('close', (code) => {
      if (code !== 0) reject(new Error(`python-evtx-fields.py exited ${code} on ${file}`));
      else
        resolvePromise(
          output
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as RecordFields),
        );
    });
  });
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
