/**
 * What a bind address exposes: one rule for the echo server (CLI banner, dashboard status) and the
 * browser host. Pure string checks: the renderer imports this too.
 */

const WILDCARDS = new Set(['0.0.0.0', '::', '0:0:0:0:0:0:0:0']);

/** Whether binding `host` listens on every interface (`0.0.0.0`, `::`). */
export function isWildcardHost(host: string): boolean {
  return WILDCARDS.has(host.toLowerCase());
}

/** Whether a bind address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return (
    h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(h)
  );
}

/**
 * The warning for an echo server bound beyond loopback, or null on loopback. A host name other than
 * `localhost` is not resolved here, so it is warned about as "may".
 */
export function beyondLoopbackWarning(host: string): string | null {
  if (isLoopbackHost(host)) return null;
  if (isWildcardHost(host)) {
    return `The echo server listens on every network interface (${host}): other machines can connect to it.`;
  }
  return `The echo server listens on ${host}, beyond loopback: other machines may connect to it.`;
}
