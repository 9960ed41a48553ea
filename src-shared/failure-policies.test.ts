import { describe, expect, it } from 'vitest';
import { checkSettings } from './command-validation';
import { FAILURE_POLICIES, isFailurePolicy, POLICIES, whenWarned } from './failure-policies';
import { PROTOTYPE_KEYS } from './testing/hostile-values';

describe('the failure policy table', () => {
  it.each(FAILURE_POLICIES)('%s is a policy every boundary accepts, with a one-line lesson', (policy) => {
    expect(isFailurePolicy(policy)).toBe(true);
    expect(checkSettings({ policy })).toMatchObject({ ok: true, value: { policy } });
    expect(POLICIES[policy].lesson).not.toMatch(/\n/);
  });

  it.each([...PROTOTYPE_KEYS, 'yolo', '', 1, null])('refuses %j as a policy', (value) => {
    expect(isFailurePolicy(value)).toBe(false);
    expect(checkSettings({ policy: value })).toMatchObject({ ok: false, error: { code: 'invalid-args' } });
  });

  it('says when the never-retrieved warning appears from what a policy does with the task and exception', () => {
    expect(whenWarned(POLICIES.unhandled)).toBe('when a failed task is garbage collected');
    expect(whenWarned(POLICIES.retained)).toBe('only at Stop');
    expect(whenWarned(POLICIES.handled)).toBe('never');
  });
});
