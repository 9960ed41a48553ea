import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { isWildcardHost } from '../../src-shared/bind-address';

/** `host:port` as it appears in a URL and in Host/Origin headers (IPv6 literals in brackets). */
export function formatAuthority(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** The host to print in the URL a user opens: a wildcard bind is reached through loopback. */
export function urlHost(boundHost: string): string {
  return isWildcardHost(boundHost) ? '127.0.0.1' : boundHost;
}

/**
 * Every `host:port` under which this server may legitimately be addressed: loopback names, the bound
 * address, and for a wildcard bind every local interface address. A Host or Origin naming anything else
 * (a DNS-rebinding page, another site) is refused.
 */
export function allowedAuthorities(boundHost: string, port: number): Set<string> {
  const hosts = new Set(['127.0.0.1', 'localhost', '::1', boundHost.toLowerCase()]);
  if (isWildcardHost(boundHost)) {
    for (const list of Object.values(networkInterfaces())) {
      for (const info of list ?? []) hosts.add(info.address.toLowerCase());
    }
  }
  const authorities = new Set<string>();
  for (const host of hosts) {
    if (isWildcardHost(host)) continue;
    authorities.add(formatAuthority(host, port));
    // Browsers leave the default port out of Host and Origin.
    if (port === 80) authorities.add(isIP(host) === 6 ? `[${host}]` : host);
  }
  return authorities;
}
