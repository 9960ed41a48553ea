import type { CommandArgs, CommandName, CommandResult, CommandValue } from './commands';
import type { EventBatch } from './events';

/**
 * The one API the renderer talks to, whatever the host: Electron IPC (preload) or the browser host's
 * WebSocket. Both transports implement exactly this.
 */
export interface EchoscopeApi {
  /** Runs one command; failures come back as `{ ok: false, error }`, never as a thrown error. */
  invoke<K extends CommandName>(name: K, args: CommandArgs<K>): Promise<CommandResult<CommandValue<K>>>;
  /** Receives every event batch from now on; returns the unsubscribe function. */
  onBatch(listener: (batch: EventBatch) => void): () => void;
  /** Learns when the transport drops or comes back (always 'open' for IPC); returns the unsubscribe. */
  onLink(listener: (state: LinkState) => void): () => void;
  /** Receives recordings the host opened for the page (the desktop app's File → Open); returns the unsubscribe. */
  onOpenRecording(listener: (opened: OpenedRecording) => void): () => void;
  /** Which host this is, for display only. */
  readonly host: 'electron' | 'web';
}

/** A recording the host read for the page: its text (unchecked), or why it could not be read. */
export type OpenedRecording =
  | { file: string; text: string; error: null }
  | { file: string; text: null; error: string };

/** Whether the transport to the host is up. */
export type LinkState = 'open' | 'closed';
