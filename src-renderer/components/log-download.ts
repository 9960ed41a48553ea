import type { EngineEvent } from '../../src-shared/events';
import { toNdjson } from '../format/ndjson';

/** Saves the given events as an .ndjson file through the browser's download. */
export function downloadEvents(events: readonly EngineEvent[]): void {
  const url = URL.createObjectURL(new Blob([toNdjson(events)], { type: 'application/x-ndjson' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `echoscope-events-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`;
  link.click();
  // The download has started from the URL; it can go once this turn of the event loop is over.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
