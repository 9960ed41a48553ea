/**
 * All the desktop app's preload gives the page: a way to ask for a session port. The session itself
 * (commands, event batches, acknowledgements) then runs over that MessagePort, speaking the same
 * protocol as the browser host's WebSocket.
 */
export interface DesktopBridge {
  /** Always 'electron': how the page tells the bridge from anything else on `window`. */
  readonly host: 'electron';
  /**
   * Asks the main process for a session; the port arrives as a `window` message whose data is
   * `SESSION_PORT_MESSAGE`, posted by this window itself.
   */
  openSession(): void;
}
