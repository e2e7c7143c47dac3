/** What an agent says about its host in every heartbeat. */
import {
  WireFormatError,
  asRecord,
  readArray,
  readInteger,
  readOptionalString,
  readString,
} from './wire-reader.ts';
import { parseIpAddress } from './ip-network.ts';

export interface HostFacts {
  readonly hostname: string;
  readonly os: { readonly platform: string; readonly release: string; readonly name?: string };
  readonly addresses: { readonly v4: readonly string[]; readonly v6: readonly string[] };
  readonly agentVersion: string;
  readonly isolated: boolean;
  readonly bootedAt?: number;
}

export function parseHostFacts(value: unknown): HostFacts {
  const record = asRecord(value, 'host facts');
  const os = asRecord(record.os, 'os');
  const addresses = asRecord(record.addresses, 'addresses');
  const readAddresses = (key: 'v4' | 'v6'): string[] =>
    readArray(addresses, key, 256).map((entry) => {
      const parsed = typeof entry === 'string' ? parseIpAddress(entry) : undefined;
      if (parsed?.family !== (key === 'v4' ? 4 : 6)) {
        throw new WireFormatError(`addresses.${key} holds something that is not an IP${key}`);
      }
      return parsed.address;
    });
  if (typeof record.isolated !== 'boolean') throw new WireFormatError('isolated must be boolean');
  const name = readOptionalString(os, 'name', { max: 256 });
  const bootedAt =
    record.bootedAt === undefined
      ? undefined
      : readInteger(record, 'bootedAt', { min: 0, max: Number.MAX_SAFE_INTEGER });
  return {
    hostname: readString(record, 'hostname', { max: 253 }),
    os: {
      platform: readString(os, 'platform', { max: 64 }),
      release: readString(os, 'release', { max: 256 }),
      ...(name === undefined ? {} : { name }),
    },
    addresses: { v4: readAddresses('v4'), v6: readAddresses('v6') },
    agentVersion: readString(record, 'agentVersion', { max: 64 }),
    isolated: record.isolated,
    ...(bootedAt === undefined ? {} : { bootedAt }),
  };
}
