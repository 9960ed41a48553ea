import type { ReactNode } from 'react';
import { isDangling } from '../../src-shared/task-view';
import { formatBytes } from '../format/quantity';
import { formatClock, formatDuration } from '../format/time';
import { useNow } from '../hooks/use-now';
import { useAppStore } from '../store/app-store';
import { StateBadge } from './StateBadge';
import { TaskActions } from './TaskActions';
import { TaskLifecycle } from './TaskLifecycle';
import { TaskTranscript } from './TaskTranscript';

function Fact({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

/**
 * Everything known about the selected task: facts, actions, error, lifecycle and transcript. Until the
 * user selects a task, it follows the newest crash, so a failure is read without a click.
 */
export function TaskDetail() {
  const selectedId = useAppStore((s) => s.selectedTaskId);
  const following = useAppStore((s) => s.selectedTaskId === null && s.newestCrashId !== null);
  const task = useAppStore((s) => {
    const id = s.selectedTaskId ?? s.newestCrashId;
    return id === null ? undefined : s.tasks.get(id);
  });
  const client = useAppStore((s) => {
    if (!task) return undefined;
    for (const c of s.clients.values()) if (c.localPort === task.peerPort) return c;
    return undefined;
  });
  const now = useNow(1000, task?.state === 'running');
  const processGone = useAppStore((s) => s.status.attached?.connected === false);

  if (!task) {
    return (
      <aside className="panel task-detail empty-detail" data-testid="task-detail" aria-label="Task detail">
        <p className="empty">
          {selectedId === null
            ? 'Select a task to see its lifecycle, error and data. The newest crash shows here by itself.'
            : `Task ${selectedId} is no longer kept.`}
        </p>
      </aside>
    );
  }

  const end = task.endedAt ?? now;
  return (
    <aside
      className="panel task-detail"
      data-testid="task-detail"
      data-task-id={task.id}
      aria-label="Task detail"
      data-following={following ? 'true' : 'false'}
    >
      {following ? (
        <p className="detail-following" data-testid="detail-following">
          Following the newest crash. Select a task to stay on it.
        </p>
      ) : null}
      <header className="detail-head">
        <h2 data-testid="detail-task-id">Task #{task.id}</h2>
        <span
          data-testid="detail-state"
          data-state={task.state}
          data-dangling={isDangling(task) ? 'true' : 'false'}
        >
          <StateBadge task={task} />
        </span>
      </header>
      <TaskActions key={task.id} task={task} />
      {task.error ? (
        <section className="detail-section error-block" data-testid="detail-error">
          {task.pythonTask ? <p className="muted">Python traceback, as the probe reported it</p> : null}
          <h3>
            {task.error.name}: {task.error.message}
          </h3>
          <pre className="stack" data-testid="detail-stack">
            {task.error.stack}
          </pre>
        </section>
      ) : null}
      <dl className="facts">
        {task.pythonTask ? (
          <Fact label="Python task" testId="detail-python-task">
            <span className="mono">
              {task.pythonTask.name} · {task.pythonTask.coroutine}()
            </span>
          </Fact>
        ) : null}
        <Fact label="Peer" testId="detail-peer">
          {task.peerAddress === '' && task.pythonTask ? (
            <span className="muted">not a connection</span>
          ) : (
            <span className="mono">
              {task.peerAddress}:{task.peerPort}
            </span>
          )}
          {client ? <span className="muted"> — built-in client #{client.id}</span> : null}
        </Fact>
        <Fact label="Local port" testId="detail-local-port">
          <span className="mono">{task.localPort}</span>
        </Fact>
        <Fact label="Await point" testId="detail-await">
          <span className="mono">
            {task.awaitPoint ? `${task.state === 'running' ? 'await' : 'ended at'} ${task.awaitPoint}` : '—'}
          </span>
          {task.awaitDetail ? (
            <span className="mono muted" data-testid="detail-await-detail">
              {' '}
              — {task.awaitDetail}
            </span>
          ) : null}
        </Fact>
        <Fact label="Socket" testId="detail-socket">
          {task.pythonTask && task.peerAddress === ''
            ? 'none seen (not a connection task)'
            : task.pythonTask && task.socketOpen && processGone
              ? 'closed with the process (it exited before its probe saw a close)'
              : task.socketOpen
                ? isDangling(task)
                  ? 'open, nobody reading (dangling)'
                  : 'open'
                : `closed (${task.closeReason ?? 'unknown'}${task.closedWithReset ? ', peer got a reset' : ''})`}
        </Fact>
        <Fact label="Started" testId="detail-started">
          <span className="mono">{formatClock(task.startedAt)}</span>
        </Fact>
        <Fact label="Ended" testId="detail-ended">
          <span className="mono">{task.endedAt ? formatClock(task.endedAt) : '—'}</span>
        </Fact>
        <Fact label="Duration" testId="detail-duration">
          <span className="mono">{formatDuration(end - task.startedAt)}</span>
        </Fact>
        <Fact label="Last activity" testId="detail-last-activity">
          <span className="mono">{formatClock(task.lastActivityAt)}</span>
        </Fact>
        <Fact label="In / out" testId="detail-bytes">
          <span className="mono">
            {formatBytes(task.bytesIn)} in {task.messagesIn} reads / {formatBytes(task.bytesOut)} in{' '}
            {task.messagesOut} sends
          </span>
        </Fact>
        {task.cancelReason ? (
          <Fact label="Cancelled by" testId="detail-cancel-reason">
            {task.cancelReason === 'stop' ? 'Stop' : 'a user'}
          </Fact>
        ) : null}
        {task.unretrieved ? (
          <Fact label="Warning" testId="detail-unretrieved">
            Task exception was never retrieved (via {task.unretrieved})
          </Fact>
        ) : null}
      </dl>
      <section className="detail-section">
        <h3>Lifecycle</h3>
        <TaskLifecycle entries={task.lifecycle} startedAt={task.startedAt} />
      </section>
      <section className="detail-section">
        <h3>Transcript</h3>
        <TaskTranscript entries={task.transcript} />
      </section>
    </aside>
  );
}
