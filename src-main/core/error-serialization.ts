import type { SerializedError } from '../../src-shared/events';

/** Turns anything thrown into plain data for the event stream. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    return { name: err.name, message: err.message, stack: err.stack ?? `${err.name}: ${err.message}` };
  }
  const text = String(err);
  return { name: 'Error', message: text, stack: text };
}
