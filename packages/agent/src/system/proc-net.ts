/**
 * Socket tables from `/proc/net/{tcp,tcp6,udp,udp6}`: addresses are hex in host byte order
 * per 32-bit word, states are the kernel's TCP state numbers. Inodes link a socket to the
 * process holding it (through `/proc/PID/fd`).
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parseIpAddress } from '@cordon/protocol';

export interface SocketRecord {
  readonly protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly state: string;
  readonly uid: number;
  readonly inode: number;
  readonly pid?: number;
}

const TCP_STATES: Readonly<Record<string, string>> = {
  '01': 'established',
  '02': 'syn-sent',
  '03': 'syn-recv',
  '04': 'fin-wait1',
  '05': 'fin-wait2',
  '06': 'time-wait',
  '07': 'close',
  '08': 'close-wait',
  '09': 'last-ack',
  '0A': 'listen',
  '0B': 'closing',
  '0C': 'new-syn-recv',
};

function wordBytes(hex: string): number[] {
  // Each 8-hex-digit word is a little-endian u32 on the architectures we run on.
  const out: number[] = [];
  for (let i = 0; i < hex.length; i += 8) {
    const word = hex.slice(i, i + 8);
    for (let b = 3; b >= 0; b -= 1) out.push(parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  return out;
}

export function decodeProcNetAddress(hex: string): string {
  const bytes = wordBytes(hex);
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return parseIpAddress(groups.join(':'))?.address ?? groups.join(':');
}

export function parseProcNet(text: string, protocol: SocketRecord['protocol']): SocketRecord[] {
  const records: SocketRecord[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10) continue;
    const [localHex = '', localPortHex = '0'] = (fields[1] ?? '').split(':');
    const [remoteHex = '', remotePortHex = '0'] = (fields[2] ?? '').split(':');
    const stateHex = (fields[3] ?? '').toUpperCase();
    records.push({
      protocol,
      localAddress: decodeProcNetAddress(localHex),
      localPort: parseInt(localPortHex, 16),
      remoteAddress: decodeProcNetAddress(remoteHex),
      remotePort: parseInt(remotePortHex, 16),
      state: protocol.startsWith('tcp')
        ? (TCP_STATES[stateHex] ?? stateHex)
        : stateHex === '07'
          ? 'unconnected'
          : 'connected',
      uid: Number(fields[7]),
      inode: Number(fields[9]),
    });
  }
  return records;
}

/** Maps socket inodes to the pid that holds them (the first one found). */
export async function socketOwners(procRoot = '/proc'): Promise<Map<number, number>> {
  const owners = new Map<number, number>();
  const pids = (await readdir(procRoot)).filter((entry) => /^\d+$/.test(entry));
  for (const pid of pids) {
    const fdDir = join(procRoot, pid, 'fd');
    const fds = await readdir(fdDir).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(join(fdDir, fd)).catch(() => '');
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match !== null && !owners.has(Number(match[1])))
        owners.set(Number(match[1]), Number(pid));
    }
  }
  return owners;
}

export async function readSockets(procRoot = '/proc'): Promise<SocketRecord[]> {
  const protocols = ['tcp', 'tcp6', 'udp', 'udp6'] as const;
  const tables = await Promise.all(
    protocols.map(async (protocol) =>
      parseProcNet(
        await readFile(join(procRoot, 'net', protocol), 'utf8').catch(() => ''),
        protocol,
      ),
    ),
  );
  return tables.flat();
}
