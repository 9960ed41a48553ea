import { describe, expect, it } from 'vitest';
import { describeGc } from './gc-report';

describe('describeGc', () => {
  it('says what one finalized task did, in the words of the lesson', () => {
    expect(describeGc({ at: 0, available: true, finalized: 1, warnings: 1, closed: 1, earlier: 0 })).toBe(
      '1 task finalized: warning reported, connection closed',
    );
  });

  it('counts several, and says when nothing could be collected', () => {
    expect(describeGc({ at: 0, available: true, finalized: 2, warnings: 2, closed: 1, earlier: 0 })).toBe(
      '2 tasks finalized: 2 warnings reported, 1 connection closed',
    );
    expect(describeGc({ at: 0, available: true, finalized: 0, warnings: 0, closed: 0, earlier: 1 })).toBe(
      'Nothing finalized: no failed task was waiting to be collected (V8 had already collected 1 failed task on its own).',
    );
    expect(describeGc({ at: 0, available: false, finalized: 0, warnings: 0, closed: 0, earlier: 0 })).toMatch(
      /not available/,
    );
  });
});
