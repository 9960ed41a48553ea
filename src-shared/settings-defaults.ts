import type { ServerSettings } from './events';

/** Defaults of the product spec: the article's server on 127.0.0.1:8000, first (unhandled) version, collected like CPython. */
export const DEFAULT_SETTINGS: ServerSettings = {
  host: '127.0.0.1',
  port: 8000,
  policy: 'unhandled',
  crashWord: 'boom',
  match: 'line',
  recvSize: 1024,
  collection: 'cpython',
};
