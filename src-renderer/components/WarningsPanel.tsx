import { Fragment } from 'react';
import { FAILURE_POLICIES, POLICIES, whenWarned } from '../../src-shared/failure-policies';
import { formatClock } from '../format/time';
import { appStore, useAppStore } from '../store/app-store';

/** Every "Task exception was never retrieved", newest first, with how it surfaced and its stack. */
export function WarningsPanel() {
  const warnings = useAppStore((s) => s.warnings);
  const selectTask = appStore.getState().selectTask;
  if (warnings.length === 0) {
    return (
      <p className="empty" data-testid="warnings-empty">
        No “Task exception was never retrieved” yet.
        {FAILURE_POLICIES.map((policy, i) => (
          <Fragment key={policy}>
            {i === 0 ? ' Under ' : '; under '}
            <b>{policy}</b>
            {i === 0 ? ' it appears ' : ' '}
            {whenWarned(POLICIES[policy])}
          </Fragment>
        ))}
        .
      </p>
    );
  }
  return (
    <ol className="warnings" data-testid="warnings">
      {warnings
        .slice()
        .reverse()
        .map((w) => (
          <li
            key={w.seq}
            className="warning"
            data-testid="warning-row"
            data-task-id={w.taskId}
            data-via={w.via}
          >
            <div className="warning-head">
              <span className="warning-title">Task exception was never retrieved</span>
              <button type="button" className="link-button mono" onClick={() => selectTask(w.taskId)}>
                task #{w.taskId}
              </button>
              <span
                className={`badge badge-via-${w.via}`}
                title={
                  w.via === 'gc'
                    ? 'reported when the task object was garbage-collected'
                    : 'reported at stop, as asyncio does at exit'
                }
              >
                via {w.via}
              </span>
              <span className="mono muted">{formatClock(w.at)}</span>
            </div>
            <div className="warning-message mono" data-testid="warning-message">
              {w.message}
            </div>
            <details className="warning-stack">
              <summary>Stack</summary>
              <pre className="stack" data-testid="warning-stack">
                {w.stack}
              </pre>
            </details>
          </li>
        ))}
    </ol>
  );
}
