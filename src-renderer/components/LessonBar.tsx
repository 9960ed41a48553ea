import { COLLECTION_MODES } from '../../src-shared/collection-modes';
import { collectionMatters, POLICIES } from '../../src-shared/failure-policies';
import { useAppStore } from '../store/app-store';
import { GcControl } from './GcControl';

/**
 * The failure policy in effect (or about to be), its row of the policy table, and, where a collection
 * has something to show, the collection mode in effect and the gc action. Coloured by the row's tone.
 */
export function LessonBar() {
  const running = useAppStore((s) => (s.status.phase === 'idle' ? null : s.status.settings));
  const draftPolicy = useAppStore((s) => s.draft.policy);
  const draftCollection = useAppStore((s) => s.draft.collection);
  const policy = running?.policy ?? draftPolicy;
  const collection = COLLECTION_MODES[running?.collection ?? draftCollection];
  const row = POLICIES[policy];
  // The tasks shown are a Python program's (attached, or exited until the next Start): its own code
  // decided what a crash did; the policy here would apply to the built-in server only.
  const attached = useAppStore((s) => s.status.attached !== undefined);
  if (attached) {
    return (
      <section
        className="lesson-bar"
        aria-label="Failure policy"
        data-testid="lesson-bar"
        data-policy="python"
      >
        <div className="lesson-text">
          <span className="lesson-title" data-testid="policy-title">
            A Python program's own code decides what a crash does
          </span>
          <span className="lesson-explanation" data-testid="policy-explanation">
            The article's first listing drops the failed task, so CPython warns at once; its{' '}
            <code>tasks</code> list keeps it, so the warning waits for exit; try/except/finally logs the error
            and closes the connection.
          </span>
        </div>
      </section>
    );
  }
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
        {collectionMatters(row) ? (
          <span className="lesson-explanation" data-testid="collection-explanation">
            Collected {collection.label}: {collection.lesson}
          </span>
        ) : null}
      </div>
      {collectionMatters(row) ? <GcControl /> : null}
    </section>
  );
}
