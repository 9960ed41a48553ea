/** The only place the desktop app's IPC channel names are spelled. */

/** page → main: "give me a session port" (checked: only the app's own window and page get one). */
export const SESSION_OPEN_CHANNEL = 'session:open';
/** main → preload: the session's MessagePort, which the preload hands on to the page. */
export const SESSION_PORT_CHANNEL = 'session:port';
/** preload → page, by `window.postMessage`: the message that carries the session port. */
export const SESSION_PORT_MESSAGE = 'echoscope:session-port';

/** The global name under which the preload exposes the `DesktopBridge` (`window.echoscope`). */
export const PRELOAD_API_KEY = 'echoscope';
