import { describe, expect, it } from 'vitest';
import { EventFactory } from '../store/event-fixtures';
import { toNdjson } from './ndjson';

describe('toNdjson', () => {
  it('writes one parseable event per line', () => {
    const f = new EventFactory();
    const events = [f.listening(), f.accepted(1)];
    const lines = toNdjson(events).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(events);
  });
});
