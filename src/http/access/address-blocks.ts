import { BlockList, isIP } from 'node:net';

/** One parsed CIDR block: `10.0.0.0/8`, `fd00::/8`; an address alone is a block of one host. */
export type AddressBlock = { readonly address: string; readonly prefix: number; readonly family: 'ipv4' | 'ipv6' };

const CIDR = /^([^/\s]+)(?:\/(\d{1,3}))?$/;

/** The block `text` names, or undefined when it is not an IPv4 or IPv6 address with an optional `/prefix` in range. */
export function parseAddressBlock(text: string): AddressBlock | undefined {
  const match = CIDR.exec(text);
  const version = isIP(match?.[1] ?? '');
  if (match === null || version === 0) return undefined;
  const maxPrefix = version === 4 ? 32 : 128;
  const prefix = match[2] === undefined ? maxPrefix : Number(match[2]);
  if (prefix > maxPrefix) return undefined;
  return { address: match[1] ?? '', prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** For the config schema: `text` is a CIDR block labpool can use. */
export function isAddressBlock(text: string): boolean {
  return parseAddressBlock(text) !== undefined;
}

/**
 * Whether a peer address lies in one of `blocks` (Node's BlockList: an IPv4-mapped IPv6 peer such as
 * `::ffff:10.0.0.5`, what a dual-stack socket reports, matches IPv4 blocks). Throws on a bad block:
 * the configuration was validated before this runs.
 */
export function createAddressMatcher(blocks: readonly string[]): (address: string | undefined) => boolean {
  const list = new BlockList();
  for (const text of blocks) {
    const block = parseAddressBlock(text);
    if (block === undefined) throw new Error(`not a CIDR block: ${text}`);
    list.addSubnet(block.address, block.prefix, block.family);
  }
  return (address) => {
    const version = isIP(address ?? '');
    return version !== 0 && list.check(address ?? '', version === 4 ? 'ipv4' : 'ipv6');
  };
}
