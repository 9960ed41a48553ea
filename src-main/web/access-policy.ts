import { timingSafeEqual } from 'node:crypto';

/** Who may use the browser host: whoever holds the per-run token, through an expected Host and Origin. */
export interface AccessPolicy {
  token: string;
  /** Every `host:port` the server may be addressed as (see `allowedAuthorities`). */
  authorities: ReadonlySet<string>;
}

/** Constant-time token comparison, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(policy: AccessPolicy, given: string | null): boolean {
  if (given === null) return false;
  const a = Buffer.from(policy.token, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Host header names this server (defeats DNS rebinding: a foreign name never matches). */
export function hostAllowed(policy: AccessPolicy, host: string | undefined): boolean {
  return host !== undefined && policy.authorities.has(host.toLowerCase());
}

/** The Origin header is this server's own origin (a page on any other site is refused). */
export function originAllowed(policy: AccessPolicy, origin: string | undefined): boolean {
  if (origin === undefined || !origin.startsWith('http://')) return false;
  return policy.authorities.has(origin.slice('http://'.length).toLowerCase());
}
