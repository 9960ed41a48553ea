import { collectionMatters, POLICIES } from '../../src-shared/failure-policies';
import { useAppStore } from '../store/app-store';
import { GcControl } from './GcControl';

/**
 * The failure policy in effect (or about to be), its row of the policy table, and the gc action where a
 * collection has something to show. Coloured by the row's tone.
 */
export function LessonBar() {
  const runningPolicy = useAppStore((s) => (s.status.phase === 'idle' ? null : s.status.settings?.policy));
  const draftPolicy = useAppStore((s) => s.draft.policy);
  const policy = runningPolicy ?? draftPolicy;
  const row = POLICIES[policy];
  return (
    <section
      className="lesson-bar"
      data-tone={row.tone}
      data-policy={policy}
      aria-label="Failure policy"
      data-testid="lesson-bar"
    >
      <div className="lesson-text">
        <span className="lesson-title" data-testid="policy-title">
          {row.title}
        </span>
        <span className="lesson-explanation" data-testid="policy-explanation">
          {row.lesson}
        </span>
      </div>
      {collectionMatters(row) ? <GcControl /> : null}
    </section>
  );
}
