/** Which addresses a webhook may reach (notification-config.ts says why and the defaults). */
import { BlockList, isIP } from 'node:net';
import { DEFAULT_DENIED_CIDRS } from './notification-config.ts';

function blockList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', bits] = cidr.split('/');
    const family = isIP(address);
    if (family === 0) throw new Error(`${cidr} is not an address range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
    list.addSubnet(address, prefix, type);
  }
  return list;
}

export class DestinationPolicy {
  readonly #allow: BlockList;
  readonly #deny: BlockList;

  constructor(options: {
    readonly allowCidrs: readonly string[];
    readonly denyCidrs: readonly string[];
  }) {
    this.#allow = blockList(options.allowCidrs);
    this.#deny = blockList([...DEFAULT_DENIED_CIDRS, ...options.denyCidrs]);
  }

  /** Null when `address` may be reached, else why not. */
  refusal(address: string): string | null {
    // An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const plain = mapped ?? address;
    const type = isIP(plain) === 4 ? 'ipv4' : 'ipv6';
    if (this.#allow.check(plain, type)) return null;
    return this.#deny.check(plain, type) ? `destination address ${address} is not allowed` : null;
  }
}
