import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PackedRecords } from './packed-records';

describe('packed records: bytes kept outside the heap', () => {
  it('gives back every record as written, whatever was deleted around it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.boolean()), { maxLength: 400 }),
        (writes) => {
          const packed = new PackedRecords();
          const kept = new Map<number, string>();
          for (const [text, deleteIt] of writes) {
            const handle = packed.put(Buffer.from(text));
            expect(kept.has(handle)).toBe(false);
            kept.set(handle, text);
            if (deleteIt) {
              const [oldest] = kept.keys();
              packed.delete(oldest!);
              kept.delete(oldest!);
            }
          }
          for (const [handle, text] of kept) expect(packed.get(handle).toString()).toBe(text);
        },
      ),
    );
  });

  it('holds a record larger than a block in a block of its own', () => {
    const packed = new PackedRecords();
    const small = packed.put(Buffer.from('small'));
    const large = 'é'.repeat(300_000);
    const handle = packed.put(Buffer.from(large));
    expect(packed.get(handle).toString()).toBe(large);
    expect(packed.get(small).toString()).toBe('small');
    packed.delete(handle);
    expect(() => packed.get(handle)).toThrow(/no packed record/);
    expect(packed.get(small).toString()).toBe('small');
  });

  it('frees a block once its last record is deleted, so oldest-first forgetting stays bounded', () => {
    const packed = new PackedRecords();
    const record = Buffer.from('x'.repeat(400));
    const handles: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      handles.push(packed.put(record));
      // Keep the newest 2,000, as the engine keeps the newest ended tasks.
      if (handles.length > 2_000) packed.delete(handles.shift()!);
    }
    // 2,000 records of 404 bytes fill four 256 KiB blocks; the one being written may be a fifth.
    expect(packed.blockBytes).toBeLessThanOrEqual(5 * 256 * 1024);
    expect(packed.get(handles[0]!)).toEqual(record);
    packed.clear();
    expect(packed.blockBytes).toBe(0);
  });

  it('frees the block being written, emptied, when the next one starts', () => {
    const packed = new PackedRecords();
    // 648 records of 404 bytes fit in one 256 KiB block; the 649th starts another.
    const record = Buffer.from('x'.repeat(400));
    const first = Array.from({ length: 648 }, () => packed.put(record));
    for (const handle of first) packed.delete(handle);
    expect(packed.blockBytes).toBe(256 * 1024);
    packed.put(record);
    expect(packed.blockBytes).toBe(256 * 1024);
  });
});
