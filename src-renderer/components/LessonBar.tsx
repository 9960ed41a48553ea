import type { FailurePolicy } from '../../src-shared/events';
import { POLICY_EXPLANATIONS } from '../../src-shared/settings-defaults';
import { useAppStore } from '../store/app-store';
import { GcControl } from './GcControl';

const POLICY_TITLES: Record<FailurePolicy, string> = {
  unhandled: 'Unhandled — the article’s first version',
  retained: 'Retained — tasks kept in a list',
  handled: 'Handled — try / except / finally',
};

/** The failure policy in effect (or about to be) and what it means, with the gc action for `unhandled`. */
export function LessonBar() {
  const runningPolicy = useAppStore((s) => (s.status.phase === 'idle' ? null : s.status.settings?.policy));
  const draftPolicy = useAppStore((s) => s.draft.policy);
  const policy = runningPolicy ?? draftPolicy;
  return (
    <section className={`lesson-bar lesson-${policy}`} aria-label="Failure policy" data-testid="lesson-bar">
      <div className="lesson-text">
        <span className="lesson-title" data-testid="policy-title">
          {POLICY_TITLES[policy]}
        </span>
        <span className="lesson-explanation" data-testid="policy-explanation">
          {POLICY_EXPLANATIONS[policy]}
        </span>
      </div>
      {policy === 'unhandled' ? <GcControl /> : null}
    </section>
  );
}
