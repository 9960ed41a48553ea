import type { EngineEvent } from '../../src-shared/events';
import { toNdjson } from '../format/ndjson';

/** Saves the given events as an .ndjson file through the browser's download. */
export function downloadEvents(events: readonly EngineEvent[]): void {
  downloadBlob(
    new Blob([toNdjson(events)], { type: 'application/x-ndjson' }),
    `echoscope-events-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`,
  );
}

/** Saves data made in the page as a file named `name`, through the browser's (or the app's) download. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The download has started from the URL; it can go once this turn of the event loop is over.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
