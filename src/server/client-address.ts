// Who a request comes from, for throttling failed credentials: the socket's peer address. Behind
// a reverse proxy every request comes from the proxy, so X-Forwarded-For is read then, and only
// when the peer is one of the configured trusted proxies (any client can write the header): the
// right-most address in it that is not itself a trusted proxy is the client.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';

export type ClientAddress = (c: Context) => string;

const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** Addresses (`10.0.0.7`) or networks (`10.0.0.0/8`, `fd00::/8`), as config.ts validated them. */
function blockListOf(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    if (prefix === undefined) list.addAddress(address, familyOf(address));
    else list.addSubnet(address, Number(prefix), familyOf(address));
  }
  return list;
}

export function clientAddress(trustedProxies: string[] = []): ClientAddress {
  const trusted = blockListOf(trustedProxies);
  const isTrusted = (address: string) => isIP(address) !== 0 && trusted.check(address, familyOf(address));
  return (c) => {
    // The Node adapter passes the request it got; a request made in-process (app.request) has none.
    const peer = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? 'unknown';
    if (trustedProxies.length === 0 || !isTrusted(peer)) return peer;
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim());
    let client = peer;
    for (const hop of hops.toReversed()) {
      if (isIP(hop) === 0) break;
      client = hop;
      if (!isTrusted(hop)) break;
    }
    return client;
  };
}
