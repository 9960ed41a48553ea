import type { EngineEvent } from '../../src-shared/events';

/** Events as NDJSON: one JSON object per line, the same objects the hosts forward. */
export function toNdjson(events: readonly EngineEvent[]): string {
  let out = '';
  for (const e of events) out += `${JSON.stringify(e)}\n`;
  return out;
}
