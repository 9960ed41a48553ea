import { isLoopbackHost } from '../../src-shared/bind-address';
import { checkHost, checkPort } from '../../src-shared/command-validation';
import { DEFAULT_ATTACH_HOST } from '../../src-shared/probe-protocol';

/** `--attach-port` / `--attach-host`, checked: where to listen for Python probes, if at all. */
export interface AttachOption {
  host: string;
  port: number;
  /** The host was given explicitly, which is what allows an address beyond loopback (as for --host). */
  explicitHost: boolean;
}

/** The options `web` and `serve` accept for attaching (parseStrictOptions specs). */
export const ATTACH_OPTION_SPECS = {
  'attach-port': { type: 'string' },
  'attach-host': { type: 'string' },
} as const;

/** Checks the attach options like every other: null when not asked for, else the option or a one-line error. */
export function parseAttachOption(values: {
  'attach-port'?: string | boolean;
  'attach-host'?: string | boolean;
}): AttachOption | null | string {
  const rawPort = values['attach-port'];
  const rawHost = values['attach-host'];
  if (rawPort === undefined) {
    return rawHost === undefined ? null : '--attach-host needs --attach-port';
  }
  if (typeof rawPort !== 'string' || (rawHost !== undefined && typeof rawHost !== 'string')) {
    return '--attach-port and --attach-host take a value';
  }
  const port = checkPort(/^-?\d+$/.test(rawPort) ? Number(rawPort) : rawPort);
  if (!port.ok) return `--attach-port: ${port.error.message}`;
  const host = checkHost(rawHost ?? DEFAULT_ATTACH_HOST);
  if (!host.ok) return `--attach-host: ${host.error.message}`;
  return { host: host.value, port: port.value, explicitHost: rawHost !== undefined };
}

/** The lines a host prints once it listens for probes: where, and the exact command to run. */
export function attachBanner(listener: { host: string; port: number; command: string }): string[] {
  return [
    `Python probes attach at ${listener.host}:${listener.port}. Run your asyncio program under the probe:`,
    `  ${listener.command}`,
  ];
}

/** The warning for a probe listener beyond loopback, or null on loopback. */
export function attachBindWarning(host: string): string | null {
  return isLoopbackHost(host)
    ? null
    : `Warning: probes can attach from other machines (listening on ${host}); they still need the token.`;
}
