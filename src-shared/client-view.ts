import type { ClientView } from './commands';
import type { ClientEvent } from './events';

/** The pure reducer from built-in client events to a client view (engine snapshot and renderer alike). */
export function reduceClient(prev: ClientView | undefined, e: ClientEvent): ClientView | undefined {
  if (e.kind === 'client-opened') {
    return {
      id: e.clientId,
      localPort: e.localPort,
      open: true,
      closeReason: null,
      bytesSent: 0,
      bytesReceived: 0,
      lastReceived: '',
    };
  }
  if (!prev) return undefined;
  switch (e.kind) {
    case 'client-sent':
      return { ...prev, bytesSent: prev.bytesSent + e.bytes };
    case 'client-received':
      return { ...prev, bytesReceived: prev.bytesReceived + e.bytes, lastReceived: e.preview };
    case 'client-closed':
      return { ...prev, open: false, closeReason: e.reason };
  }
}
