import type { CommandName } from './commands';

/** The only place IPC channel names are spelled. */
export const BATCH_CHANNEL = 'events:batch';
/** The renderer's acknowledgement of one applied batch (flow control for IPC, which has no backlog figure). */
export const BATCH_ACK_CHANNEL = 'events:ack';

/** The IPC channel of one command, `command:<name>`. */
export function commandChannel(name: CommandName): `command:${CommandName}` {
  return `command:${name}`;
}

/** The global name under which the preload exposes the `EchoscopeApi` (`window.echoscope`). */
export const PRELOAD_API_KEY = 'echoscope';
