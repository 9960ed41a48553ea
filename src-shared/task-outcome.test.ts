import { describe, expect, it } from 'vitest';
import { describeOutcome } from './task-outcome';

const base = { error: null, awaitPoint: null, cancelReason: null } as const;
const error = (name: string, message: string) => ({ name, message, stack: `${name}: ${message}` });

describe('describeOutcome', () => {
  it('says nothing while the task runs', () => {
    expect(describeOutcome({ ...base, state: 'running', awaitPoint: 'recv' })).toBeNull();
  });

  it('gives a failure as its error, named unless it is a plain Error', () => {
    const failed = { ...base, state: 'failed', awaitPoint: 'recv' } as const;
    expect(describeOutcome({ ...failed, error: error('Error', 'Unexpected network error') })).toBe(
      'Unexpected network error',
    );
    expect(describeOutcome({ ...failed, error: error('TypeError', 'x is not a function') })).toBe(
      'TypeError: x is not a function',
    );
    expect(describeOutcome({ ...failed, error: error('Error', '') })).toBe('Error');
    expect(describeOutcome(failed)).toBe('failed');
  });

  it('gives a cancellation with its await point and reason', () => {
    const cancelled = { ...base, state: 'cancelled', awaitPoint: 'recv', cancelReason: 'stop' } as const;
    expect(describeOutcome(cancelled)).toBe('cancelled at recv (stop)');
    expect(describeOutcome({ ...cancelled, awaitPoint: 'send', cancelReason: 'user' })).toBe(
      'cancelled at send (user)',
    );
  });

  it('gives a normal return as the client closing', () => {
    expect(describeOutcome({ ...base, state: 'completed' })).toBe('client closed');
  });
});
